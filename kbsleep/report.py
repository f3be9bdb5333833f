"""Terminal rendering: the one place that imports Rich."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator, Sequence, TextIO

from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

if TYPE_CHECKING:
    from kbsleep.lint.records import Rule


def wants_color(stream: TextIO, no_color: bool) -> bool:
    """Colour only on a terminal, and never with --no-color or NO_COLOR set."""
    return not no_color and "NO_COLOR" not in os.environ and stream.isatty()


def console(stream: TextIO | None = None, color: bool = False) -> Console:
    stream = stream or sys.stdout
    return Console(file=stream, no_color=not color, color_system="standard" if color else None, highlight=False, soft_wrap=True)


def error(message: str, hint: str | None = None, color: bool = False) -> None:
    out = console(sys.stderr, color)
    out.print(f"[bold red]error[/]: {message}" if color else f"error: {message}", markup=color)
    if hint:
        out.print(f"  hint: {hint}", markup=False)


def rules_table(rules: Sequence[Rule], color: bool = False) -> None:
    table = Table(box=None, header_style="bold" if color else "", pad_edge=False)
    for column in ("code", "name", "tier", "what it does"):
        table.add_column(column)
    for rule in rules:
        table.add_row(rule.code, rule.name, rule.severity, rule.summary)
    console(color=color).print(table)


def rule_page(rule: Rule, color: bool = False) -> None:
    """One rule's documentation, in its four parts."""
    parts = rule.parts()
    text = f"# {rule.name} ({rule.code})\n\nTier: **{rule.severity}**\n"
    for heading in ("What it does", "Why it matters", "Example", "Fix"):
        if heading in parts:
            text += f"\n## {heading}\n\n{parts[heading]}\n"
    out = console(color=color)
    if color:
        out.print(Markdown(text))
    else:
        out.print(text.rstrip(), markup=False)


def table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[object]], color: bool = False, stream: TextIO | None = None) -> None:
    grid = Table(title=title, box=None, header_style="bold" if color else "", pad_edge=False)
    for column in columns:
        grid.add_column(column)
    for row in rows:
        grid.add_row(*(str(cell) for cell in row))
    console(stream, color).print(grid)


@contextmanager
def progress(label: str, enabled: bool) -> Iterator[object]:
    """A Rich progress bar on stderr; yields a `(done, total)` callback, or None when disabled."""
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    bar = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=Console(file=sys.stderr), transient=True)
    task = bar.add_task(label, total=None)
    with bar:
        yield lambda done, total: bar.update(task, completed=done, total=total)
