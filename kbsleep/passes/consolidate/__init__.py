"""`kbsleep consolidate`: safe rewrites of the wiki between turns, one task at a time.

Every selected task is first *planned* against a private copy of the wiki (each task sees the
result of the one before), so model calls, budget stops and API failures happen before
anything is written. The runner (`kbsleep.git.runner`) then commits each task's plan as one
commit, all with the same run id: one `kbsleep undo` reverts the whole run. The run's commits
are one transaction (`kbsleep.git.chain`): an interrupt or a kill anywhere while they are
written leaves the work tree and HEAD as they were before the run.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable, Iterable

from kbsleep.git import runner, transaction
from kbsleep.passes import gate
from kbsleep.errors import KbsleepError
from kbsleep.passes.consolidate import asked, contradictions, duplicates, exact, inbox, index, links, log
from kbsleep.passes.consolidate.contradictions import offline_resolve
from kbsleep.passes.consolidate.merge_text import offline_merge
from kbsleep.passes.consolidate.inbox import offline_fold
from kbsleep.passes.consolidate.records import NOT_ASKED, Context, Left, Outcome
from kbsleep.wiki import Wiki

if TYPE_CHECKING:
    from kbsleep.llm import Budget, Model, ProgressHook

__all__ = ["TASKS", "Step", "Options", "ConsolidateReport", "Consolidate", "Confirm", "consolidate", "named", "parse_only", "offline_merge", "offline_fold", "offline_resolve"]

PASS = "consolidate"
RECORD = "log"  # the task that records what the others did: it runs whatever the limit left

# task -> planner, in the order they run (each works on the result of the ones before).
TASKS: dict[str, Callable[[Wiki, Context], Outcome]] = {
    "links": links.plan,  # deterministic: unique repairs and alias links
    "duplicates": duplicates.plan,  # model "merge" (offline: section by section)
    "inbox": inbox.plan,  # model "fold" (offline: the page the note names most)
    "contradictions": contradictions.plan,  # model "resolve" (offline: callouts only)
    "index": index.plan,  # deterministic: the kbsleep:index catalogue
    "log": log.plan,  # deterministic: what this run did, appended to log.md
}


@dataclass(frozen=True)
class Step:
    outcome: Outcome
    diff: str = ""  # a dry run's: against the wiki as the earlier tasks of this run left it
    commit: str | None = None  # None on a dry run or when the task changed nothing
    ran: bool = True  # False: not run, an earlier task left work for a later run (`max-pages-per-run`)


@dataclass(frozen=True)
class Options:
    only: Iterable[str] = ()  # the tasks named to run (`named`); all when empty. Named, the index and log tasks may create their page, the inbox task folds
    dry_run: bool = False
    yes: bool = False  # write every page the run would, even more than `max-pages-per-run`
    today: datetime.date | None = None  # the date log.md and the archive use (default: today)


@dataclass(frozen=True)
class ConsolidateReport:
    run_id: str
    steps: tuple[Step, ...]
    dry_run: bool
    recovered: tuple[str, ...] = ()  # what an interrupted earlier run left and was undone
    limit: int = 0  # the `max-pages-per-run` this run kept to; 0: none
    spent: tuple[int, float] = (0, 0.0)  # tokens and dollars of a plan made before this one (`confirm` said no)
    note: str = ""  # why the index, log or inbox task did not run, and how to turn it on, in one line (`asked.note`)

    @property
    def left(self) -> tuple[Left, ...]:
        return tuple(item for step in self.steps for item in step.outcome.left)

    @property
    def deferred(self) -> tuple[str, ...]:
        """A page of each piece of work a task left for a later run (`max-pages-per-run`)."""
        return tuple(item for step in self.steps for item in step.outcome.deferred)

    @property
    def unasked(self) -> tuple[str, ...]:
        """The tasks that did nothing because they were not asked for (`asked`): no index or log page, an inbox not to fold."""
        return tuple(step.outcome.task for step in self.steps if step.outcome.unasked)

    @property
    def not_run(self) -> tuple[str, ...]:
        """The tasks not run because an earlier one left work for a later run."""
        return tuple(step.outcome.task for step in self.steps if not step.ran)

    @property
    def pages(self) -> tuple[str, ...]:
        """Every page the run writes (changes, creates or removes), once; a dry run, would write."""
        return tuple(dict.fromkeys(e.path for s in self.steps if s.commit or self.dry_run for e in s.outcome.edits))

    @property
    def commits(self) -> tuple[str, ...]:
        return tuple(s.commit for s in self.steps if s.commit)

    @property
    def tokens(self) -> int:
        return self.spent[0] + sum(s.outcome.tokens for s in self.steps)

    @property
    def cost_usd(self) -> float:
        return self.spent[1] + sum(s.outcome.cost_usd for s in self.steps)

    @property
    def summary(self) -> str:
        done = ", ".join(s.outcome.task for s in self.steps if s.commit) or "nothing to do"  # `git log` has the details
        if self.postponed:
            done += f"; {len(self.deferred)} pieces of work and {len(self.not_run)} tasks left for the next sleep (max-pages-per-run)"
        return done

    @property
    def halted(self) -> str:
        return ""  # a model run that cannot finish stops consolidate before anything is written (`records.complete`)

    @property
    def failed(self) -> tuple[str, ...]:
        # what the model got wrong is in `left` (the task did the rest); what the budget left unasked is said
        return tuple(f"{left.path}: {left.reason}" for left in self.left if left.reason.startswith(NOT_ASKED))

    @property
    def postponed(self) -> int:
        return len(self.deferred) + len(self.not_run)

    def diff(self) -> str:
        return "".join(s.diff for s in self.steps)


def named(only: str | Iterable[str] | None) -> tuple[str, ...]:
    """The tasks named by `--only` ("links,index"), in run order; none when it names none."""
    names = [n.strip() for n in (only.split(",") if isinstance(only, str) else (only or ())) if n.strip()]
    unknown = [n for n in names if n not in TASKS]
    if unknown:
        raise KbsleepError(f"unknown consolidate task `{unknown[0]}`", hint=f"choose from: {', '.join(TASKS)}")
    return tuple(t for t in TASKS if t in names)


def parse_only(only: str | Iterable[str] | None) -> tuple[str, ...]:
    """The tasks `--only` runs, in run order: those it names, or all of them."""
    return named(only) or tuple(TASKS)


Confirm = runner.Confirm


def consolidate(wiki: Wiki, model: Model, options: Options = Options(), *, budget: Budget | None = None, progress: ProgressHook | None = None, run_id: str | None = None, confirm: Confirm | None = None) -> ConsolidateReport:
    """Plan the selected tasks, then (unless a dry run) commit each as one commit of one run.

    A run that would write more than `max-pages-per-run` pages writes them all only with `yes`
    or when `confirm` (a terminal's question) says so; otherwise it writes the first batch:
    whole pieces of work in run order (a page's link repairs, a merge with every page it
    relinks, a note's fold, a conflict's callouts on both its pages, the index, the log) while
    they fit, and leaves the rest, and the tasks after, to later runs (`deferred`, `not_run`).
    The log task still runs, to record what was written: the others keep its page free.
    """
    context = runner.Context(model, run_id or transaction.new_run_id(), options.dry_run, budget, progress, confirm)
    return runner.run(Consolidate(options), wiki, context)


@dataclass(frozen=True)
class Consolidate:
    """The pass: each selected task planned on the result of the ones before, one commit each."""

    options: Options = Options()
    name: str = PASS
    commits: bool = True

    def plan(self, wiki: Wiki, context: runner.Context) -> runner.Planned[ConsolidateReport]:
        tasks = parse_only(self.options.only)
        limit = wiki.config.max_pages_per_run if not (self.options.yes or context.dry_run) else 0
        assert context.model is not None, "consolidate needs a model (the offline engine for none)"
        here = Context(context.model, context.budget, self.options.today or datetime.date.today(), named=frozenset(named(self.options.only)))
        # Without a terminal to ask, plan the first batch at once; with one, plan everything and ask.
        steps = _plan(wiki, tasks, here, limit if limit > 0 and context.confirm is None else None)
        spent = (0, 0.0)
        if limit > 0 and context.confirm is not None:
            pages = len({e.path for s in steps for e in s.outcome.edits})
            if pages <= limit or context.confirm(pages, limit):
                limit = 0
            else:  # the model's answers are cached: planning again costs no second call
                spent = (sum(s.outcome.tokens for s in steps), sum(s.outcome.cost_usd for s in steps))
                steps = _plan(wiki, tasks, here, limit)
        unasked = [(s.outcome.task, s.outcome.unasked) for s in steps if s.outcome.unasked]
        report = ConsolidateReport(context.run_id, steps, context.dry_run, limit=limit, spent=spent, note=asked.note(unasked, wiki.config.source))
        return runner.Planned(report, tuple(_as_plan(s.outcome) for s in steps))

    def finish(self, wiki: Wiki, planned: runner.Planned[ConsolidateReport], done: runner.Done) -> ConsolidateReport:
        report = replace(planned.report, recovered=done.recovered)
        if done.dry_run:
            return replace(report, steps=tuple(replace(s, diff=d) for s, d in zip(report.steps, done.diffs)))
        steps: list[Step] = []
        for number, (step, applied) in enumerate(zip(report.steps, done.applied)):
            if applied.left_out:  # a file changed while the run planned: this task and those after it wait
                steps += _not_written(step, report.steps[number + 1 :], applied.left_out[0].path)
                break
            steps.append(replace(step, commit=applied.commit.sha if applied.commit else None))
        return replace(report, steps=tuple(steps))


# -- internals ----------------------------------------------------------------------------------


def _plan(wiki: Wiki, tasks: tuple[str, ...], context: Context, limit: int | None = None) -> tuple[Step, ...]:
    """Run each task on the wiki as the tasks before it left it (in memory), each through the gate.

    A task's plan is refused whole when it would write anything but a page of the wiki, change
    a byte of a page it did not plan to (`transaction.verify`), or leave any page with an error-tier
    lint finding it did not have (`gate`): it is reported, and the next task works on the wiki
    without it. With a `limit`, each task gets the room the tasks before left (`Batch`), and
    once one leaves work for a later run, the tasks after it do not run, but for the log.
    """
    steps: list[Step] = []
    view = wiki
    creatable = asked.creatable(wiki, context)  # the index and log pages this run may create
    texts: dict[str, str | None] = {}  # the exact texts the accepted plans write so far
    blobs: dict[str, str] = {}  # the files the tasks change, as the tasks before left them (blob ids)
    for name in tasks:
        if limit is not None and name != RECORD and any(s.outcome.deferred or not s.ran for s in steps):
            steps.append(Step(Outcome(name, f"not run: this run reached max-pages-per-run ({limit})"), ran=False))
            continue
        # The log of what the run did is always written; the other tasks leave it its page.
        reserve = 1 if RECORD in tasks and asked.may_write(wiki, context, RECORD) else 0
        room = None if limit is None or name == RECORD else max(0, limit - reserve - len(texts))
        here = replace(context, earlier=tuple(s.outcome for s in steps), texts=dict(texts), room=room)
        outcome = TASKS[name](view, here)
        outcome = _verified(view, here, outcome)
        outcome, after = _gate(view, outcome, creatable)
        outcome = replace(outcome, edits=tuple(_based(wiki, edit, blobs) for edit in outcome.edits))
        blobs.update((e.path, transaction.blob_of(None if e.text is None else e.text.encode("utf-8"))) for e in outcome.edits)
        steps.append(Step(outcome))
        texts.update((edit.path, edit.text) for edit in outcome.edits)
        view = after
    return tuple(steps)


def _based(wiki: Wiki, edit: transaction.Edit, blobs: dict[str, str]) -> transaction.Edit:
    """`edit` with the bytes it was planned from (`Edit.base`): the file as the tasks before it
    in this run leave it, or as the wiki was read. A file that changes while the run plans
    (a user's commit) then fails `transaction.apply`'s compare-and-swap instead of being overwritten."""
    if edit.base is not None:
        return edit
    if edit.path in blobs:
        return replace(edit, base=blobs[edit.path])
    page = wiki.pages.get(edit.path)
    if page is not None:
        return replace(edit, base=page.blob)
    full = wiki.root / edit.path  # a file that is no page (an index or log to create): as it is now
    return replace(edit, base=transaction.blob_of(full.read_bytes() if full.is_file() else None))


def _verified(wiki: Wiki, context: Context, outcome: Outcome) -> Outcome:
    """The outcome, or nothing of it when an edit would change a byte it did not plan to. (The
    tasks check each piece of their work first and leave the pieces that fail; this is the
    check of the whole plan.)"""
    _, refused = exact.verify(wiki, context, outcome.edits)
    if not refused:
        return outcome
    first = refused[0]
    return outcome.dropped(f"refused: the plan would write {first.path}, but {first.reason}; nothing of it was written", first.path)


def _gate(wiki: Wiki, outcome: Outcome, creatable: frozenset[str]) -> tuple[Outcome, Wiki]:
    """The outcome as it may be written, and the wiki after it; a refused one writes nothing.
    New files: the `creatable` index and log pages, and notes moved to the inbox archive."""
    if not outcome.edits:
        return outcome, wiki
    archive = wiki.config.consolidate.archive.strip("/") + "/"
    for edit in outcome.edits:
        why = gate.refused(wiki, edit.path)
        if why is None and edit.path not in wiki.pages and not (edit.path in creatable or (edit.path.startswith(archive) and edit.text is not None)):
            why = "not one of the pages this task may touch"
        if why is not None:
            return outcome.dropped(f"refused: the plan would write {edit.path[:120]}, {why}; nothing of it was written", edit.path), wiki
    verdict = gate.check(wiki, outcome.edits, dict(outcome.moved))
    if not verdict.ok:
        return outcome.dropped(f"refused: {verdict.reason()}; nothing of it was written", verdict.new[0].path), wiki
    return outcome, verdict.after


def _as_plan(outcome: Outcome) -> transaction.Plan:
    trailers = {"Kbsleep-Task": outcome.task, "Kbsleep-Model": outcome.model, "Kbsleep-Tokens": str(outcome.tokens)}
    return transaction.Plan(PASS, f"{outcome.task}: {outcome.summary}", outcome.edits, trailers)


def _not_written(step: Step, later: tuple[Step, ...], path: str) -> list[Step]:
    """`step`, whose file `path` changed since it was planned, and the steps planned on top of
    it, each with nothing written and why (the tasks before it are committed)."""
    steps = [replace(step, outcome=step.outcome.dropped(f"not written: {path} {transaction.CHANGED}; run consolidate again", path))]
    why = f"not written: planned after the `{step.outcome.task}` task, which was not; run consolidate again"
    return steps + [replace(s, outcome=s.outcome.dropped(why, s.outcome.edits[0].path)) if s.outcome.edits else s for s in later]
