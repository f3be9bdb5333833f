"""Records shared by the consolidate tasks: what a task is given and what it hands back."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

from kbsleep.errors import KbsleepError
from kbsleep.git.transaction import Edit

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
    deferred: tuple[str, ...] = ()  # a page of each piece of work left for a later run (`max-pages-per-run`)
    unasked: str = ""  # the page this task would have created, the inbox folder it would have folded, had it been asked to (`asked`): it did nothing

    def dropped(self, why: str, path: str) -> Outcome:
        """This outcome with nothing to write: `why` is reported against `path`."""
        from dataclasses import replace

        return replace(self, edits=(), done=(), moved=(), deferred=(), left=(*self.left, Left(self.task, path[:120], why)))


@dataclass(frozen=True)
class Context:
    """What every task may use: the model (for the model-backed tasks), budget, date, history."""

    model: Model
    budget: Budget | None
    today: datetime.date
    earlier: tuple[Outcome, ...] = ()  # outcomes of the tasks already planned in this run
    texts: Mapping[str, str | None] = field(default_factory=dict)  # the exact texts those tasks planned (None: removed)
    room: int | None = None  # pages this task may still change (`max-pages-per-run`); None: any number
    named: frozenset[str] = frozenset()  # the tasks the run was asked for by name (`--only`): they may create their page


class Batch:
    """The pieces of work a task takes, in order, while they fit in the room the run has left:
    each piece whole (a page's repairs, a merge with every page it relinks, a note's fold), and
    none after the first that does not fit. The first piece of a run is taken whatever its size:
    a merge that relinks more pages than the limit is then the one piece that run writes,
    rather than never written."""

    def __init__(self, room: int | None, taken: Iterable[str] = ()) -> None:
        self.room = room
        self.taken: set[str] = set(taken)
        self.deferred: list[str] = []

    @property
    def closed(self) -> bool:
        """A piece did not fit: every later one is deferred without being planned."""
        return bool(self.deferred)

    def defer(self, name: str) -> None:
        self.deferred.append(name)

    def take(self, paths: Iterable[str], name: str) -> bool:
        """Whether the piece that changes `paths` fits (then it is taken); `name` is deferred if not."""
        paths = set(paths)
        if self.room is not None and (self.deferred or (self.taken and len(paths - self.taken) > self.room)):
            self.deferred.append(name)
            return False
        if self.room is not None:
            self.room = max(0, self.room - len(paths - self.taken))
        self.taken |= paths
        return True


NOT_ASKED = "not asked"


REPLY_KEYS = 256  # a structured reply's tokens besides the text it rewrites: its keys, a page path, a reason


def reply_room(wiki: Wiki, rewritten: Sequence[str], named: str = "") -> int:
    """The `max_tokens` of a request whose reply rewrites `rewritten` (a note filed, pages
    merged, a line corrected) and names `named` (the page it goes to): their tokens, counted
    generously (`most_tokens`, about a third over), half as many again for the rewriting (a tidied note or a
    merged page is about as long as what it came from), the reply's own keys; never more than
    `llm.max-tokens`. Every token of it is in the budget's worst case for the reply, twice with
    the structured retry: `llm.max-tokens` for each held back many times what a short note costs."""
    from kbsleep.llm.passage import most_tokens

    room = math.ceil(1.5 * sum(most_tokens(text) for text in rewritten)) + most_tokens(named) + REPLY_KEYS
    return min(wiki.config.llm.max_tokens, room)


def complete(context: Context, wiki: Wiki, requests: Sequence[Request]) -> RunReport:
    """Run model requests; an endpoint that could not answer (API down, a bad key) stops the whole pass.

    Consolidation writes nothing until every task is planned, so stopping here leaves the work
    tree and HEAD exactly as they were. Items the model got wrong come back in `skipped`, and so
    do those the budget left unasked: a budget is the user's limit, not a failure, and a nightly
    `sleep` whose budget a note's worst case outgrows must still lint and anticipate.
    """
    import dataclasses

    from kbsleep.llm import Result, RunReport, run

    if not requests:
        return RunReport()
    report = run(context.model, requests, wiki.config.llm, budget=context.budget)
    if report.not_done and report.stop_kind != "budget":
        raise KbsleepError(f"consolidate stopped, nothing was written: {report.stop_reason}", hint=report.hint)
    unasked = tuple(Result(r, error=f"{NOT_ASKED}: {report.stop_reason}", calls=0) for r in report.not_done)
    return dataclasses.replace(report, skipped=report.skipped + unasked, not_done=())


def unanswered(task: str, report: RunReport, what: str) -> list[Left]:
    """What a task left for want of a model answer: `what` went wrong ("the model's merge was
    unusable") and why, or that the budget left it unasked."""
    return [Left(task, r.request.page, r.error if (r.error or "").startswith(NOT_ASKED) else f"{what}: {r.error}") for r in report.skipped]


def tokens(report: RunReport) -> int:
    return report.usage.total_tokens
