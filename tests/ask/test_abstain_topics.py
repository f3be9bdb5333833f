"""What a question is about must be something the wiki mentions and the answer holds (issue 19,
abstain when the wiki is silent). Seen on two vaults nobody tuned on (course notes, an LLM-written
course wiki): "How does federated learning keep training data on users' devices?" was answered
with a sentence on online learning, "What port does a Kafka broker listen on?" with a line on
Kafka, "How do I create a Python virtual environment?" with notes on virtual servers, "What is
the maximum height of a red-black tree?" with a line on trees, and on Obsidian's help "Who
founded Obsidian?" with a sentence where "found" stands for "founded" and no one is named."""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.abstain import names_someone, unheld_task_object, unknown_topic, unwritten_compounds
from kbsleep.search.extract import Pick
from kbsleep.search.question import analyse
from kbsleep.search.topics import asked_kind, compounds, phrases, task_object
from kbsleep.search.units import Unit
from kbsleep.search.words import stem


def _ask(root: Path, question: str):  # type: ignore[no-untyped-def]
    return ask(root, load_config(root), question, engine="offline", record=False)


# -- a phrase whose first word the wiki never uses ------------------------------------------------

LEARNING = {
    "Online learning.md": (
        "# Online learning\n\nOnline learning updates the model with each new user interaction, so the training data "
        "never has to be stored in one batch. It keeps recommendations current on every device.\n"
    ),
    "Batch learning.md": "# Batch learning\n\nBatch learning trains the model on the whole training data set at once.\n",
}


def test_the_phrases_of_a_question_start_after_an_article_an_auxiliary_or_a_preposition() -> None:
    assert phrases("How does federated learning keep training data on users' devices?") == (("federated", "learning", "keep", "training", "data"),)
    assert phrases("How does Cassandra use Merkle trees for anti-entropy repair?")[-1] == ("anti", "entropy", "repair")
    assert phrases("Can I place the text caret in several spots of a note?") == (("text", "caret"),)  # "several" counts, it names nothing
    assert phrases("What causes sediment plumes?") == ()  # a question word is followed by a verb as often as by a noun


def test_a_phrase_whose_first_word_the_wiki_never_uses_is_not_in_the_wiki(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(LEARNING)
    answer = _ask(root, "How does federated learning keep training data on users' devices?")
    assert (answer.found, answer.why) == (False, "the wiki never mentions federated")
    answer = _ask(root, "How does online learning keep the training data current?")
    assert answer.found and "Online learning updates the model" in answer.text


def test_a_word_that_grades_what_is_asked_is_no_topic_the_wiki_must_name(make_repo) -> None:  # type: ignore[no-untyped-def]
    # a wiki says which skewness a mesh targets, never that it is "good"
    root = make_repo({"Mesh quality.md": "# Mesh quality\n\nSkewness measures how far a cell is from its ideal shape. Keep skewness below 0.9.\n",
                      "Meshing.md": "# Meshing\n\nA mesh divides the model into cells.\n"})
    for question in ("What is a good skewness value for a mesh?", "What is a reasonable skewness for a mesh?", "What is an acceptable skewness value?"):
        answer = _ask(root, question)
        assert answer.found and "skewness below 0.9" in answer.text, question
    answer = _ask(root, "What is a good orthogonality value for a mesh?")
    assert not answer.found  # the thing graded must still be the wiki's


def test_a_single_word_the_wiki_never_uses_is_left_to_the_other_checks() -> None:
    # "an abbreviation" may be the asker's word for the wiki's "alias"; "federated learning" is no learning the wiki knows
    frequency = {"give": 3, "note": 9, "abbreviation": 0, "federated": 0, "learning": 4}
    assert unknown_topic(analyse("Can I give a note an abbreviation?"), frequency, frozenset()) == []
    assert unknown_topic(analyse("Is federated learning slow?"), frequency, frozenset()) == ["federated"]
    assert unknown_topic(analyse("Is federated learning slow?"), frequency, frozenset({stem("federated")})) == []  # the answer holds a word standing for it


def test_a_name_that_narrows_the_word_after_it_is_a_topic_wherever_it_stands() -> None:
    frequency = {"cassandra": 3, "use": 5, "merkle": 0, "trees": 2, "repair": 1}
    question = analyse("How does Cassandra use Merkle trees for repair?")
    assert unknown_topic(question, frequency, frozenset()) == ["merkle"]
    # a name has no synonym: a word the vectors put next to it ("merge") stands for no word of it
    assert unknown_topic(question, frequency, frozenset({stem("merkle")})) == ["merkle"]
    assert unknown_topic(question, {**frequency, "merkle": 1}, frozenset()) == []


# -- the kind of thing a "what/which" asks for -------------------------------------------------------

BROKERS = {"Message broker.md": "# Message broker\n\nApache Kafka is the dominant broker: partitioned, replicated, log-based.\n"}


def test_the_kind_a_question_asks_for_is_the_noun_before_its_auxiliary() -> None:
    assert asked_kind(analyse("What port does a Kafka broker listen on by default?")) == "port"
    assert asked_kind(analyse("Which compaction strategy does Cassandra use?")) == "strategy"
    assert asked_kind(analyse("What percentage off do students get?")) is None  # a form asked for: `question.FORMS` checks it
    assert asked_kind(analyse("What does ADWIN stand for?")) is None


def test_a_kind_of_thing_the_wiki_never_names_is_not_in_the_wiki(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(BROKERS)
    answer = _ask(root, "What port does a Kafka broker listen on by default?")
    assert (answer.found, answer.why) == (False, "the wiki never mentions port")
    ports = make_repo({**BROKERS, "Kafka.md": "# Kafka\n\nA Kafka broker listens on port 9092 by default.\n"}, name="ports")
    answer = _ask(ports, "What port does a Kafka broker listen on by default?")
    assert answer.found and "9092" in answer.text


# -- a hyphenated term the wiki never writes ----------------------------------------------------------

TREES = {
    "Trees.md": "# Trees\n\nEach node in a tree has a height and a depth. The height of a tree is the height of its root.\n",
    "Colours.md": "# Colours\n\nLinks are red, text is black.\n",
}


def test_a_hyphenated_term_is_two_content_words() -> None:
    assert compounds(analyse("What is the maximum height of a red-black tree?")) == ("red-black",)
    assert compounds(analyse("Is there a built-in way to see a to-do list?")) == ()  # "in", "to" are no words of a term
    written = {"checkbox", "red black"}.__contains__
    assert unwritten_compounds(analyse("How do I tick a check-box?"), written) == []  # the wiki closes it up
    assert unwritten_compounds(analyse("What is a red-black tree?"), written) == []  # or spaces it
    assert unwritten_compounds(analyse("What is copy-on-write?"), written) == []  # ("on" is a function word)
    assert unwritten_compounds(analyse("How does anti-entropy repair work?"), written) == ["anti-entropy"]


def test_a_hyphenated_term_the_wiki_never_writes_is_not_in_the_wiki(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(TREES)
    answer = _ask(root, "What is the maximum height of a red-black tree with n nodes?")
    assert (answer.found, answer.why) == (False, "the wiki never mentions red-black")
    written = make_repo({**TREES, "Balanced trees.md": "# Balanced trees\n\nA red-black tree with n nodes has height at most 2 log(n + 1).\n"}, name="rb")
    answer = _ask(written, "What is the maximum height of a red-black tree with n nodes?")
    assert answer.found and "2 log(n + 1)" in answer.text


# -- the thing a how-to's task acts on ------------------------------------------------------------------

COMPUTING = {
    "Computing and the environment.md": (
        "# Computing and the environment\n\n## Impact\n\n- Corporate computing: virtual servers in the cloud\n"
        "- Personal computing: your own devices\n\n## Create a virtual machine\n\n1. Open the cloud dashboard.\n2. Select **New machine**.\n"
    ),
    "Python.md": "# Python\n\nPython is the programming language of the course's first half.\n",
}


def test_the_object_of_a_task_is_the_run_of_words_after_its_verb() -> None:
    assert task_object(analyse("How do I create a Python virtual environment?")) == ("python", "virtual", "environment")
    assert task_object(analyse("How do I split the editor into two panes?")) == ("editor",)
    assert task_object(analyse("How do I get a suspended process running again?")) == ()  # "get" says little


def test_the_words_that_narrow_a_task_s_object_must_be_in_the_answer(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(COMPUTING)
    answer = _ask(root, "How do I create a Python virtual environment?")
    # (no section writes "Python" with "virtual": `unnarrowed` says so before the answer is read; "pinned" below is read from it)
    assert (answer.found, answer.why) == (False, "the wiki never mentions Python virtual")
    answer = _ask(root, "How do I create a virtual machine?")
    assert answer.found and "Open the cloud dashboard." in answer.text


def test_the_last_word_of_a_task_s_object_may_be_said_in_other_words() -> None:
    # "Move file to..." answers "How do I move a note to another folder?"; "a note" is a file here
    assert unheld_task_object(analyse("How do I move a note to another folder?"), frozenset({"move", "folder"})) == []
    assert unheld_task_object(analyse("How do I move a pinned note?"), frozenset({"move", "note"})) == ["pinned"]


def test_a_word_placing_a_thing_in_time_narrows_no_task_s_object(make_repo) -> None:  # type: ignore[no-untyped-def]
    # "the starting map" is the map at its start: a page saying "Draw the map in pencil first" answers it
    assert unheld_task_object(analyse("How do I draw the initial map?"), frozenset({"draw", "map"})) == []
    assert unheld_task_object(analyse("How do I draw the starting map of a campaign?"), frozenset({"draw", "map", "campaign"})) == []
    assert unheld_task_object(analyse("How do I draw a hex map?"), frozenset({"draw", "map"})) == ["hex"]  # a kind of map
    root = make_repo({
        "Campaign/Maps.md": "# Maps\n\nDraw the map of the campaign in pencil, so that later changes are easy to erase.\n",
        "Campaign/Sessions.md": "# Sessions\n\nThe initial session lasts three hours; later sessions are shorter.\n",
    })  # fmt: skip
    answer = _ask(root, "How do I draw the initial map of the campaign?")
    assert answer.found and "in pencil" in answer.text


# -- the thing whose property is asked -------------------------------------------------------------

SORTING = {
    "Algorithms/Merge sort.md": "# Merge sort\n\nMerge sort splits the list in halves, sorts each half and merges them. Its worst-case time complexity is O(n log n).\n",
    "Algorithms/Heaps.md": "# Heaps\n\nA heap keeps its smallest element at the root; inserting an element takes logarithmic time.\n",
}


def test_the_thing_after_of_is_what_the_question_is_about() -> None:
    frequency = {"worst": 1, "case": 1, "time": 2, "complexity": 1, "quicksort": 0, "abbreviation": 0, "note": 4, "length": 3}
    assert unknown_topic(analyse("What is the worst-case time complexity of quicksort?"), frequency, frozenset({"worst", "case", "time", "complex"})) == ["quicksort"]
    assert unknown_topic(analyse("What is the longest length of an abbreviation?"), frequency, frozenset({"length"})) == []  # after an article: the asker's word for the wiki's


def test_a_property_of_a_thing_the_wiki_never_names_is_not_in_the_wiki(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(SORTING)
    answer = _ask(root, "What is the worst-case time complexity of quicksort?")
    assert (answer.found, answer.why) == (False, "the wiki never mentions quicksort")
    answer = _ask(root, "What is the worst-case time complexity of merge sort?")
    assert answer.found and "O(n log n)" in answer.text


# -- a who-question's answer names someone ----------------------------------------------------------------

CLI = (
    "# Obsidian CLI\n\n## Get started\n\nIf Obsidian is not running, the first command you run launches Obsidian. "
    'The vault ID can be found by opening the vault switcher and clicking "Copy vault ID".\n'
)


def _said(text: str, kind: str = "sentence") -> Pick:
    unit = Unit("Page", text, kind, 0, 0)
    return Pick(units=(unit,), text=text, sources=("Page",), coverage=1.0, own=1.0, cosine=0.5, form=True, best=1.0)


def test_a_who_answer_names_a_person_an_organisation_a_handle_or_people() -> None:
    question = analyse("Who founded Obsidian?")
    assert names_someone(question, _said("Obsidian was founded by Shida Li and Erica Xu."))
    assert names_someone(question, _said("Created by MIT."))
    assert names_someone(question, _said("Designed by: kepano", "field"))
    assert names_someone(question, _said("It is maintained by @kepano on GitHub."))
    assert names_someone(question, _said("No one can read them, not even the Obsidian team."))
    assert names_someone(analyse("Who can read my notes?"), _said("We can't read your data."))  # the wiki's writers
    assert names_someone(analyse("Who is Pipe Ashford's father?"), _said("Roderick Ashford: Father of Pipe Ashford"))
    assert not names_someone(question, _said("If Obsidian is not running, the first command you run launches Obsidian."))
    assert not names_someone(question, _said('The ID can be found by clicking "Copy vault ID" in the menu.'))  # a label, an acronym
    assert not names_someone(question, _said("Founded: 1987", "field"))


def test_a_who_question_answered_by_no_one_named_is_not_in_the_wiki(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Obsidian CLI.md": CLI})
    answer = _ask(root, "Who founded Obsidian?")
    assert (answer.found, answer.why) == (False, "no passage that answers names anyone")
    named = make_repo({"Obsidian CLI.md": CLI, "About.md": "# About\n\nObsidian was founded by Shida Li and Erica Xu in 2020.\n"}, name="named")
    answer = _ask(named, "Who founded Obsidian?")
    assert answer.found and "Shida Li" in answer.text
