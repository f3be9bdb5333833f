"""Budgets: estimate a run before it starts, and stop it before it can overspend.

Policy: an item starts only if its worst case still fits: input at the cache-write price where
the request carries a cache mark (else the input price), every reply using its full
max_tokens (which a pass sets to what its reply can hold: `consolidate.records.reply_room`),
and the one structured retry. So a run never spends
more than its budget (up to the error of a local token estimate when the endpoint cannot
count tokens), and it stops cleanly when the next item might not fit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kbsleep.errors import KbsleepError
from kbsleep.llm.passage import local_tokens

# The model seam, prices, the response cache and the thread pool are imported where a model run
# uses them: an offline `ask` needs a `Budget` to pass on and `local_tokens` only
# (tests/ask/test_warm_imports.py).

if TYPE_CHECKING:
    from kbsleep.config import LLMConfig
    from kbsleep.llm.model import Model, Request, Result

__all__ = ["Budget", "Cost", "Estimate", "Meter", "RETRY_OVERHEAD_TOKENS", "estimate", "input_text", "local_tokens", "worst_case"]

RETRY_OVERHEAD_TOKENS = 100  # the follow-up turn that carries a validation error


@dataclass(frozen=True)
class Budget:
    max_cost_usd: float | None = None
    max_tokens: int | None = None  # input + output + cache tokens, over the whole run


@dataclass(frozen=True)
class Cost:
    tokens: int = 0
    usd: float = 0.0

    def __add__(self, other: Cost) -> Cost:
        return Cost(self.tokens + other.tokens, self.usd + other.usd)


@dataclass(frozen=True)
class Estimate:
    requests: int  # to be sent: not already in the response cache
    cached: int
    input_tokens: int
    max_output_tokens: int
    worst_case: Cost  # USD leaves out the unpriced models
    counted: bool  # the endpoint counted the input tokens (else ~4 characters a token)
    unpriced: tuple[str, ...] = ()  # models with no price (local servers are free)


def input_text(request: Request) -> str:
    """The text a request sends, as the engine sends it: each passage in its source tags."""
    from kbsleep.llm.structured import instructions_for

    context = "\n\n".join(f'<source id="{p.source}">\n{p.text}\n</source>' for p in request.context)
    return "\n\n".join((instructions_for(request), context, request.prompt))


def worst_case(
    request: Request, input_tokens: int, engine: str, config: LLMConfig, *, batched: bool = False, marked: bool | None = None
) -> Cost:
    """The most `request` can cost; `usd` is NaN for a model with no price. `marked`: whether it
    will carry a cache mark, when its layout is not planned yet (None: as its layout says)."""
    max_tokens = request.max_tokens or config.max_tokens
    attempts = 2 if request.schema is not None else 1
    tokens = input_tokens + max_tokens
    if attempts == 2:
        tokens += input_tokens + 2 * max_tokens + RETRY_OVERHEAD_TOKENS
    if engine == "offline":
        return Cost(0, 0.0)
    from kbsleep.llm import prices

    price = prices.price_for(request.model or config.model, config.prices)
    if price is None:
        return Cost(tokens, math.nan)
    # A prefix is written to the cache (at its price) only under a cache mark (`caching.plan`);
    # unmarked, the whole prompt is plain input.
    if marked is None:
        marked = request.layout is not None and bool(request.layout.marks)
    first_in = input_tokens * (max(price.input, price.cache_write) if marked else price.input)
    usd = first_in + max_tokens * price.output
    if attempts == 2:
        usd += (
            first_in
            + (max_tokens + RETRY_OVERHEAD_TOKENS) * price.input
            + max_tokens * price.output
        )
    factor = prices.BATCH_FACTOR if batched else 1.0
    return Cost(tokens, usd / 1_000_000 * factor)


def estimate(
    model: Model, requests: Sequence[Request], config: LLMConfig, *, batched: bool = False
) -> Estimate:
    """What `requests` will take at most, counting tokens with the API where it can."""
    from concurrent.futures import ThreadPoolExecutor

    from kbsleep.llm import caching
    from kbsleep.llm.model import TokenCounter, resolve
    from kbsleep.llm.recorded import RecordedModel, unwrap

    requests = caching.plan([resolve(r, config) for r in requests], config)  # the cache marks the run will send
    cache = model.cache if isinstance(model, RecordedModel) else None
    todo = [r for r in requests if cache is None or cache.get(model.engine, r) is None]
    engine = unwrap(model)
    counts: list[int | None] = [None] * len(todo)
    if isinstance(engine, TokenCounter) and todo:
        counts[0] = engine.count_tokens(todo[0])  # one probe: local servers often cannot count
        if counts[0] is not None:
            with ThreadPoolExecutor(max(1, config.concurrency)) as pool:
                counts[1:] = pool.map(engine.count_tokens, todo[1:])
    tokens = [c if c is not None else local_tokens(input_text(r)) for c, r in zip(counts, todo)]
    total = Cost()
    unpriced: dict[str, None] = {}
    for request, count in zip(todo, tokens):
        worst = worst_case(request, count, model.engine, config, batched=batched)
        if math.isnan(worst.usd):
            unpriced[request.model or ""] = None
        total += _priced(worst)
    return Estimate(
        requests=len(todo),
        cached=len(requests) - len(todo),
        input_tokens=sum(tokens),
        max_output_tokens=sum(r.max_tokens or config.max_tokens for r in todo),
        worst_case=total,
        counted=bool(todo) and all(c is not None for c in counts),
        unpriced=tuple(unpriced),
    )


class Meter:
    """Spend so far plus the worst case of the items in flight; used by one thread only."""

    def __init__(self, budget: Budget | None) -> None:
        self.budget = budget or Budget()
        self.spent = Cost()
        self.reserved = Cost()

    def reserve(self, worst: Cost, model: str) -> str | None:
        """Hold `worst` for an item about to start; the reason it cannot start, or None."""
        limit_usd, limit_tokens = self.budget.max_cost_usd, self.budget.max_tokens
        if limit_usd is not None and math.isnan(worst.usd):
            raise KbsleepError(
                f"no price for the model `{model}`, so a cost budget cannot be kept",
                hint=f"add `[llm.prices.{model}]` with input and output (USD per million tokens)",
            )
        worst = _priced(worst)
        after = self.spent + self.reserved + worst
        if limit_usd is not None and after.usd > limit_usd:
            spent, next_usd = f"${self.spent.usd:.4f}", f"${worst.usd:.4f}"
            return f"budget: {spent} spent of ${limit_usd:.4f}; the next item could cost {next_usd}"
        if limit_tokens is not None and after.tokens > limit_tokens:
            used = f"{self.spent.tokens} tokens used of {limit_tokens}"
            return f"budget: {used}; the next item could use {worst.tokens}"
        self.reserved += worst
        return None

    def settle(self, worst: Cost, result: Result | None) -> None:
        """Release an item's hold and add what it really cost."""
        worst = _priced(worst)
        self.reserved = Cost(self.reserved.tokens - worst.tokens, self.reserved.usd - worst.usd)
        if result is not None:
            self.add(result)

    def add(self, result: Result) -> None:
        self.spent += Cost(result.usage.total_tokens, result.cost_usd)

    def remaining(self) -> Budget:
        usd, tokens = self.budget.max_cost_usd, self.budget.max_tokens
        return Budget(
            None if usd is None else max(0.0, usd - self.spent.usd),
            None if tokens is None else max(0, tokens - self.spent.tokens),
        )


def _priced(cost: Cost) -> Cost:
    """`cost` with an unknown price (NaN: a local model, no cost budget) counted as free."""
    return Cost(cost.tokens, 0.0) if math.isnan(cost.usd) else cost
