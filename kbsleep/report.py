"""Terminal rendering: the one place that imports Rich (when it renders: a plain lint run in a
pre-commit hook never pays for Rich's import), and `printable`, which every text kbsleep prints
goes through: page text, model text and server messages never reach a terminal raw."""

from __future__ import annotations

import os
import re
import sys
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator, Mapping, Sequence, TextIO

if TYPE_CHECKING:
    from rich.console import Console

    from kbsleep.demo import DemoReport
    from kbsleep.lint.records import Rule
    from kbsleep.sleep import SleepReport
    from kbsleep.status import Status


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
        _say(out, f"  hint: {hint}")


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


@contextmanager
def progress(label: str, enabled: bool) -> Iterator[object]:
    """A Rich progress bar on stderr; yields a `(done, total)` callback, or None when disabled.

    The bar is redrawn from the callback, at most ten times a second, not by Rich's refresh
    thread: with no other thread running, a cold load can fork its workers (see `kbsleep.forked`).
    It appears at the first callback: a question asked on the terminal before that (a pass
    about to write more than `max-pages-per-run` pages) is not drawn over.
    """
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    bar = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=Console(file=sys.stderr), transient=True, auto_refresh=False)
    task = bar.add_task(label, total=None)
    drawn = [0.0]

    def tick(done: int, total: int) -> None:
        if not bar.live.is_started:
            bar.start()
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


def sleep_summary(report: SleepReport, color: bool = False) -> None:
    """The table at the end of `kbsleep sleep`: what each step did, tokens, cost, commits."""
    out = console(color=color)
    if report.skipped:
        _say(out, f"sleep: {report.skipped}")
        return
    rows = [(s.name, s.pages_changed or "", s.detail, f"{s.tokens:,}" if s.tokens else "", f"${s.cost_usd:.4f}" if s.cost_usd else "", len(s.commits) or "") for s in report.steps]
    table(f"kbsleep sleep (run {report.run_id})", ("step", "pages changed", "what", "tokens", "cost", "commits"), rows, color)
    findings = _tiers(report.findings)
    _say(out, f"findings: {findings}; questions precomputed: {report.questions}; commits: {len(report.commits)}")
    if report.pending_batch:
        _say(out, f"batch {report.pending_batch} is still running: the next `kbsleep sleep` collects it")
    if report.commits:
        _say(out, "`kbsleep undo` reverts this whole sleep")


def status_summary(found: Status, color: bool = False) -> None:
    out = console(color=color)
    findings = _tiers(found.findings)
    last = found.last_sleep
    rows = [
        ("pages", found.pages),
        ("open lint findings", findings),
        ("answers older than their page", len(found.stale_answers)),
        ("pages without precomputed answers", len(found.unanswered)),
        ("inbox notes waiting", len(found.inbox)),
        ("pending batches", len(found.pending_batches)),
        ("questions queued for anticipate", _queued(found.queued)),
        ("last sleep", f"{last['at']} (run {last['run']})" if last else "never"),
    ]
    for phase, spend in sorted(found.spend.items()):
        rows.append((f"{phase}-time model use", f"{spend['tokens']:,} tokens, ${spend['cost_usd']:.4f}, {spend['calls']} calls"))
    table("kbsleep status", ("", ""), rows, color)
    for path in found.stale_answers[:10]:
        _say(out, f"  stale answers: {path}")
    for question, attempts in [q for q in found.queued if q[1]][:10]:
        _say(out, f"  queued, no answer found in {attempts} run{'s' if attempts != 1 else ''}: {question}")


def _queued(queued: Sequence[tuple[str, int]]) -> str:
    unanswered = sum(1 for _, attempts in queued if attempts)
    return f"{len(queued)}" + (f" ({unanswered} not found by anticipate yet)" if unanswered else "")


def demo_summary(report: DemoReport, color: bool = False) -> None:
    out = console(color=color)

    _say(out, f"A copy of sample_wiki/ in a new git repository: {report.path}")
    _say(out, f"\n1. lint before sleeping: {_tiers(report.before)}")
    _say(out, "2. kbsleep sleep:")
    sleep_summary(report.sleep, color)
    _say(out, f"3. lint after sleeping: {_tiers(report.after)}")
    _say(out, "4. kbsleep ask:")
    for answer in report.answers:
        how = {"precomputed": "precomputed answer, no model call"}.get(answer.path, answer.path)
        _say(out, f"\n  Q: {answer.question}\n  A: {answer.text}\n     ({how})")
    _say(out, f"\nLook around: cd {report.path} && git log --stat; `kbsleep undo` there reverts the sleep.")


def _say(out: Console, text: str) -> None:
    """Print `text` as it is (no markup), `printable`."""
    out.print(printable(text), markup=False)


def _tiers(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{n} {tier}{'s' if n != 1 else ''}" for tier, n in counts.items() if n) or "no findings"
