"""Passes read a page's facts as `conflicting-facts` does (Dataview's reading): a task's fields are
the task's own, and a key the page gives in inline fields with different values is a list.

- anticipate asks no fact question about either (a list has no one value to answer with);
- ask's units quote a task's line as text (its fields are no fact asked about instead);
- consolidate's duplicate evidence takes no task's `[id:: ...]` (the Tasks plugin's) as the page's.
"""

from __future__ import annotations

from kbsleep.passes.citable_units import Passage, read
from kbsleep.passes.consolidate import evidence
from kbsleep.passes.offline_questions import generate
from kbsleep.wiki.parse import parse_page

TOP = "# Evra Coast Observatory\n\nA research station.\n\n"


def asked(text: str) -> list[tuple[str, str]]:
    return [(qa.question, qa.answer) for qa in generate([Passage("Evra Coast Observatory", text)])]


def test_a_fact_given_once_is_asked_about() -> None:
    assert asked(TOP + "founded:: 1987\n") == [("When was Evra Coast Observatory founded?", "Evra Coast Observatory was founded in 1987. [[Evra Coast Observatory]]")]


def test_a_key_given_as_a_list_is_not_asked_about() -> None:
    assert asked(TOP + "- [founded:: 1987]\n- [founded:: 1989]\n") == []


def test_a_key_given_twice_alike_is_one_fact() -> None:
    assert asked(TOP + "founded:: 1987\n\nFounded:: 1987\n") == [("When was Evra Coast Observatory founded?", "Evra Coast Observatory was founded in 1987. [[Evra Coast Observatory]]")]


def test_a_task_s_field_is_not_asked_about_and_its_line_is_text() -> None:
    text = TOP + "- [ ] Renew the permit [deadline:: 2024-01-01]\n"
    assert asked(text) == []
    (unit,) = read(Passage("Evra Coast Observatory", text)).units
    assert (unit.sentences, unit.items) == (("A research station.",), ("Renew the permit [deadline:: 2024-01-01]",))


def test_the_same_field_outside_a_task_is_a_fact_and_no_text() -> None:
    text = TOP + "deadline:: 2024-01-01\n"
    assert asked(text) == [("What is the deadline of Evra Coast Observatory?", "The deadline of Evra Coast Observatory is 2024-01-01. [[Evra Coast Observatory]]")]
    (unit,) = read(Passage("Evra Coast Observatory", text)).units
    assert (unit.sentences, unit.items) == (("A research station.",), ())


def test_a_task_s_id_does_not_identify_its_page() -> None:
    a = parse_page("a/X.md", b"# X\n\nSame text.\n\n- [ ] Water the plants [id:: 3f9a2c]\n")
    b = parse_page("b/X.md", b"# X\n\nSame text.\n\n- [ ] Water the plants [id:: 7d01be]\n")
    c = parse_page("c/X.md", b"# X\n\nSame text.\n\nid:: 7d01be\n")
    assert (evidence.identifiers(a), evidence.different_ids(a, b), evidence.different_ids(a, c)) == ({}, None, None)
    assert evidence.different_ids(c, parse_page("d/X.md", b"# X\n\nid:: 3f9a2c\n")) == "id"
