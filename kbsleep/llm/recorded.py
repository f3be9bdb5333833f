"""A `Model` that answers repeated requests from the response cache and logs every result."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbsleep.llm.cache import ResponseCache
from kbsleep.llm.ledger import Ledger
from kbsleep.llm.model import Model, Request, Result, resolve

if TYPE_CHECKING:
    from kbsleep.config import LLMConfig


class RecordedModel:
    """Wraps an engine; never caches the offline engine (it is cheap, and its handlers change)."""

    def __init__(
        self, inner: Model, config: LLMConfig, cache: ResponseCache | None, ledger: Ledger | None
    ) -> None:
        self.inner = inner
        self.engine = inner.engine
        self.config = config
        self.cache = cache if inner.engine != "offline" else None
        self.ledger = ledger

    def complete(self, request: Request) -> Result:
        request = resolve(request, self.config)
        hit = self.lookup(request)
        if hit is not None:
            return hit
        result = self.inner.complete(request)
        self.record(result)
        return result

    def lookup(self, request: Request) -> Result | None:
        """The cached result for `request` (logged as a cache hit), or None."""
        if self.cache is None:
            return None
        hit = self.cache.get(self.engine, resolve(request, self.config))
        if hit is not None and self.ledger is not None:
            self.ledger.record(hit)
        return hit

    def record(self, result: Result) -> None:
        """Cache a successful result and log any result; batches call this for their items."""
        if self.cache is not None:
            self.cache.put(result)
        if self.ledger is not None:
            self.ledger.record(result)


def unwrap(model: Model) -> Model:
    """The engine under any `RecordedModel`."""
    return model.inner if isinstance(model, RecordedModel) else model
