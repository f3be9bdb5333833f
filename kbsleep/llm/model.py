"""The model seam: `Request` in, `Result` out, through one method of the `Model` protocol."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from kbsleep.errors import KbsleepError
from kbsleep.llm.passage import Passage, source_id  # (the context a request carries; kept here too)

if TYPE_CHECKING:
    from pydantic import BaseModel

    from kbsleep.config import LLMConfig

__all__ = ["ItemError", "Layout", "Model", "Passage", "Phase", "Progress", "ProgressHook", "Request", "Result", "TASK_MODELS", "TokenCounter", "Usage", "resolve", "source_id"]

Phase = Literal["sleep", "test"]  # sleep-time passes vs. test-time questions, split in `stats`


@dataclass(frozen=True)
class Layout:
    """How an engine sends a request's context so that the requests of one run share cached prefixes.

    Set by `kbsleep.llm.caching.plan`; a request without one is sent as written, unmarked.
    """

    order: tuple[int, ...]  # indices into `Request.context`, in the order sent
    marks: tuple[int, ...] = ()  # cache breakpoints: 0 after the instructions, k after the k-th passage sent
    keys: tuple[str, ...] = ()  # a digest of the prefix each mark closes (the runner schedules by them)


@dataclass(frozen=True)
class Request:
    """One task for a model: stable cached parts first, then the item-specific prompt."""

    task: str  # "anticipate", "ask", "consolidate", ...: picks the model and the offline handler
    prompt: str  # the item-specific part, sent as the user message
    instructions: str = ""  # stable per task: the first cached system block
    context: tuple[Passage, ...] = ()  # stable shared context: the second cached system block
    schema: type[BaseModel] | None = None  # when set, the reply must be JSON of this schema
    max_tokens: int | None = None  # None: `llm.max-tokens`
    model: str | None = None  # None: the model the config names for this task
    # Ledger metadata; it changes nothing that is sent, so it is not part of the cache key.
    pass_name: str = ""
    page: str = ""
    phase: Phase = "sleep"
    # How to send it; like the ledger labels, not part of what the request asks.
    layout: Layout | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Usage:
    input_tokens: int = 0  # uncached input
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cache_read_tokens + other.cache_read_tokens,
            self.cache_write_tokens + other.cache_write_tokens,
        )

    @property
    def total_tokens(self) -> int:
        return (
            self.input_tokens
            + self.output_tokens
            + self.cache_read_tokens
            + self.cache_write_tokens
        )


@dataclass(frozen=True)
class Result:
    """What one request produced; `error` set means the item was skipped and nothing is written."""

    request: Request
    text: str = ""
    output: BaseModel | None = None  # the validated object, when the request has a schema
    usage: Usage = field(default_factory=Usage)
    cost_usd: float = 0.0
    latency_s: float = 0.0
    model: str = ""
    engine: str = ""
    from_cache: bool = False
    batched: bool = False
    calls: int = 1  # API calls behind this result: 2 after a structured retry, 0 from the cache
    error: str | None = None
    unanswered: bool = False  # the endpoint gave no reply at all (5xx, timeout, bad body): the runner's breaker counts these
    busy: bool = False  # the API was overloaded (HTTP 529): a later call may pass, the request is fine

    @property
    def ok(self) -> bool:
        return self.error is None


@runtime_checkable
class Model(Protocol):
    """The one seam between kbsleep and a language model."""

    engine: str  # "anthropic" or "offline": part of the cache key, shown in the ledger

    def complete(self, request: Request) -> Result:
        """Answer one request; per-item failures come back as `Result.error`.

        Raises `KbsleepError` only when no further request can succeed either
        (bad key, unreachable endpoint, rate limit outlasting the retries).
        """
        ...


@runtime_checkable
class TokenCounter(Protocol):
    """An engine that can count a request's input tokens exactly (for budgets)."""

    def count_tokens(self, request: Request) -> int | None: ...


class ItemError(Exception):
    """A failure confined to one request; `Model.complete` turns it into `Result.error`.
    `busy`: the API had no capacity for it (overloaded, HTTP 529), nothing was wrong with it."""

    def __init__(self, message: str, *, busy: bool = False) -> None:
        super().__init__(message)
        self.busy = busy


class Busy(KbsleepError):
    """The API refuses for want of capacity (rate limited, HTTP 429): the run stops, and a later
    one may pass; nothing is wrong with the requests."""


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    cost_usd: float
    last: Result | None = None


ProgressHook = Callable[[Progress], None]  # called from the thread that started the run


# Which `LLMConfig` field names the model of each task; every other task uses `model`.
TASK_MODELS: dict[str, str] = {
    "consolidate": "consolidate_model",
}


def resolve(request: Request, config: LLMConfig) -> Request:
    """`request` with its model and max_tokens filled in from the config."""
    if request.model is not None and request.max_tokens is not None:
        return request
    model = request.model or getattr(config, TASK_MODELS.get(request.task, "model"))
    return dataclasses.replace(
        request, model=model, max_tokens=request.max_tokens or config.max_tokens
    )
