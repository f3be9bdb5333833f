"""`kbsleep sleep`: the whole cycle (consolidate, lint, anticipate, index) as one run, incremental.

Each step works on the wiki as the step before left it. All commits share one run id, so one
`kbsleep undo` reverts the whole sleep. The cycle holds the wiki's writer lock, spends from one
budget (what a step spends is gone for the next), and records what it did in
`.kbsleep/last-sleep.json`; a sleep when nothing changed since the last one does nothing.
"""

from __future__ import annotations

import datetime
import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from kbsleep.git import transaction
from kbsleep.lint import lint
from kbsleep.lock import hold
from kbsleep.state import STATE_DIR, ensure_state_dir
from kbsleep.status import LAST_SLEEP, read_last_sleep
from kbsleep.wiki import Wiki, load_wiki

if TYPE_CHECKING:
    from kbsleep.llm import Budget, Model, ProgressHook
    from kbsleep.passes.anticipate import Confirm


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


def sleep(wiki: Wiki, model: Model, options: SleepOptions = SleepOptions(), *, budget: Budget | None = None, progress: ProgressHook | None = None, confirm: Confirm | None = None, confirm_consolidate: Confirm | None = None) -> SleepReport:
    """Run the cycle; returns what each step did. Holds the writer lock throughout. `confirm`
    is asked before anticipate writes more than `max-pages-per-run` pages (see `anticipate`),
    `confirm_consolidate` before consolidate does (see `consolidate`)."""
    root = wiki.root
    with hold(root, "sleep"):
        if transaction.ready(root, writes=True):  # restored what a killed run left: read the wiki again
            wiki = load_wiki(root, wiki.config)
        run_id = transaction.new_run_id()
        last = read_last_sleep(root)
        unchanged = last is not None and last.get("fingerprint") == _fingerprint(root) and not last.get("left") and not last.get("consolidate_left")
        if not options.force and unchanged and not _pending(root):
            return SleepReport(run_id, skipped="nothing changed since the last sleep")
        steps: list[StepSummary] = []
        remaining = budget

        def step(name: str, work: Callable[[Wiki, Budget | None], tuple[StepSummary, Any]]) -> Any:
            nonlocal wiki, remaining
            summary, extra = work(wiki, remaining)
            steps.append(summary)
            remaining = _spent(remaining, summary)
            if summary.commits:
                wiki = load_wiki(snapshot=_resnapshot(wiki))
            return extra

        consolidate_left = step("consolidate", lambda w, b: _consolidate(w, model, b, run_id, options, confirm_consolidate))
        findings = step("lint", lambda w, b: _lint(w))
        questions, pending, left = step("anticipate", lambda w, b: _anticipate(w, model, b, run_id, options, progress, confirm))
        step("index", lambda w, b: _index(w))
        if wiki.config.summaries.method == "model":
            step("summaries", lambda w, b: _summaries(w, model, b, options))
        report = SleepReport(run_id, tuple(steps), findings, questions, pending_batch=pending, left=left, consolidate_left=consolidate_left)
        _record(root, report)
        return report


# -- steps --------------------------------------------------------------------------------------


def _consolidate(wiki: Wiki, model: Model, budget: Budget | None, run_id: str, options: SleepOptions, confirm: Confirm | None) -> tuple[StepSummary, int]:
    from kbsleep.passes.consolidate import consolidate

    done = consolidate(wiki, model, budget=budget, run_id=run_id, yes=options.yes, confirm=confirm)
    changed = {edit.path for s in done.steps if s.commit for edit in s.outcome.edits}
    detail = ", ".join(s.outcome.task for s in done.steps if s.commit) or "nothing to do"  # `git log` has the details
    left = len(done.deferred) + len(done.not_run)
    if left:
        detail += f"; {len(done.deferred)} pieces of work and {len(done.not_run)} tasks left for the next sleep (max-pages-per-run)"
    return StepSummary("consolidate", len(changed), done.commits, done.tokens, done.cost_usd, detail), left


def _lint(wiki: Wiki) -> tuple[StepSummary, dict[str, int]]:
    report = lint(wiki)
    findings = {tier: report.count(tier) for tier in ("error", "warning", "judgement")}
    detail = ", ".join(f"{n} {tier}{'s' if n != 1 else ''}" for tier, n in findings.items() if n) or "no findings"
    return StepSummary("lint", detail=detail), findings


def _anticipate(wiki: Wiki, model: Model, budget: Budget | None, run_id: str, options: SleepOptions, progress: ProgressHook | None, confirm: Confirm | None) -> tuple[StepSummary, tuple[int, str | None, int]]:
    from kbsleep.passes.anticipate import Options, anticipate

    done = anticipate(wiki, model, Options(batch=options.batch, wait=options.wait, yes=options.yes), budget=budget, progress=progress, run_id=run_id, confirm=confirm)
    questions = sum(w.questions for w in done.written)
    commits = (done.commit.sha,) if done.commit else ()
    usage = done.report.usage if done.report else None
    tokens = (usage.input_tokens + usage.output_tokens + usage.cache_read_tokens + usage.cache_write_tokens) if usage else 0
    cost = done.report.cost_usd if done.report else 0.0
    detail = f"{questions} questions on {len(done.written)} pages" + (f", {len(done.skipped)} skipped" if done.skipped else "")
    if done.left:
        detail += f", {len(done.left)} left for the next sleep (max-pages-per-run)"
    stopped = ""
    if done.stopped and done.report is not None:
        detail += f", {len(done.report.not_done)} not asked"
        stopped = done.stopped + (f" ({done.report.hint})" if done.report.hint else "")
    failed = tuple(f"{s.path}: {s.reason}" for s in done.skipped if s.reason.startswith("model error:"))
    summary = StepSummary("anticipate", len(done.written), commits, tokens, cost, detail, stopped, failed)
    return summary, (questions, done.pending_batch, len(done.left))


def _index(wiki: Wiki) -> tuple[StepSummary, None]:
    from kbsleep.search.index import Index

    with Index(wiki.root, wiki.config) as index:
        refreshed = index.refresh()
    return StepSummary("index", detail=f"{refreshed.updated} of {refreshed.pages} pages re-indexed"), None


def _summaries(wiki: Wiki, model: Model, budget: Budget | None, options: SleepOptions) -> tuple[StepSummary, None]:
    from kbsleep.passes.summaries import summarise_sections

    done = summarise_sections(wiki.root, wiki.config, model, budget=budget, batch=options.batch, wait=options.wait)
    report, stopped = done.report, ""
    if report is not None and report.stop_reason:
        stopped = report.stop_reason + (f" ({report.hint})" if report.hint else "")
    detail = f"{done.written} of {done.due} sections summarised by the model" + (f", {len(done.rejected)} replies not used" if done.rejected else "")
    return StepSummary("summaries", 0, (), done.tokens, done.cost_usd, detail, stopped), None


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
    head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, check=False).stdout.strip()
    record = {
        "at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "run": report.run_id,
        "head": head,
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
