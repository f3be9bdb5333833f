"""A task said in several words ("How do I stop slugs from eating my lettuce?" asks to exclude,
which a page says as "prevents", "disable", "block" ...; `question.task_words`) is held by a
passage that says any of them: the passage that prevents answers, over the page's description
that shares more of the question's other words. "Stop" alone ends a thing: a page on what a
pump prevents says nothing of stopping it."""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.question import analyse, task_words
from kbsleep.search.tasks import said_by
from kbsleep.search.words import stem

SLUGS = """\
# Slugs

Slugs are soft-bodied molluscs that eat young leaves at night.

## Control

- Copper tape around the raised beds prevents slugs from crossing into them.
- Beer traps sunk level with the soil catch the slugs that get in.
"""

PUMP = """\
# Cellar pump

The cellar pump prevents flooding when the river is high. It runs on mains power and has a float switch.
"""


def answer(root: Path, question: str):  # type: ignore[no-untyped-def]
    return ask(root, load_config(root), question, engine="offline", record=False)


def test_the_words_of_a_task_to_exclude_stand_for_its_verb() -> None:
    said = said_by(analyse("How do I stop slugs from eating my lettuce?"))
    assert said[stem("prevents")] == said[stem("disable")] == stem("exclude")
    assert said_by(analyse("How do I install a theme?")) == {stem("install"): stem("install")}
    assert said_by(analyse("Why do slugs eat lettuce?")) == {}  # no how-to


def test_stop_alone_ends_a_thing_and_is_said_only_as_such() -> None:
    assert task_words("stop") == {"stop"}
    assert said_by(analyse("How do I stop the cellar pump?")) == {stem("stop"): stem("stop")}


def test_a_task_to_exclude_is_answered_by_the_passage_that_prevents(make_repo) -> None:
    got = answer(make_repo({"Slugs.md": SLUGS}), "How do I stop slugs from eating my lettuce?")
    assert got.found
    assert got.text.startswith("- Copper tape around the raised beds prevents slugs from crossing into them.")
    assert [c.wikilink for c in got.citations] == ["[[Slugs#Control]]"]


def test_stopping_a_thing_is_not_what_it_prevents(make_repo) -> None:
    pages = {"Cellar pump.md": PUMP, "Mill Lane.md": "# Mill Lane\n\nThe bus stop is at the end of Mill Lane, by the old mill.\n"}
    got = answer(make_repo(pages), "How do I stop the cellar pump?")
    assert not got.found
    assert got.why == "no page retrieved says how to stop"
