"""Terminal rendering: the one place that imports Rich (when it renders: a plain lint run in a
pre-commit hook never pays for Rich's import)."""

from __future__ import annotations

import os
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


def wants_color(stream: TextIO, no_color: bool) -> bool:
    """Colour only on a terminal, and never with --no-color or NO_COLOR set."""
    return not no_color and "NO_COLOR" not in os.environ and stream.isatty()


def console(stream: TextIO | None = None, color: bool = False) -> Console:
    from rich.console import Console

    stream = stream or sys.stdout
    return Console(file=stream, no_color=not color, color_system="standard" if color else None, highlight=False, soft_wrap=True)


def error(message: str, hint: str | None = None, color: bool = False) -> None:
    out = console(sys.stderr, color)
    out.print(f"[bold red]error[/]: {message}" if color else f"error: {message}", markup=color)
    if hint:
        out.print(f"  hint: {hint}", markup=False)


def warning(message: str) -> None:
    """A problem worth saying that stops nothing (plain text: a lint run imports no Rich for it)."""
    print(f"warning: {message}", file=sys.stderr)


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

    grid = Table(title=title, box=None, header_style="bold" if color else "", pad_edge=False)
    for column in columns:
        grid.add_column(column)
    for row in rows:
        grid.add_row(*(str(cell) for cell in row))
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
        out.print(f"sleep: {report.skipped}", markup=False)
        return
    rows = [(s.name, s.pages_changed or "", s.detail, f"{s.tokens:,}" if s.tokens else "", f"${s.cost_usd:.4f}" if s.cost_usd else "", len(s.commits) or "") for s in report.steps]
    table(f"kbsleep sleep (run {report.run_id})", ("step", "pages changed", "what", "tokens", "cost", "commits"), rows, color)
    findings = _tiers(report.findings)
    out.print(f"findings: {findings}; questions precomputed: {report.questions}; commits: {len(report.commits)}", markup=False)
    if report.pending_batch:
        out.print(f"batch {report.pending_batch} is still running: the next `kbsleep sleep` collects it", markup=False)
    if report.commits:
        out.print("`kbsleep undo` reverts this whole sleep", markup=False)


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
        out.print(f"  stale answers: {path}", markup=False)
    for question, attempts in [q for q in found.queued if q[1]][:10]:
        out.print(f"  queued, no answer found in {attempts} run{'s' if attempts != 1 else ''}: {question}", markup=False)


def _queued(queued: Sequence[tuple[str, int]]) -> str:
    unanswered = sum(1 for _, attempts in queued if attempts)
    return f"{len(queued)}" + (f" ({unanswered} not found by anticipate yet)" if unanswered else "")


def demo_summary(report: DemoReport, color: bool = False) -> None:
    out = console(color=color)

    out.print(f"A copy of sample_wiki/ in a new git repository: {report.path}", markup=False)
    out.print(f"\n1. lint before sleeping: {_tiers(report.before)}", markup=False)
    out.print("2. kbsleep sleep:", markup=False)
    sleep_summary(report.sleep, color)
    out.print(f"3. lint after sleeping: {_tiers(report.after)}", markup=False)
    out.print("4. kbsleep ask:", markup=False)
    for answer in report.answers:
        how = {"precomputed": "precomputed answer, no model call"}.get(answer.path, answer.path)
        out.print(f"\n  Q: {answer.question}\n  A: {answer.text}\n     ({how})", markup=False)
    out.print(f"\nLook around: cd {report.path} && git log --stat; `kbsleep undo` there reverts the sleep.", markup=False)


def _tiers(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{n} {tier}{'s' if n != 1 else ''}" for tier, n in counts.items() if n) or "no findings"
