"""The full format on a terminal fits each source line to its width, so the terminal never wraps
it and the carets stay under the span; off a terminal, the window of 60 characters each side."""

from __future__ import annotations

import pytest

from kbsleep.lint.formats import render
from kbsleep.lint.records import Diagnostic, Location
from kbsleep.report import printable

LINE = "".join(f"word{i:03d} " for i in range(40)) + "see [[Nowhere]] and then " + "".join(f"more{i:03d} " for i in range(40))
START = LINE.index("[[Nowhere]]")


def finding(line: str = LINE, column: int = START + 1, span: int = 11) -> Diagnostic:
    return Diagnostic("KB101", "broken-link", "error", Location("A.md", 7, column), "broken link", source_line=line, span=span)


def snippet(width: int | None, d: Diagnostic | None = None) -> tuple[str, str]:
    """(the source line as shown, the caret line), gutters removed."""
    lines = render((d or finding(),), (), "full", tool_version="0", width=width).splitlines()
    return lines[2][4:], lines[3][4:]


@pytest.mark.parametrize("width", [40, 60, 80, 100, 120])
def test_on_a_terminal_the_line_fits_and_the_carets_are_under_the_span(width: int) -> None:
    shown, carets = snippet(width)
    assert len("7 | " + shown) < width  # one column spare: a line as wide as the terminal wraps on some
    at = carets.index("^")
    assert shown[at : at + len(carets) - at] == "[[Nowhere]]"
    assert shown.startswith("…") and shown.endswith("…")


def test_as_much_of_the_line_is_shown_before_the_span_as_after_it() -> None:
    shown, carets = snippet(80)
    at = carets.index("^")
    before, after = at - 1, len(shown) - (at + 11) - 1  # less the `…`s
    assert abs(before - after) <= 1


def test_a_line_that_fits_is_shown_whole() -> None:
    line = "see [[Nowhere]] here"
    assert snippet(80, finding(line, 5)) == (line, "    ^^^^^^^^^^^")


def test_near_the_start_of_a_long_line_the_spare_room_goes_after_the_span() -> None:
    line = "[[Nowhere]] " + "x" * 300
    shown, carets = snippet(80, finding(line, 1))
    assert carets == "^" * 11 and shown.startswith("[[Nowhere]] xxx") and shown.endswith("…")
    assert 78 <= len("7 | " + shown) < 80  # the room is used, less a `…` not needed before


def test_wide_letters_tabs_and_control_characters_count_as_the_cells_they_take() -> None:
    line = "漢字" * 60 + "\t\x1b[[Nowhere]]" + "漢字" * 60
    d = finding(line, line.index("[[Nowhere]]") + 1)
    shown, carets = snippet(80, d)
    cells = sum(2 if "\u4e00" <= c <= "\u9fff" else 1 for c in shown)
    assert cells + 4 < 80
    prefix = shown[: shown.index("[[Nowhere]]")]
    assert carets.index("^") == sum(2 if "\u4e00" <= c <= "\u9fff" else 1 for c in prefix)
    assert printable("\x1b") in shown


def test_a_span_longer_than_the_terminal_is_cut_and_keeps_some_text_around_it() -> None:
    line = "before " + "[[" + "N" * 300 + "]]" + " after"
    shown, carets = snippet(80, finding(line, 8, 304))
    assert len("7 | " + shown) < 80 and carets.startswith(" " * 7 + "^") and len(carets.strip()) < 60 and shown.startswith("before [[NNN")


def test_off_a_terminal_the_window_is_sixty_characters_each_side_as_before() -> None:
    shown, carets = snippet(None)
    assert shown == f"…{LINE[START - 60 : START + 11 + 60]}…"
    assert carets == " " * 61 + "^" * 11
