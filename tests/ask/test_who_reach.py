"""A who-question whose best passage is a fact naming no one ("Founded: 1952" holds every word
of "Who founded the Harlow Mill?") is answered by the best passage that holds as much of the
question and names someone, however far below the fact it scores; a sentence led by "She" or
"He" is said with the person its page is about.

Seen on a sample wiki of places and people: "Who founded the Evra Coast Observatory?" was
answered "not in the wiki" though the founder's page was retrieved, because the only passages
scoring close to the founding-year fact named no one.
"""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.facts import subject_note
from kbsleep.search.units import Unit

MILL = (
    "---\nfounded: 1952\n---\n# Harlow Mill\n\nFounded: 1952\n\nThe Harlow Mill is a textile museum on the river Tane, open every day but Monday.\n\n"
    "## History\n\nThe Harlow Mill was founded as a cooperative of weavers, who bought the derelict building together.\n"
)
BRENN = (
    "# Ada Brenn\n\nAda Brenn was a weaver and collector from the Tane valley.\n\n"
    "## Later years\n\nShe persuaded the weavers to form a cooperative, and the Harlow Mill was founded with her as its first director.\n"
)
OTHERS = {
    "places/Tane Bridge.md": "# Tane Bridge\n\nBuilt: 1890\n\nThe Tane Bridge is a stone bridge over the river Tane.\n",
    "people/Owen Marsh.md": "# Owen Marsh\n\nOwen Marsh is a ferryman on the river Tane.\n",
}


def _answer(make_repo, brenn: str):  # type: ignore[no-untyped-def]
    root: Path = make_repo({"places/Harlow Mill.md": MILL, "people/Ada Brenn.md": brenn, **OTHERS})
    return ask(root, load_config(root), "Who founded the Harlow Mill?", engine="offline", record=False)


def test_the_passage_naming_the_founder_answers_over_the_founding_year(make_repo) -> None:  # type: ignore[no-untyped-def]
    got = _answer(make_repo, BRENN)
    assert got.found
    assert got.text == "Ada Brenn: She persuaded the weavers to form a cooperative, and the Harlow Mill was founded with her as its first director."
    assert [c.wikilink for c in got.citations] == ["[[Ada Brenn#Later years]]"]


def test_a_passage_naming_someone_that_holds_less_of_the_question_does_not_answer(make_repo) -> None:  # type: ignore[no-untyped-def]
    unrelated = BRENN.replace("was founded with her", "opened with her")  # "founded": the founding-year fact holds more of the question
    assert not _answer(make_repo, unrelated).found


def test_a_sentence_led_by_a_pronoun_is_said_with_its_page_s_subject() -> None:
    names = {"people/Ada Brenn": "Ada Brenn"}
    assert subject_note([Unit("people/Ada Brenn#Founding", "He kept the keys.", "sentence", 0, 1)], names) == "Ada Brenn: He kept the keys."
    # "The" or "Shelby" is no pronoun, and a sentence among others is quoted as the others are
    assert subject_note([Unit("people/Ada Brenn#Founding", "Shelby kept the keys.", "sentence", 0, 1)], names) == ""
    two = [Unit("people/Ada Brenn#Founding", "She kept the keys.", "sentence", 0, 1), Unit("people/Ada Brenn#Founding", "It rained.", "sentence", 1, 1)]
    assert subject_note(two, names) == ""
