"""Structured output: ask for JSON of a pydantic schema, parse it, validate it, retry once.

Two forms: *native* (the engine sends the schema as `output_config.format`, and the API
constrains decoding to it; see `kbsleep.llm.schema`) and *prompt* (the schema goes into the
cached system block, for endpoints without native output). Either way the reply is validated
against the pydantic model, which also enforces what a native schema can only describe.

Policy: an invalid reply gets exactly ONE retry, with the validation error appended as a
follow-up turn; a second invalid reply skips the item (`Result.error`), so nothing that
failed validation is ever written. A reply cut off at `max_tokens`, or a refusal, is skipped
without a retry, since the same request would end the same way.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from kbsleep.llm.model import ItemError, Request, Result, Usage

if TYPE_CHECKING:
    from pydantic import BaseModel

MAX_ERROR_CHARS = 1500
RETRY_PROMPT = (
    "Your reply was not valid: {error}\n"
    "Reply again with only the corrected JSON object, and nothing else."
)


@dataclass(frozen=True)
class Turn:
    role: Literal["user", "assistant"]
    text: str


@dataclass(frozen=True)
class Raw:
    """One API reply, before validation."""

    text: str
    model: str
    usage: Usage = field(default_factory=Usage)
    cost_usd: float = 0.0
    latency_s: float = 0.0
    truncated: bool = False  # stop_reason "max_tokens"
    refused: str | None = None  # stop_reason "refusal": the reason given, or ""
    batched: bool = False
    native: bool = False  # the request sent its schema as native structured output


Send = Callable[[Request, "tuple[Turn, ...]"], Raw]  # raises ItemError for a per-item failure
Ignored = Callable[[Request, str], None]  # told when a native reply shows the format was ignored
# Validation errors that a native schema can only describe (see kbsleep.llm.schema): a
# constrained reply may still fail them. Any other error means the endpoint ignored the format.
DESCRIBED_ONLY = frozenset({
    "greater_than", "greater_than_equal", "less_than", "less_than_equal", "multiple_of",
    "string_too_short", "string_too_long", "string_pattern_mismatch", "too_short", "too_long",
    "value_error", "assertion_error",
})  # fmt: skip


@functools.lru_cache(maxsize=64)
def json_instruction(schema: type[BaseModel]) -> str:
    """The instruction appended to the cached system block of a structured task (once per schema:
    every request of a run asks for it, for its cache key, budget and layout)."""
    shape = json.dumps(schema.model_json_schema(), sort_keys=True, separators=(",", ":"))
    return (
        "Reply with exactly one JSON object and nothing else: no prose before or after it. "
        f"It must validate against this JSON Schema:\n{shape}"
    )


def instructions_for(request: Request, *, native: bool = False) -> str:
    """The request's instructions, with the JSON instruction when it has a schema sent in the
    prompt form (the native form sends the schema as `output_config.format` instead)."""
    if request.schema is None or native:
        return request.instructions
    parts = [request.instructions, json_instruction(request.schema)]
    return "\n\n".join(part for part in parts if part)


def parse_json_object(text: str) -> object:
    """The first JSON object in `text`, tolerating prose and ```json fences around it."""
    decoder = json.JSONDecoder()
    start = text.find("{")
    while start != -1:
        try:
            value, _ = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            start = text.find("{", start + 1)
            continue
        return value
    raise ValueError("the reply contains no JSON object")


def validate(text: str, schema: type[BaseModel]) -> tuple[BaseModel | None, str | None]:
    """(`object`, None) when `text` holds a valid object of `schema`, else (None, the reason)."""
    from pydantic import ValidationError

    try:
        return schema.model_validate(parse_json_object(text)), None
    except ValueError as exc:  # ValidationError is a ValueError
        reason = str(exc) if isinstance(exc, ValidationError) else f"{exc}"
        return None, reason[:MAX_ERROR_CHARS]


def format_ignored(text: str, schema: type[BaseModel]) -> bool:
    """Whether a reply to a native request breaks what constrained decoding guarantees (it is
    not a JSON object of the schema's shape): the endpoint took the format and ignored it."""
    from pydantic import ValidationError

    try:
        schema.model_validate(parse_json_object(text))
    except ValidationError as exc:
        return any(error["type"] not in DESCRIBED_ONLY for error in exc.errors())
    except ValueError:  # no JSON object at all
        return True
    return False


def complete(
    request: Request, send: Send, *, engine: str, first: Raw | None = None, ignored: Ignored | None = None
) -> Result:
    """Run `request` through `send`, validating and retrying once; `first`: a reply in hand;
    `ignored`: told when a native reply shows that the endpoint ignored the format."""
    try:
        raw = first if first is not None else send(request, ())
    except ItemError as exc:
        return Result(request, engine=engine, model=request.model or "", calls=1, error=str(exc), unanswered=True, busy=exc.busy)
    done = _Attempts(request, engine, raw)
    if raw.refused is not None:
        return done.failed(_refused(raw.refused))
    if raw.truncated:
        return done.failed(_truncated(request))
    if request.schema is None:
        return done.result(raw.text, None)
    output, reason = validate(raw.text, request.schema)
    if output is not None:
        return done.result(raw.text, output)
    if raw.native and ignored is not None and format_ignored(raw.text, request.schema):
        ignored(request, reason or "")
    # The API refuses an empty turn before the last one.
    turns = (Turn("assistant", raw.text or "(no reply)"), Turn("user", RETRY_PROMPT.format(error=reason)))
    try:
        retry = send(request, turns)
    except ItemError as exc:
        return done.failed(f"invalid structured output ({reason}); the retry failed: {exc}")
    done.add(retry)
    if retry.refused is not None:
        return done.failed(_refused(retry.refused))
    if retry.truncated:
        return done.failed(_truncated(request))
    output, reason = validate(retry.text, request.schema)
    if output is None:
        return done.failed(f"invalid structured output after one retry: {reason}")
    return done.result(retry.text, output)


def _refused(reason: str) -> str:
    return "the model declined to answer" + (f": {reason}" if reason else "")


def _truncated(request: Request) -> str:
    return (
        f"the reply was cut off at max_tokens={request.max_tokens}; "
        "raise `llm.max-tokens` to let it finish"
    )


class _Attempts:
    """Sums the usage, cost and latency of the one or two calls behind a result."""

    def __init__(self, request: Request, engine: str, first: Raw) -> None:
        self.request, self.engine, self.first = request, engine, first
        self.usage, self.cost, self.latency, self.calls = (
            first.usage,
            first.cost_usd,
            first.latency_s,
            1,
        )

    def add(self, raw: Raw) -> None:
        self.usage += raw.usage
        self.cost += raw.cost_usd
        self.latency += raw.latency_s
        self.calls += 1

    def result(self, text: str, output: BaseModel | None, error: str | None = None) -> Result:
        return Result(
            self.request,
            text=text,
            output=output,
            usage=self.usage,
            cost_usd=self.cost,
            latency_s=self.latency,
            model=self.first.model,
            engine=self.engine,
            batched=self.first.batched,
            calls=self.calls,
            error=error,
        )

    def failed(self, error: str) -> Result:
        return self.result("", None, error)
