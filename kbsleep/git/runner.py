"""One runner for every pass: recover, refuse, plan, verify, apply and commit, or show (dry run).

A pass plans its writes as data (`Planned`: one `transaction.Plan` per commit, in order, each
planned on the wiki as the plans before it leave it) and reports them in a record of its own;
the runner does everything around that, the same way for every pass (`run`):
1. under the wiki's writer lock, finishes or undoes what a killed kbsleep left before the pass
   reads a page (`recover`), and, for a run that will commit, refuses a repository it must not
   commit to (an operation in progress, a detached HEAD, no commit yet);
2. lets the pass plan (`Pass.plan`), SIGTERM treated like Ctrl-C. A pass that spends (model
   calls) asks `refuse_dirty` about the files it may write first, so that a run over
   uncommitted changes is refused before it costs anything;
3. on a dry run, diffs each plan against the result of the ones before it and writes nothing;
   otherwise refuses uncommitted changes in any file the plans rewrite (the dirty check), then
   applies the plans in one transaction (`chain.apply_all`), one commit per plan, with
   `Kbsleep-Pass` and `Kbsleep-Run` trailers (and the pass's own), all under one run id, so that
   one `kbsleep undo` reverts the run. A plan left out because one of its files changed since
   it was planned stops the plans after it: they were planned on top of it;
4. hands what it did back to the pass (`Pass.finish`), which reports it in its own record.

A pass's commits are one transaction (`chain.apply_all`: the chain of commits is built aside and
HEAD moves once, to its last commit): Ctrl-C, SIGTERM or a crash anywhere while they are written
leaves the work tree and HEAD as they were before the pass, at once or, after SIGKILL, when the
next kbsleep starts (`recover`). A finished pass is undone by one `kbsleep undo`.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Generic, Protocol, Sequence, TypeVar

from kbsleep.errors import KbsleepError
from kbsleep.git import chain, transaction
from kbsleep.lock import hold
from kbsleep.wiki import Wiki, load_wiki

if TYPE_CHECKING:
    from kbsleep.llm import Budget, Model, ProgressHook

R = TypeVar("R")

Confirm = Callable[[int, int], bool]  # (pages the run would write, max-pages-per-run) -> write them all?


@dataclass(frozen=True)
class Context:
    """What every pass is given: the model and its budget, the run, and how to ask the user."""

    model: Model | None = None
    run_id: str = field(default_factory=transaction.new_run_id)  # `sleep` gives its own: one undo for the cycle
    dry_run: bool = False
    budget: Budget | None = None
    progress: ProgressHook | None = None
    confirm: Confirm | None = None  # asked before a pass writes more than `max-pages-per-run` pages


@dataclass(frozen=True)
class Planned(Generic[R]):
    """A pass's plan: its report as planned, and the commits it would make, in order."""

    report: R
    plans: tuple[transaction.Plan, ...] = ()


@dataclass(frozen=True)
class Done:
    """What the runner did with a plan."""

    run_id: str
    dry_run: bool
    recovered: tuple[str, ...] = ()  # what a killed kbsleep left and was finished or undone first
    applied: tuple[transaction.Applied, ...] = ()  # each plan applied, in order; fewer when one was left out whole
    diffs: tuple[str, ...] = ()  # a dry run's diff of each plan, against the result of the ones before it


class Pass(Protocol[R]):
    """A pass: it plans as data (`plan`) and reports what the runner did with it (`finish`).

    `plan` writes no page; `finish` may record kbsleep's own state (a cache, a queue) on a run
    that is no dry run (a pass that commits nothing and needs the model for it, the summaries,
    fills its cache in `plan`, where it has the context). `commits`: whether the pass writes pages (False: it
    writes only kbsleep's own files, such as the search index, and never commits)."""

    @property
    def name(self) -> str: ...  # the `Kbsleep-Pass` trailer and the commit subject's "kbsleep <name>:"
    @property
    def commits(self) -> bool: ...

    def plan(self, wiki: Wiki, context: Context) -> Planned[R]: ...

    def finish(self, wiki: Wiki, planned: Planned[R], done: Done) -> R: ...


class Result(Protocol):
    """What every pass's report says, in the same words: `sleep` and the commands read these."""

    @property
    def run_id(self) -> str: ...
    @property
    def commits(self) -> tuple[str, ...]: ...
    @property
    def pages(self) -> tuple[str, ...]: ...  # the pages written, or that a dry run would write
    @property
    def tokens(self) -> int: ...
    @property
    def cost_usd(self) -> float: ...
    @property
    def summary(self) -> str: ...  # one line: what the pass did
    @property
    def halted(self) -> str: ...  # why the endpoint stopped the pass (and its hint); "" when it did not
    @property
    def failed(self) -> tuple[str, ...]: ...  # "page: why" for each item the model gave no usable reply for
    @property
    def postponed(self) -> int: ...  # pieces of work left for later runs (`max-pages-per-run`)


@dataclass(frozen=True, kw_only=True)
class Unwritten:
    """The `Result` fields of a pass that writes no page (the search index, lint, the summaries
    cache): no commit, no page; a report adds its own fields and `summary`."""

    commits: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()
    tokens: int = 0
    cost_usd: float = 0.0
    halted: str = ""
    failed: tuple[str, ...] = ()
    postponed: int = 0


def run(step: Pass[R], wiki: Wiki, context: Context) -> R:
    """Run `step` on `wiki`: recover, plan, then apply (or diff, on a dry run); its report."""
    root = wiki.root
    writes = step.commits and not context.dry_run
    if writes and wiki.git_top is None:
        raise KbsleepError(f"{root} is not in a git work tree; {step.name} commits what it writes", hint="run `git init` there and commit the wiki once, or use --dry-run")
    with hold(root, step.name):
        recovered = recover(root)
        if recovered:  # a page may have been put back: read the wiki again
            wiki = load_wiki(root, wiki.config)
        if writes:  # before planning: no model call for a run that cannot commit
            transaction.writable(root)
        with transaction.sigterm_as_interrupt():
            planned = step.plan(wiki, context)
            _refuse_read_only(wiki, step.name, planned.plans)
            if context.dry_run:
                done = Done(context.run_id, True, recovered, diffs=diffs(root, planned.plans))
            else:
                done = Done(context.run_id, False, recovered, applied=_apply(root, step.name, planned.plans, context.run_id))
            return step.finish(wiki, planned, done)


def _refuse_read_only(wiki: Wiki, name: str, plans: Sequence[transaction.Plan]) -> None:
    """Refuse a plan that writes a page the config's `read-only` names: the passes leave such
    pages out as they plan (`kbsleep.passes.gate`); this is the check of every plan, so that
    no pass writes one whatever it planned. The transaction itself knows no config."""
    held = sorted({e.path for plan in plans for e in plan.edits if wiki.read_only(e.path)})
    if held:
        shown = ", ".join(held[:3]) + (f" (and {len(held) - 3} more)" if len(held) > 3 else "")
        raise KbsleepError(f"{name} planned to write read-only pages (the config's `read-only`): {shown}; nothing was written", hint="kbsleep reads these pages and never writes them; this is a bug in kbsleep, please report it")


def recover(root: Path) -> tuple[str, ...]:
    """Finish or undo what a kbsleep killed mid-write left (`transaction.recover`); what was done, as text."""
    restored = transaction.recover(root)
    if not restored:
        return ()
    return (f"restored {len(restored)} file{'s' if len(restored) != 1 else ''} from an interrupted kbsleep write (its commit never landed)",)


def refuse_dirty(root: Path, paths: Sequence[str], name: str) -> None:
    """Refuse, naming them, uncommitted (staged, unstaged or untracked) changes in `paths`: a
    pass never writes over work the user has not committed."""
    busy = transaction.dirty(root, sorted(set(paths)))
    if busy:
        raise KbsleepError(f"uncommitted changes in files {name} would touch: " + ", ".join(busy), hint="commit or stash them first; nothing was written")


def diffs(root: Path, plans: Sequence[transaction.Plan]) -> tuple[str, ...]:
    """The unified diff of each plan against the wiki as the plans before it leave it."""
    if len(plans) <= 1:
        return tuple(transaction.diff(root, plan) for plan in plans)
    found: list[str] = []
    with tempfile.TemporaryDirectory(prefix="kbsleep-dry-run-") as folder:
        staging = Path(folder)  # the files the plans change, as the plans before left them
        staged: set[str] = set()
        for plan in plans:
            for edit in plan.edits:
                if edit.path not in staged and (root / edit.path).is_file():
                    (staging / edit.path).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(root / edit.path, staging / edit.path)
                staged.add(edit.path)
            found.append(transaction.diff(staging, plan))
            for edit in plan.edits:
                target = staging / edit.path
                if edit.text is None:
                    target.unlink(missing_ok=True)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(edit.text.encode("utf-8"))
    return tuple(found)


def _apply(root: Path, name: str, plans: Sequence[transaction.Plan], run_id: str) -> tuple[transaction.Applied, ...]:
    """Commit each plan, in order, in one transaction; stop at the first one left out whole (those after it were planned on it)."""
    refuse_dirty(root, [e.path for plan in plans for e in plan.edits if (root / e.path).exists()], name)
    return chain.apply_all(root, plans, run_id)


def head(root: Path) -> str:
    """The commit HEAD names; "" when there is none (or no repository)."""
    from kbsleep.git.repo import Repo

    try:
        return Repo.at(root).head() or ""
    except KbsleepError:
        return ""
