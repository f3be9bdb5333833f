"""The `offline` engine: deterministic, no network; dispatches by task name to local handlers.

Handlers are plain functions `(Request) -> Result`. The registry maps each task to a
handler or to the "module:function" path of one, imported on first use, so the passes
that own a handler (ask, anticipate, consolidate) can be listed here without this module
importing them.
"""

from __future__ import annotations

import dataclasses
import importlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from kbsleep.errors import KbsleepError
from kbsleep.llm.model import Request, Result, resolve

if TYPE_CHECKING:
    from pydantic import BaseModel

    from kbsleep.config import LLMConfig

OfflineHandler = Callable[[Request], Result]
ENGINE = "offline"


def extract_answer(request: Request) -> Result:
    """Answer `request.prompt` with the context sentences that best support it, each cited."""
    # imported here: it brings the wiki's Markdown model, which an offline `ask` never needs
    from kbsleep.search.sentences import best_sentences

    evidence = best_sentences(request.prompt, request.context, k=3)
    if not evidence:
        return offline_result(request, text="The wiki has nothing on this.")
    lines = [f"{e.sentence.text} [[{e.sentence.source}]]" for e in evidence]
    return offline_result(request, text="\n".join(lines))


# task -> handler, or "module:function" imported on first use. Later passes add their rows.
OFFLINE_TASKS: dict[str, OfflineHandler | str] = {
    "extract": extract_answer,
    "anticipate": "kbsleep.passes.anticipate:offline_anticipate",
    "answer": "kbsleep.ask:offline_answer",
    "merge": "kbsleep.passes.consolidate:offline_merge",
    "fold": "kbsleep.passes.consolidate:offline_fold",
    "resolve": "kbsleep.passes.consolidate:offline_resolve",
    "judge": "kbsleep.lint.deep:offline_judge",
}


def offline_result(request: Request, text: str = "", output: BaseModel | None = None) -> Result:
    """The `Result` a handler returns: free, from the offline engine, with no tokens counted."""
    return Result(request, text=text, output=output, model=ENGINE, engine=ENGINE)


def handler_for(task: str) -> OfflineHandler:
    entry = OFFLINE_TASKS.get(task)
    if entry is None:
        known = ", ".join(sorted(OFFLINE_TASKS))
        raise KbsleepError(
            f"the offline engine cannot do the task `{task}` (it knows: {known})",
            hint="set ANTHROPIC_API_KEY or ANTHROPIC_BASE_URL to use a model",
        )
    if isinstance(entry, str):
        module, _, name = entry.partition(":")
        entry = getattr(importlib.import_module(module), name)
        OFFLINE_TASKS[task] = entry
    return entry


class OfflineModel:
    engine = ENGINE

    def __init__(self, config: LLMConfig) -> None:
        self.config = config

    def complete(self, request: Request) -> Result:
        request = resolve(request, self.config)
        handler = handler_for(request.task)
        started = time.perf_counter()
        result = handler(request)
        latency = time.perf_counter() - started
        schema = request.schema
        if schema is not None and result.ok and not isinstance(result.output, schema):
            error = f"offline handler for `{request.task}` returned no {schema.__name__}"
            result = dataclasses.replace(result, output=None, error=error)
        return dataclasses.replace(
            result, request=request, engine=ENGINE, model=ENGINE, latency_s=latency, calls=0
        )  # (no model was called: `status` and `usage` count API calls)
