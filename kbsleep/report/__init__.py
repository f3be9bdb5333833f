"""Terminal rendering: the one place that imports Rich (when it renders: a plain lint run in a
pre-commit hook never pays for Rich's import), and `printable`, which every text kbsleep prints
goes through: page text, model text and server messages never reach a terminal raw.

This module holds what every command uses (lines, errors, tables, progress, plurals);
`kbsleep.report.summaries` the summary each command prints of what it did."""

from __future__ import annotations

import os
import re
import sys
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Iterator, Sequence, TextIO

if TYPE_CHECKING:
    from rich.console import Console

    from kbsleep.lint.records import Rule


# What a terminal would act on instead of showing: C0 controls but tab and newline (ESC starts
# the sequences that recolour, move the cursor, retitle the window or write the clipboard; BEL,
# backspace and a carriage return not before a newline rewrite what is shown), DEL, the C1
# controls (U+009B is a one-byte ESC [), the Unicode bidirectional overrides, embeddings,
# isolates and marks (they reorder what is shown: "Trojan Source", CVE-2021-42574), and the line
# and paragraph separators.
_UNSAFE = re.compile("\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SUSPECT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")  # and any CR: a faster first look


def printable(text: str) -> str:
    """`text` with each character a terminal would act on shown as its escape (`\\u001b`).

    The escape is JSON's, so JSON text stays valid JSON with the same data (its encoder has
    escaped the C0 controls already; this escapes the rest). Tabs, newlines and CRLF line
    endings are kept. Idempotent: its output holds nothing it would change."""
    if _SUSPECT.search(text) is None or _UNSAFE.search(text) is None:
        return text  # (almost always: one scan, no copy)
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def echo(text: str = "", err: bool = False, nl: bool = True) -> None:
    """Print a line of the CLI's output (`printable`)."""
    import typer

    typer.echo(printable(text), err=err, nl=nl)


def wants_color(stream: TextIO, no_color: bool) -> bool:
    """Colour only on a terminal, and never with --no-color or NO_COLOR set."""
    return not no_color and "NO_COLOR" not in os.environ and stream.isatty()


def console(stream: TextIO | None = None, color: bool = False) -> Console:
    from rich.console import Console

    stream = stream or sys.stdout
    return Console(file=stream, no_color=not color, color_system="standard" if color else None, highlight=False, soft_wrap=True)


def error(message: str, hint: str | None = None, color: bool = False) -> None:
    from rich.text import Text

    out = console(sys.stderr, color)
    # (Text, not markup: a message quoting `[[Page]]` or `[bold]` is shown as written.)
    out.print(Text.assemble(("error", "bold red" if color else ""), f": {printable(message)}"))
    if hint:
        say(out, f"  hint: {hint}")


def warning(message: str) -> None:
    """A problem worth saying that stops nothing (plain text: a lint run imports no Rich for it)."""
    print(f"warning: {printable(message)}", file=sys.stderr)


def rules_table(rules: Sequence[Rule], color: bool = False) -> None:
    from rich.table import Table

    table = Table(box=None, header_style="bold" if color else "", pad_edge=False)
    for column in ("code", "name", "tier", "what it does"):
        table.add_column(column)
    for rule in rules:
        table.add_row(rule.code, rule.name, rule.severity if rule.default else f"{rule.severity} (off)", rule.summary)
    console(color=color).print(table)


def rule_page(rule: Rule, color: bool = False) -> None:
    """One rule's documentation, in its four parts."""
    parts = rule.parts()
    text = f"# {rule.name} ({rule.code})\n\nTier: **{rule.severity}**\n"
    if not rule.default:
        text += f"\nOff by default: `--select {rule.name}` (or `lint.extend-select`) turns it on.\n"
    for heading in ("What it does", "Why it matters", "Example", "Fix"):
        if heading in parts:
            text += f"\n## {heading}\n\n{parts[heading]}\n"
    out = console(color=color)
    if color:
        from rich.markdown import Markdown

        out.print(Markdown(text))
    else:
        out.print(text.rstrip(), markup=False)


def table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[object]], color: bool = False, stream: TextIO | None = None) -> None:
    from rich.table import Table

    grid = Table(title=printable(title) if title else None, box=None, header_style="bold" if color else "", pad_edge=False)
    for column in columns:
        grid.add_column(column)
    for row in rows:
        grid.add_row(*(printable(str(cell)) for cell in row))
    console(stream, color).print(grid)


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 page', '2 pages', '1,024 pages'; `many` for a word that does not take an s ('2 copies')."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def seconds(elapsed: float) -> str:
    """A duration as a person reads it: '0.42 s', '14.2 s', '3 min 05 s'."""
    if elapsed < 10:
        return f"{elapsed:.2f} s"
    if elapsed < 60:
        return f"{elapsed:.1f} s"
    minutes, rest = divmod(round(elapsed), 60)
    return f"{minutes} min {rest:02d} s"


@contextmanager
def progress(label: str, enabled: bool, unit: str = "item") -> Iterator[Callable[[int, int], None] | None]:
    """A Rich progress bar on stderr with the time left; yields a `(done, total)` callback, or
    None when disabled. When the work ends, the bar gives way to one line: what was done, and
    how long it took ('Parsing pages: 6,500 pages in 3.21 s').

    The bar is redrawn from the callback, at most ten times a second, not by Rich's refresh
    thread: with no other thread running, a cold load can fork its workers (see `kbsleep.forked`).
    It appears at the first callback: a question asked on the terminal before that (a pass
    about to write more than `max-pages-per-run` pages) is not drawn over.
    """
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn, TimeRemainingColumn

    columns = ("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn())
    bar = Progress(*columns, console=Console(file=sys.stderr), transient=True, auto_refresh=False)
    task = bar.add_task(label, total=None)
    drawn = [0.0]
    counts = [0, 0]
    started = time.monotonic()

    def tick(done: int, total: int) -> None:
        if not bar.live.is_started:
            bar.start()
        counts[:] = [done, total]
        bar.update(task, completed=done, total=total)
        now = time.monotonic()
        if now - drawn[0] >= 0.1 or done >= total:
            drawn[0] = now
            bar.refresh()

    try:
        yield tick
    finally:
        if bar.live.is_started:
            bar.stop()
            done, total = counts
            took = seconds(time.monotonic() - started)
            line = f"{label}: {plural(total, unit)} in {took}" if done >= total else f"{label}: stopped after {done:,} of {plural(total, unit)} ({took})"
            print(printable(line), file=sys.stderr)


class StatusLine:
    """The line `status` leaves when its work is done (None: erase it)."""

    after: str | None = None


@contextmanager
def status(text: str, enabled: bool, *, quick: float = 1.0) -> Iterator[StatusLine]:
    """'text…' on stderr while slow work runs, then the line the caller sets in `after` (work
    quicker than `quick` seconds leaves nothing). Only when `enabled`: on a terminal, and never
    in output a program reads. No thread: what runs inside may fork (see `progress`)."""
    said = StatusLine()
    if not enabled:
        yield said
        return
    started = time.monotonic()
    sys.stderr.write(printable(text) + "…")
    sys.stderr.flush()
    try:
        yield said
    finally:
        sys.stderr.write("\r\x1b[K")  # back to the start of the line, and clear it
        if said.after and time.monotonic() - started >= quick:
            sys.stderr.write(printable(said.after) + "\n")
        sys.stderr.flush()


def say(out: Console, text: str) -> None:
    """Print `text` as it is (no markup), `printable`."""
    out.print(printable(text), markup=False)
