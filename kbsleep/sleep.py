"""`kbsleep sleep`: the whole cycle (consolidate, lint, anticipate, index) as one run, incremental.

The cycle is a table of passes (`PASSES`), each run by the one runner (`kbsleep.git.runner`) on
the wiki as the pass before left it. All commits share one run id, so one `kbsleep undo`
reverts the whole sleep. The cycle holds the wiki's writer lock, spends from one budget (what
a pass spends is gone for the next), and records what it did in `.kbsleep/last-sleep.json`;
a sleep when nothing changed since the last one does nothing.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping

from kbsleep.git import runner, transaction
from kbsleep.lock import hold
from kbsleep.passes import anticipate, consolidate
from kbsleep.passes.findings import Lint
from kbsleep.passes.search_index import SearchIndex
from kbsleep.passes.summaries_pass import Summaries
from kbsleep.state import STATE_DIR, ensure_state_dir
from kbsleep.status import LAST_SLEEP, read_last_sleep
from kbsleep.wiki import Wiki, load_wiki

if TYPE_CHECKING:
    from kbsleep.config import Config
    from kbsleep.llm import Budget, Model, ProgressHook

Confirm = runner.Confirm


@dataclass(frozen=True)
class StepSummary:
    name: str
    pages_changed: int = 0
    commits: tuple[str, ...] = ()
    tokens: int = 0
    cost_usd: float = 0.0
    detail: str = ""  # one line for the summary table
    stopped: str = ""  # why the endpoint stopped the step (and its hint), "" when it did not
    failed: tuple[str, ...] = ()  # "page: why" for each item the model gave no usable reply for


@dataclass(frozen=True)
class SleepReport:
    run_id: str
    steps: tuple[StepSummary, ...] = ()
    findings: dict[str, int] = field(default_factory=dict)  # tier -> count after consolidation
    questions: int = 0  # questions precomputed
    skipped: str = ""  # why nothing ran, when nothing did
    pending_batch: str | None = None
    left: int = 0  # pages anticipate left for later runs (over `max-pages-per-run`)
    consolidate_left: int = 0  # pieces of work (and tasks) consolidate left for later runs (the same)
    note: str = ""  # consolidate's index, log or inbox task not run, why and how to turn it on (one line)

    @property
    def commits(self) -> tuple[str, ...]:
        return tuple(c for step in self.steps for c in step.commits)

    @property
    def stopped(self) -> str:
        return next((f"{step.name}: {step.stopped}" for step in self.steps if step.stopped), "")

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(f for step in self.steps for f in step.failed)

    @property
    def cost_usd(self) -> float:
        return sum(step.cost_usd for step in self.steps)

    @property
    def tokens(self) -> int:
        return sum(step.tokens for step in self.steps)


@dataclass(frozen=True)
class SleepOptions:
    batch: bool = False
    wait: bool = False
    force: bool = False  # run even when nothing changed since the last sleep
    yes: bool = False  # consolidate and anticipate write every page they would, even more than `max-pages-per-run`


# name -> the pass for these options and this config (None: not in this cycle), in the order they
# run (each on the wiki as the ones before left it).
PASSES: dict[str, Callable[[SleepOptions, Config], runner.Pass[Any] | None]] = {
    "consolidate": lambda o, c: consolidate.Consolidate(consolidate.Options(yes=o.yes)),
    "lint": lambda o, c: Lint(),
    "anticipate": lambda o, c: anticipate.Anticipate(anticipate.Options(batch=o.batch, wait=o.wait, yes=o.yes)),
    "index": lambda o, c: SearchIndex(),
    "summaries": lambda o, c: Summaries(o.batch, o.wait) if c.summaries.method == "model" else None,
}


def sleep(wiki: Wiki, model: Model, options: SleepOptions = SleepOptions(), *, budget: Budget | None = None, progress: ProgressHook | None = None, confirm: Confirm | None = None, confirm_consolidate: Confirm | None = None) -> SleepReport:
    """Run the cycle; returns what each pass did. Holds the writer lock throughout. `confirm`
    is asked before anticipate writes more than `max-pages-per-run` pages (see `anticipate`),
    `confirm_consolidate` before consolidate does (see `consolidate`)."""
    root = wiki.root
    confirms = {"anticipate": confirm, "consolidate": confirm_consolidate}
    with hold(root, "sleep"):
        if transaction.ready(root, writes=True):  # restored what a killed run left: read the wiki again
            wiki = load_wiki(root, wiki.config)
        run_id = transaction.new_run_id()
        last = read_last_sleep(root)
        unchanged = last is not None and last.get("fingerprint") == _fingerprint(root) and not last.get("left") and not last.get("consolidate_left")
        if not options.force and unchanged and not _pending(root):
            return SleepReport(run_id, skipped="nothing changed since the last sleep")
        steps: list[StepSummary] = []
        results: dict[str, runner.Result] = {}
        remaining = budget
        for name, make in PASSES.items():
            step = make(options, wiki.config)
            if step is None:
                continue
            context = runner.Context(model, run_id, budget=remaining, progress=progress, confirm=confirms.get(name))
            result = results[name] = runner.run(step, wiki, context)
            summary = StepSummary(name, len(result.pages), result.commits, result.tokens, result.cost_usd, result.summary, result.halted, result.failed)
            steps.append(summary)
            remaining = _spent(remaining, summary)
            if summary.commits:
                wiki = load_wiki(snapshot=_resnapshot(wiki))
        report = _report(run_id, tuple(steps), results)
        _record(root, report)
        return report


def _report(run_id: str, steps: tuple[StepSummary, ...], results: Mapping[str, Any]) -> SleepReport:
    """The cycle's report: each pass's summary, and the figures `status` and the next sleep read."""
    found, answered, tidied = results.get("lint"), results.get("anticipate"), results.get("consolidate")
    return SleepReport(
        run_id,
        steps,
        dict(found.counts) if found else {},
        answered.questions if answered else 0,
        pending_batch=answered.pending_batch if answered else None,
        left=answered.postponed if answered else 0,
        consolidate_left=tidied.postponed if tidied else 0,
        note=f"consolidate: {tidied.note}" if tidied and tidied.note else "",
    )


# -- bookkeeping --------------------------------------------------------------------------------


def _spent(budget: Budget | None, summary: StepSummary) -> Budget | None:
    if budget is None:
        return None
    from kbsleep.llm import Budget

    cost = None if budget.max_cost_usd is None else max(0.0, budget.max_cost_usd - summary.cost_usd)
    tokens = None if budget.max_tokens is None else max(0, budget.max_tokens - summary.tokens)
    return Budget(max_cost_usd=cost, max_tokens=tokens)


def _resnapshot(wiki: Wiki):  # type: ignore[no-untyped-def]
    from kbsleep.wiki import take_snapshot

    return take_snapshot(wiki.root, config=wiki.config)


def _fingerprint(root: Path) -> str:
    from kbsleep.wiki import take_snapshot

    return take_snapshot(root).fingerprint


def _pending(root: Path) -> bool:
    folder = root / STATE_DIR / "batches"
    return folder.is_dir() and any(folder.iterdir())


def _record(root: Path, report: SleepReport) -> None:
    record = {
        "at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "run": report.run_id,
        "head": runner.head(root),
        "fingerprint": _fingerprint(root),
        "commits": list(report.commits),
        "findings": report.findings,
        "questions": report.questions,
        "left": report.left,
        "consolidate_left": report.consolidate_left,
        "tokens": report.tokens,
        "cost_usd": round(report.cost_usd, 6),
    }
    (ensure_state_dir(root) / LAST_SLEEP).write_text(json.dumps(record, indent=2), encoding="utf-8")
