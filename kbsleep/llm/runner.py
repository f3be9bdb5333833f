"""Run many requests: bounded parallel calls, cache first, budget enforced, work kept on a stop."""

from __future__ import annotations

import dataclasses
import signal
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from kbsleep.crash import item_failure
from kbsleep.errors import KbsleepError
from kbsleep.llm import caching
from kbsleep.llm.budget import Budget, Cost, Meter, input_text, local_tokens, worst_case
from kbsleep.llm.model import Busy, Model, Progress, ProgressHook, Request, Result, Usage, resolve
from kbsleep.llm.recorded import RecordedModel

# How far down the queue the runner looks for a request that does not wait on a cache write.
LOOKAHEAD = 32
WAKE_S = 0.2  # how often the wait for model calls looks for a signal (Ctrl-C, SIGTERM)
StopKind = Literal["budget", "endpoint"]

if TYPE_CHECKING:
    from kbsleep.config import LLMConfig


@dataclass(frozen=True)
class RunReport:
    results: tuple[Result, ...] = ()  # succeeded, in request order
    skipped: tuple[Result, ...] = ()  # failed and reported (`error` says why); nothing to write
    not_done: tuple[Request, ...] = ()  # never finished: the budget or a stop came first
    stop_reason: str | None = None  # why `not_done` is not empty
    stop_kind: StopKind | None = None  # the budget, or an endpoint failure no request could pass
    hint: str | None = None
    busy: bool = False  # the stop was the API's capacity (rate limited: `Busy`), not the requests
    pending_batch: str | None = None  # a submitted batch still running; `collect` it later
    usage: Usage = field(default_factory=Usage)
    cost_usd: float = 0.0

    @property
    def finished(self) -> bool:
        return not self.not_done and self.pending_batch is None


def _deaf() -> None:
    """A model call's thread takes no Ctrl-C or SIGTERM, so the kernel hands them to the thread
    that waits for the calls, and kbsleep stops at once."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})


def report(
    outcomes: Iterable[Result],
    not_done: Sequence[Request] = (),
    stop_reason: str | None = None,
    hint: str | None = None,
    pending_batch: str | None = None,
    stop_kind: StopKind | None = None,
    busy: bool = False,
) -> RunReport:
    outcomes = list(outcomes)
    usage = sum((r.usage for r in outcomes), Usage())
    return RunReport(
        results=tuple(r for r in outcomes if r.ok),
        skipped=tuple(r for r in outcomes if not r.ok),
        not_done=tuple(not_done),
        stop_reason=stop_reason,
        stop_kind=stop_kind if stop_reason else None,
        hint=hint,
        busy=busy and bool(stop_reason),
        pending_batch=pending_batch,
        usage=usage,
        cost_usd=sum(r.cost_usd for r in outcomes),
    )


def merge(*reports: RunReport) -> RunReport:
    """One report for the parts of a run (cache hits, a batch, its direct retries)."""
    stop = next((r for r in reports if r.stop_reason), None)
    return RunReport(
        results=tuple(x for r in reports for x in r.results),
        skipped=tuple(x for r in reports for x in r.skipped),
        not_done=tuple(x for r in reports for x in r.not_done),
        stop_reason=stop.stop_reason if stop else None,
        stop_kind=stop.stop_kind if stop else None,
        hint=stop.hint if stop else None,
        busy=stop.busy if stop else False,
        pending_batch=next((r.pending_batch for r in reports if r.pending_batch), None),
        usage=sum((r.usage for r in reports), Usage()),
        cost_usd=sum(r.cost_usd for r in reports),
    )


def with_spend(report: RunReport, collected: Sequence[RunReport]) -> RunReport:
    """`report` with the tokens and cost of the batches collected before it: their replies reach
    its requests from the response cache, free, and the run that writes them says what they cost."""
    usage = sum((r.usage for r in collected), report.usage)
    return dataclasses.replace(report, usage=usage, cost_usd=report.cost_usd + sum(r.cost_usd for r in collected))


def run(
    model: Model,
    requests: Sequence[Request],
    config: LLMConfig,
    *,
    budget: Budget | None = None,
    concurrency: int | None = None,
    progress: ProgressHook | None = None,
) -> RunReport:
    """Complete `requests` with at most `concurrency` calls at once (default `llm.concurrency`).

    Stops starting new items when the budget could be exceeded or an error makes every
    further call futile (`KbsleepError` from the engine); items already finished are kept
    (and cached and logged), and the rest come back in `not_done` with the reason. Any other
    exception from one request is a bug confined to that item: it is skipped, its traceback
    in the crash log (`kbsleep.crash`), and the run goes on.

    Requests go in order, except that one whose cached prefix another request is still
    writing waits for that write (the API caches a prefix only once its first reply starts),
    while later requests go ahead; see `kbsleep.llm.caching`.
    """
    requests = caching.plan([resolve(r, config) for r in requests], config)
    meter = Meter(budget)
    outcomes: dict[int, Result] = {}
    queue = list(range(len(requests)))  # in request order; see `ready` for the exception
    stop: KbsleepError | None = None
    stop_kind: StopKind = "endpoint"
    spent = 0.0
    in_a_row = 0  # requests in a row the endpoint gave no reply to: the circuit breaker
    written: set[str] = set()  # cached prefixes some finished request has sent
    writing: Counter[str] = Counter()  # cached prefixes only requests in flight have sent

    def keys(index: int) -> tuple[str, ...]:
        layout = requests[index].layout
        return layout.keys if layout is not None else ()

    def ready() -> int | None:
        """The position in `queue` of the next request to start, None to wait for one."""
        for position, index in enumerate(queue[:LOOKAHEAD]):
            if all(key in written or not writing[key] for key in keys(index)):
                return position
        return None

    def finished(index: int, result: Result) -> None:
        nonlocal spent, in_a_row, stop
        outcomes[index] = result
        spent += result.cost_usd
        in_a_row = in_a_row + 1 if result.unanswered else 0
        if stop is None and config.max_failures_in_a_row and in_a_row >= config.max_failures_in_a_row:
            stop = KbsleepError(
                f"{in_a_row} requests in a row got no reply, the last: {result.error}",
                hint="the endpoint looks down: run again later (`llm.max-failures-in-a-row` sets when to stop)",
            )
        if progress is not None:
            progress(Progress(len(outcomes), len(requests), spent, result))

    in_flight: dict[Future[Result], tuple[int, Cost]] = {}
    workers = max(1, concurrency or config.concurrency)
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kbsleep-llm", initializer=_deaf)
    try:
        while queue or in_flight:
            while queue and stop is None and len(in_flight) < workers:
                position = ready() if in_flight else 0
                if position is None:
                    break
                index = queue[position]
                request = requests[index]
                hit = model.lookup(request) if isinstance(model, RecordedModel) else None
                if hit is not None:
                    queue.pop(position)
                    finished(index, hit)
                    continue
                worst = worst_case(request, local_tokens(input_text(request)), model.engine, config)
                reason = meter.reserve(worst, request.model or "")
                if reason is not None:
                    stop = KbsleepError(
                        reason, hint="raise the budget to finish (`llm.max-cost-usd`, `llm.max-run-tokens`); replies already received are cached"
                    )
                    stop_kind = "budget"
                    break
                queue.pop(position)
                writing.update(key for key in keys(index) if key not in written)
                in_flight[pool.submit(model.complete, request)] = (index, worst)
            if not in_flight:
                break
            # woken now and then: the kernel may hand Ctrl-C to a worker thread, and this thread,
            # asleep on a lock that no signal interrupts, would only see it when a call returned
            done, _ = wait(in_flight, timeout=WAKE_S, return_when=FIRST_COMPLETED)
            for future in done:
                index, worst = in_flight.pop(future)
                for key in keys(index):
                    written.add(key)
                    writing[key] = 0
                try:
                    result = future.result()
                except KbsleepError as exc:
                    meter.settle(worst, None)
                    stop = stop or exc
                    queue.append(index)  # not finished: reported as not done
                    continue
                except Exception as exc:  # noqa: BLE001 - one request's bug skips that item, logged
                    meter.settle(worst, None)
                    request = requests[index]
                    what = f"{request.task} request" + (f" for {request.page}" if request.page else "")
                    finished(index, Result(request, error=item_failure(exc, what), calls=0))
                    continue
                meter.settle(worst, result)
                finished(index, result)
    except BaseException:  # Ctrl-C: drop queued calls and leave; finished ones are already recorded
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    not_done = [requests[i] for i in sorted(queue)]
    ordered = [outcomes[i] for i in sorted(outcomes)]
    if stop is None:
        return report(ordered)
    return report(ordered, not_done, stop.message, stop.hint, stop_kind=stop_kind, busy=isinstance(stop, Busy))
