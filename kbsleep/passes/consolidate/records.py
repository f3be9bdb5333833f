"""Records shared by the consolidate tasks: what a task is given and what it hands back."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from kbsleep.errors import KbsleepError
from kbsleep.gitops import Edit

if TYPE_CHECKING:
    from kbsleep.llm import Budget, Model, Request, RunReport
    from kbsleep.wiki import Wiki


@dataclass(frozen=True)
class Left:
    """An item a task did not do, and why (a rejected rewrite, a note with no home, ...)."""

    task: str
    path: str
    reason: str


@dataclass(frozen=True)
class Outcome:
    """What one task planned against one state of the wiki."""

    task: str
    summary: str  # the commit subject after "kbsleep consolidate: "
    edits: tuple[Edit, ...] = ()
    left: tuple[Left, ...] = ()
    done: tuple[str, ...] = ()  # one line per thing done, for log.md and the report
    model: str = "none"
    tokens: int = 0
    cost_usd: float = 0.0
    moved: tuple[tuple[str, str], ...] = ()  # (removed page, the page its text went to): merges

    def dropped(self, why: str, path: str) -> Outcome:
        """This outcome with nothing to write: `why` is reported against `path`."""
        from dataclasses import replace

        return replace(self, edits=(), done=(), moved=(), left=(*self.left, Left(self.task, path[:120], why)))


@dataclass(frozen=True)
class Context:
    """What every task may use: the model (for the model-backed tasks), budget, date, history."""

    model: Model
    budget: Budget | None
    today: datetime.date
    earlier: tuple[Outcome, ...] = ()  # outcomes of the tasks already planned in this run


def complete(context: Context, wiki: Wiki, requests: Sequence[Request]) -> RunReport:
    """Run model requests; a run that could not finish (API down, budget) stops the whole pass.

    Consolidation writes nothing until every task is planned, so stopping here leaves the work
    tree and HEAD exactly as they were. Items the model got wrong come back in `skipped`.
    """
    from kbsleep.llm import run

    if not requests:
        from kbsleep.llm import RunReport

        return RunReport()
    report = run(context.model, requests, wiki.config.llm, budget=context.budget)
    if report.not_done:
        raise KbsleepError(f"consolidate stopped, nothing was written: {report.stop_reason}", hint=report.hint)
    return report


def tokens(report: RunReport) -> int:
    return report.usage.total_tokens
