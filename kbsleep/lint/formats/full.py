"""The full format, for people at a terminal: each finding with its source line, carets under
the span, hints and related places, then a summary line; colour on request."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from io import StringIO

from kbsleep.lint.formats.common import Context, named, noisy, summary, where
from kbsleep.lint.records import Diagnostic
from kbsleep.report import printable

LONG_LINE = 160  # off a terminal, a source line longer than this is shown as a window around the finding
CONTEXT = 60  # characters of the line shown on each side of a finding on a long line, then
Segment = tuple[str, str]  # (text, Rich style): one layout for plain and coloured output
Line = tuple[Segment, ...]

_STYLE = {"error": "bold red", "warning": "bold yellow", "judgement": "bold blue"}
_GUTTER = "bold blue"
_TAB = 4


def render_full(diagnostics: Sequence[Diagnostic], context: Context) -> str:
    lines: list[Line] = []
    for diagnostic in diagnostics:
        lines += _full_block(diagnostic, context.width)
        lines.append(())
    lines.append(((summary(diagnostics, context.pages, context.empty), "bold"),))
    advice = noisy(diagnostics, context.settings)
    if advice:
        lines.append(((advice, "yellow"),))
    # Page text, model text and paths are shown, never acted on: in colour, each part is made
    # printable before the colour codes go in; plain, the whole text at once.
    if context.color:
        return _ansi([tuple((printable(text), style) for text, style in line) for line in lines])
    return printable("".join("".join(text for text, _ in line) + "\n" for line in lines))


def _full_block(d: Diagnostic, width: int | None = None) -> list[Line]:
    style = _STYLE[d.severity]
    first, *rest = named(d.message, d).splitlines() or [""]
    head: Line = (
        (f"{where(d.location)}:", "bold"),
        (" ", ""),
        (d.code, style),
        (f" [{d.name}] ", ""),
        (f"{d.severity}:", style),
        (f" {first}", ""),
    )
    pad = " " * len(str(d.location.line)) if d.source_line else " "
    lines: list[Line] = [head, *(((f"{pad}   {more}", ""),) for more in rest)]
    lines += _snippet(d, style, width)
    if d.hint:
        lines.append(((f"{pad} = ", _GUTTER), ("hint: ", "bold"), (named(d.hint, d), "cyan")))
    for other in d.related:
        note = f": {named(other.message, d)}" if other.message else ""
        lines.append(((f"{pad} = ", _GUTTER), ("related: ", "bold"), (where(other) + note, "")))
    return lines


def _snippet(d: Diagnostic, style: str, width: int | None = None) -> list[Line]:
    """The source line in a numbered gutter, with carets under the span. A long line is shown
    as a window around the span (a page of one 4 MB line has thousands of findings on it): on a
    terminal (`width` columns) one that fits, so that the terminal never wraps the line and the
    carets stay under the span; elsewhere `CONTEXT` characters each side of it."""
    raw = d.source_line.rstrip("\r\n")
    if not raw:
        return []
    number = str(d.location.line)
    pad = " " * len(number)
    start, span = d.location.column - 1, max(d.span, 1)
    if width is None:
        head, shown, tail, start, span = _window(raw, start, span)
    else:
        head, shown, tail, start, span = _fit(raw, start, span, width - len(number) - 4)  # "N | ", one spare column
    # Widths are those of the text as shown: an escaped control character takes six cells.
    safe = printable(shown)
    shows = (lambda part: part) if safe is shown else printable  # (`printable` copies only to change)
    before = len(head) + _width(shows(shown[:start]).expandtabs(_TAB)) + max(start - len(shown), 0)
    through = len(head) + _width(shows(shown[: start + span]).expandtabs(_TAB))
    carets = "^" * max(through - before, 1)
    return [
        ((f"{pad} |", _GUTTER),),
        ((f"{number} | ", _GUTTER), (head + safe.expandtabs(_TAB) + tail, "")),
        ((f"{pad} | ", _GUTTER), (" " * before, ""), (carets, style)),
    ]


def _window(raw: str, start: int, span: int) -> tuple[str, str, str, int, int]:
    """(`…` if the line is cut before, the part of `raw` shown, `…` if it is cut after, where
    the span starts in that part, its length in it): all of a line up to `LONG_LINE`
    characters, else `CONTEXT` characters around the span (itself cut to `CONTEXT`)."""
    if len(raw) <= LONG_LINE:
        return "", raw, "", start, span
    span = min(span, CONTEXT)
    first, last = max(start - CONTEXT, 0), min(start + span + CONTEXT, len(raw))
    return ("…" if first else ""), raw[first:last], ("…" if last < len(raw) else ""), start - first, span


def _fit(raw: str, start: int, span: int, room: int) -> tuple[str, str, str, int, int]:
    """As `_window`, but the part shown, with its `…`s, takes at most `room` terminal cells:
    the span (cut to fit), then as much of the line before it as after it, the rest to
    whichever side has more. Cells are counted per character, a tab as `_TAB` (the most it
    expands to), so the line shown is never wider than counted."""
    room = max(room, 8)
    start = min(start, len(raw))
    if len(raw) <= 4 * room and _cells(raw) <= room:  # (a long line is never counted whole)
        return "", raw, "", start, span
    budget = room - 2  # a `…` each side, at most
    spare = budget - max(budget - 20, budget // 2)  # kept for the text around a long span
    end = start
    while end < min(start + span, len(raw)) and _cell(raw[end]) <= budget - spare:
        budget -= _cell(raw[end])
        end += 1
    first, last = start, end
    left_turn = True
    while True:  # one character on each side in turn, while either side has room and text
        grew = False
        for side in ((0, 1) if left_turn else (1, 0)):
            if side == 0 and first > 0 and _cell(raw[first - 1]) <= budget:
                first -= 1
                budget -= _cell(raw[first])
                grew = True
            elif side == 1 and last < len(raw) and _cell(raw[last]) <= budget:
                budget -= _cell(raw[last])
                last += 1
                grew = True
        if not grew:
            break
    return ("…" if first else ""), raw[first:last], ("…" if last < len(raw) else ""), start - first, max(end - start, 1)


def _cell(char: str) -> int:
    """Terminal cells one character of a source line takes as shown (at most)."""
    if char == "\t":
        return _TAB
    shown = printable(char)
    return len(shown) if shown is not char else _width(char)


def _cells(text: str) -> int:
    return sum(_cell(c) for c in text)


def _width(text: str) -> int:
    """Terminal cells: wide East Asian letters take two, combining marks none."""
    if text.isascii():
        return len(text)  # one cell each: the common case, without a lookup per character
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def _ansi(lines: list[Line]) -> str:
    # Imported here so that the machine formats never pay for Rich's import time.
    from rich.console import Console
    from rich.text import Text

    buffer = StringIO()
    console = Console(
        file=buffer,
        force_terminal=True,
        force_jupyter=False,
        color_system="standard",
        no_color=False,  # colour was asked for explicitly; NO_COLOR is the caller's to honour
        width=120,
        soft_wrap=True,  # never re-wrap source lines, or the carets stop lining up
        markup=False,
        emoji=False,
        highlight=False,
        legacy_windows=False,
    )
    for line in lines:
        console.print(Text.assemble(*line))
    return buffer.getvalue()
