"""An offline answer quotes list items as a list, one a line; one item quoted alone is a
statement, not a list of one (issue 19, answers that answer)."""

from __future__ import annotations

from kbsleep.search.render import render
from kbsleep.search.units import Unit

LEAD = "Choose Obsidian's default color scheme. Options include:"


def _item(text: str, order: int) -> Unit:
    return Unit("Settings#Base color scheme", text, "item", order, 1, LEAD)


def test_one_item_quoted_alone_reads_as_a_sentence() -> None:
    assert render([_item("Dark — Uses dark mode", 2)], {}) == "Dark — Uses dark mode."


def test_one_item_after_a_sentence_joins_it_as_a_paragraph() -> None:
    intro = Unit("Settings#Base color scheme", "The Appearance page sets how Obsidian looks.", "sentence", 0, 0)
    assert render([intro, _item("Dark — Uses dark mode.", 2)], {}) == "The Appearance page sets how Obsidian looks. Dark — Uses dark mode."


def test_items_quoted_together_stay_a_list() -> None:
    assert render([_item("Light — Uses light mode.", 1), _item("Dark — Uses dark mode.", 2)], {}) == "- Light — Uses light mode.\n- Dark — Uses dark mode."


def test_an_item_quoted_with_the_sentence_that_introduces_it_stays_an_item() -> None:
    lead = Unit("Settings#Base color scheme", LEAD, "sentence", 0, 0)
    assert render([lead, _item("Dark — Uses dark mode.", 2)], {}) == f"{LEAD}\n- Dark — Uses dark mode."

