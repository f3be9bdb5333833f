"""A question about something the wiki hardly mentions is not answered from a page about
something else (issue 19, abstain when the wiki is silent). Seen on two vaults nobody tuned on (a
D&D rules vault, an LLM-written security wiki): "How does flanking work in combat?" was answered
with a rule on combat though only one monster's page says "flank", "What darkvision range do
tieflings have?" with another race's darkvision, "What features does the Path of the Giant give a
barbarian?" from the Path of the Beast and the Giant Ape; on the course sample "How does ocean
acidification affect the eelgrass meadows?" with a line on the meadows."""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.abstain import unknown_topic, unwritten_names
from kbsleep.search.question import analyse
from kbsleep.search.topics import asked_phrase, names, subjects
from kbsleep.search.words import stem


def _ask(root: Path, question: str):  # type: ignore[no-untyped-def]
    return ask(root, load_config(root), question, engine="offline", record=False)


# -- the subject of the asking clause ------------------------------------------------------------------


def test_the_subject_is_the_first_word_after_an_auxiliary_and_its_article() -> None:
    assert subjects("How does flanking work in combat?") == ("flanking",)
    assert subjects("What darkvision range do tieflings have?") == ("tieflings",)
    assert subjects("How does a rowhammer attack flip bits?") == ("rowhammer",)
    assert subjects("How do I create a Python virtual environment?") == ()  # "I" is no topic
    assert subjects("Can I give a note an abbreviation?") == ()  # an article's word is no subject


def test_a_subject_at_most_one_page_uses_and_the_answer_does_not_hold_is_not_answered() -> None:
    question = analyse("How does flanking work in combat?")
    assert unknown_topic(question, {"flanking": 1, "work": 9, "combat": 5}, frozenset()) == ["flanking"]
    assert unknown_topic(question, {"flanking": 0, "work": 9, "combat": 5}, frozenset()) == ["flanking"]
    assert unknown_topic(question, {"flanking": 2, "work": 9, "combat": 5}, frozenset()) == []  # two pages: a topic of the wiki's
    assert unknown_topic(question, {"flanking": 1, "work": 9, "combat": 5}, frozenset({stem("flanking")})) == []  # the answer holds it
    # an article's single word is still left to the other checks: the asker's word for the wiki's
    assert unknown_topic(analyse("Can I give a note an abbreviation?"), {"give": 3, "note": 9, "abbreviation": 0}, frozenset()) == []


def test_a_phrase_whose_second_word_no_page_uses_is_not_answered_from_its_first() -> None:
    frequency = {"ocean": 4, "acidification": 0, "affect": 2, "eelgrass": 6, "meadows": 3}
    assert unknown_topic(analyse("How does ocean acidification affect the eelgrass meadows?"), frequency, frozenset()) == ["acidification"]
    # after a name, the word may be its verb ("Ines Kaldor become"): the other checks judge it
    frequency = {"ines": 3, "kaldor": 3, "become": 0, "director": 4, "observatory": 9}
    assert unknown_topic(analyse("When did Ines Kaldor become director of the Observatory?"), frequency, frozenset()) == []


def test_a_verb_after_to_or_after_a_noun_is_no_word_of_a_topic() -> None:
    # "a way to go back": "to" before a verb opens no phrase; "before a sync ran": the past of an
    # irregular verb ends its subject; a wiki that never says "go" or "ran" is silent on neither
    frequency = {"go": 0, "back": 0, "state": 5, "model": 9, "sync": 3, "ran": 0}
    question = analyse("Is there a way to go back to the state my model was in before a sync ran?")
    assert unknown_topic(question, frequency, frozenset({stem("state")})) == []
    assert unknown_topic(analyse("How to go back to a saved state?"), frequency, frozenset({stem("state")})) == []
    # a noun after "to" still opens a phrase, and a second word no page uses is still a topic
    frequency = {"ocean": 4, "acidification": 0, "travel": 2, "reef": 3}
    assert unknown_topic(analyse("What happens to ocean acidification near the reef?"), frequency, frozenset()) == ["acidification"]


def test_the_word_narrowing_the_kind_asked_for_is_a_topic_too() -> None:
    question = analyse("What humidity range is recommended for a server room?")
    assert asked_phrase(question) == ("humidity", "range")
    frequency = {"humidity": 1, "range": 40, "recommended": 30, "server": 90, "room": 20}
    assert unknown_topic(question, frequency, frozenset({stem("server"), stem("room")})) == ["humidity"]
    assert unknown_topic(question, {**frequency, "humidity": 3}, frozenset({stem("server"), stem("room")})) == []
    # an answer that holds the kind ("a language") answers whatever narrows it ("programming")
    question = analyse("What programming language does Cobalt use?")
    frequency = {"programming": 1, "language": 3, "cobalt": 9, "use": 20}
    assert unknown_topic(question, frequency, frozenset({stem("language"), stem("cobalt")})) == []
    assert unknown_topic(question, frequency, frozenset({stem("cobalt")})) == ["programming"]
    # ... but not a word no page writes: the wiki's options are not polyhedral mesh options
    question = analyse("What polyhedral mesh options does the volume mesher offer?")
    frequency = {"polyhedral": 0, "mesh": 40, "options": 12, "volume": 20, "mesher": 9, "offer": 3}
    assert unknown_topic(question, frequency, frozenset({stem("options"), stem("mesh"), stem("volume")})) == ["polyhedral"]


COMBAT = {
    "Combat.md": "# Combat\n\nCombat works in rounds: each creature rolls initiative and acts on its turn. An attack roll that beats the "
    "target's armor class hits.\n",
    "Wolf.md": "# Wolf\n\nWolves hunt in packs and flank their prey before they bite.\n",
}


def test_a_subject_only_an_unrelated_page_mentions_is_not_in_the_wiki(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(COMBAT)
    answer = _ask(root, "How does flanking work in combat?")
    assert (answer.found, answer.why) == (False, "no passage that answers mentions flanking")
    answer = _ask(root, "How does initiative work in combat?")
    assert answer.found and "rolls initiative" in answer.text


# -- a capitalised name of several words ------------------------------------------------------------------


def test_the_names_of_a_question_are_its_capitalised_words_in_a_row() -> None:
    assert names(analyse("What features does the Path of the Giant give a barbarian?")) == ("path of the giant",)
    assert names(analyse("Who is Dev Arunachalam's manager?")) == ("dev arunachalam",)  # cut at the possessive
    assert names(analyse("Which Node.js version do I need?")) == ()  # the first word is capitalised anyway
    assert names(analyse("My vault is in Windows Documents. Where should I keep it?")) == ()  # only the asking sentence
    assert names(analyse("Does the Purple Knight tool read Obsidian Sync logs?")) == ("purple knight", "obsidian sync")
    assert names(analyse("Does the Circle of Spores give a Bag of Holding?")) == ("circle of spores", "bag of holding")
    assert names(analyse("What is the plugin ID of the Kanban plugin?")) == ()  # an acronym before "of" is an attribute of the name after


def test_a_name_the_wiki_never_writes_whole_is_unwritten() -> None:
    written = {"path of the beast", "giant ape", "obsidian sync"}.__contains__
    assert unwritten_names(analyse("What does the Path of the Giant give?"), written) == ["path of the giant"]
    assert unwritten_names(analyse("What does the Path of the Beast give?"), written) == []
    assert unwritten_names(analyse("Is Obsidian Sync Standard enough?"), written) == ["obsidian sync standard"]


BARBARIAN = {
    "Path of the Beast.md": "# Path of the Beast\n\nThe Path of the Beast gives a barbarian these features at 3rd level: Form of the Beast and Bestial Soul.\n",
    "Giant Ape.md": "# Giant Ape\n\nA Giant Ape is a huge beast that hurls rocks.\n",
}


def test_a_name_whose_words_only_other_names_use_is_not_in_the_wiki(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(BARBARIAN)
    answer = _ask(root, "What features does the Path of the Giant give a barbarian?")
    assert (answer.found, answer.why) == (False, "the wiki never mentions Path of the Giant")
    answer = _ask(root, "What features does the Path of the Beast give a barbarian?")
    assert answer.found and "Form of the Beast" in answer.text


def test_a_word_of_the_answers_own_page_is_no_scarce_topic_however_few_pages_use_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    # (in a wiki of two pages, one page is half the wiki: the page that answers holds "assistant")
    costs = "# Costs\n\nThe assistant runs on the hosted service.\n\n## Monthly\n\nRoutine use costs about $1.50 per month.\n"
    root: Path = make_repo({"Costs.md": costs, "Team.md": "# Team\n\nMara runs the service desk and the rota.\n"})
    assert _ask(root, "What does the assistant cost per month?").text.startswith("Routine use costs about $1.50 per month")
    question = analyse("How does the assistant handle retries?")
    assert unknown_topic(question, {"assistant": 1, "handle": 3, "retries": 2}, frozenset()) == ["assistant"]
    assert unknown_topic(question, {"assistant": 1, "handle": 3, "retries": 2}, frozenset(), frozenset({stem("assistant")})) == []


def test_a_word_for_a_document_names_the_page_not_a_topic() -> None:
    frequency = {"deploy": 3, "guide": 0, "database": 2, "image": 2, "pull": 3}
    assert unknown_topic(analyse("Which database image does the deploy guide pull?"), frequency, frozenset()) == []
