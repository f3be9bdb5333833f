"""A who-question asks for someone, as "how long" asks for a duration: of the passages scoring
close to the best, one that names someone answers instead of a best that names no one (a label,
"Lead TA", holds the question's words and says nothing of who). When none close by names anyone,
and none that holds as much of the question does (test_who_reach.py), the wiki does not say who."""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.persons import names_someone, quotes_someone
from kbsleep.search.question import analyse
from kbsleep.search.units import Unit

COURSE = """\
# CSC300

## Teaching assistants

Lead TA

The TAs hold office hours on Tuesdays in room BA3200.

## Regrading

If a mark seems unjustified, you may contact the lead TA, Rifat Hossain, for a second review.
"""
OTHER = {"CSC263.md": "# CSC263\n\nData structures and analysis, taught in the winter term.\n"}
QUESTION = "Who is the lead TA for CSC300?"


def answer(root: Path, question: str):  # type: ignore[no-untyped-def]
    return ask(root, load_config(root), question, engine="offline", record=False)


def test_a_label_names_no_one_and_a_name_in_a_sentence_does() -> None:
    asked = analyse(QUESTION)
    assert not names_someone(asked, [], "Lead TA")
    assert names_someone(asked, [], "If a mark seems unjustified, you may contact the lead TA, Rifat Hossain, for a second review.")


def test_a_fact_on_a_person_s_page_names_that_person_as_the_answer_quotes_it() -> None:
    fact = Unit("people/Dev Arunachalam#Cobalt", "maintains: Cobalt", "field", 0, 1)
    asked = analyse("Who looks after Cobalt?")
    assert not names_someone(asked, [fact], fact.text)
    assert quotes_someone(asked, fact, {"people/Dev Arunachalam": "Devendra Arunachalam"})  # "Devendra Arunachalam, maintains: Cobalt."


def test_the_close_passage_that_names_someone_answers_a_who_question(make_repo) -> None:
    got = answer(make_repo({"CSC300.md": COURSE, **OTHER}), QUESTION)
    assert got.found
    assert "Rifat Hossain" in got.text
    assert [c.wikilink for c in got.citations] == ["[[CSC300#Regrading]]"]


def test_without_a_passage_naming_someone_the_wiki_does_not_say_who(make_repo) -> None:
    unnamed = COURSE.replace("the lead TA, Rifat Hossain,", "the lead TA")
    got = answer(make_repo({"CSC300.md": unnamed, **OTHER}), QUESTION)
    assert not got.found
    assert got.why == "no passage that answers names anyone"
