"""The `anthropic` engine: the official SDK, against api.anthropic.com or any compatible server.

The SDK is imported when an engine is built, never when `kbsleep.llm` is imported, so
commands that never call a model stay fast. ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL
configure it, so Ollama, vLLM, llama.cpp and LiteLLM Anthropic-compatible endpoints work.

Request bodies are built as the SDK's typed params (`MessageCreateParamsNonStreaming`), so a
type checker sees them, and the tests check every body sent against those types at run time.

Structured output (`llm.structured`): "native" sends the schema as `output_config.format`;
"prompt" puts it into the system block; "auto" sends it natively and, when the endpoint
rejects the parameter (a 400 naming `output_config`, as local servers may) or takes it and
replies with something constrained decoding cannot produce (prose, a wrong shape: a server
that ignores unknown fields), sends that model the prompt form for the rest of the run and
remembers it (`kbsleep.llm.endpoints`). With "auto", the one retry after an invalid reply is
sent in the prompt form, so it states the schema whatever the endpoint did with the format.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from kbsleep.errors import KbsleepError
from kbsleep.llm import prices
from kbsleep.llm.endpoints import EndpointMemory
from kbsleep.llm.model import Busy, ItemError, Passage, Request, Result, Usage, resolve
from kbsleep.llm.redact import display_url, redact
from kbsleep.llm.schema import native_schema
from kbsleep.llm.structured import Raw, Turn, complete, instructions_for
from kbsleep.state import endpoints_path

if TYPE_CHECKING:
    import anthropic
    from anthropic.types import MessageParam, TextBlockParam
    from anthropic.types.message_create_params import MessageCreateParamsNonStreaming

    from kbsleep.config import LLMConfig

DEFAULT_BASE_URL = "https://api.anthropic.com"
# Local servers ignore the key, but the SDK refuses to send a request without one.
PLACEHOLDER_KEY = "kbsleep-no-key"
COUNT_TIMEOUT = 10.0
NATIVE_PARAMETER = "output_config"  # a 400 naming it: the endpoint has no native structured output


@dataclass(frozen=True)
class Fault:
    """How one SDK exception reaches the user: stop the run (`fatal`) or skip the item."""

    exception: str  # class name in the `anthropic` package
    fatal: bool
    message: str  # formatted with url, status, detail, tries, timeout
    hint: str | None = None
    busy: bool = False  # the API's capacity, not the request: a later call may pass (`Busy`, `ItemError.busy`)


# First match wins, so subclasses come before their bases.
FAULTS: tuple[Fault, ...] = (
    Fault("AuthenticationError", True, "{url} rejected the credentials (HTTP 401){detail}",
          "check ANTHROPIC_API_KEY"),
    Fault("PermissionDeniedError", True, "{url} refused the request (HTTP 403){detail}",
          "check the key's workspace and permissions"),
    Fault("NotFoundError", True, "{url} has no such model or endpoint (HTTP 404){detail}",
          "check `llm.model`; `kbsleep models` lists what the endpoint offers"),
    Fault("RateLimitError", True, "rate limited by {url} (HTTP 429, {tries}){detail}",
          "rerun later, or lower `llm.concurrency`; replies already received are cached", busy=True),
    Fault("OverloadedError", False, "the API is overloaded (HTTP 529, {tries}){detail}", busy=True),
    Fault("InternalServerError", False, "server error (HTTP {status}, {tries}){detail}"),
    Fault("BadRequestError", False, "the API rejected the request (HTTP 400){detail}"),
    Fault("APITimeoutError", False, "no reply within {timeout:g}s ({tries})"),
    Fault("APIConnectionError", True, "cannot reach {url} ({tries}){detail}",
          "check ANTHROPIC_BASE_URL and the network; replies already received are cached"),
    Fault("APIResponseValidationError", False, "malformed response from {url}{detail}"),
    Fault("APIStatusError", False, "HTTP {status} from {url}{detail}"),
    Fault("APIError", False, "API error from {url}{detail}"),
)  # fmt: skip


@dataclass(frozen=True)
class AvailableModel:
    id: str
    display_name: str
    created_at: str  # ISO date, "" when the server does not say


def base_url() -> str:
    """ANTHROPIC_BASE_URL, or the API's own. One that holds a user name or password is refused:
    the SDK would send it as Basic auth on every request (and a server may echo it back in an
    error), and taking it out silently would turn the call into a 401 the user cannot explain.
    The key goes in ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN; a proxy's own header in
    ANTHROPIC_CUSTOM_HEADERS."""
    url = os.environ.get("ANTHROPIC_BASE_URL") or DEFAULT_BASE_URL
    try:
        userinfo = "@" in urlsplit(url).netloc
    except ValueError:  # e.g. an unclosed `[` of an IPv6 host
        raise KbsleepError("ANTHROPIC_BASE_URL is not a URL", hint="set it to the endpoint's address, e.g. http://localhost:4000") from None
    if userinfo:
        raise KbsleepError(
            f"ANTHROPIC_BASE_URL holds a user name or password (`{display_url(url)}` with `user:…@`): kbsleep does not send credentials in a URL",
            hint="take them out of the URL: the key goes in ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN), a proxy's own header in ANTHROPIC_CUSTOM_HEADERS",
        )
    return url


class AnthropicModel:
    engine = "anthropic"

    def __init__(
        self, config: LLMConfig, *, hook: bool = False, state_dir: Path | None = None
    ) -> None:
        import anthropic

        self.config = config
        url = base_url()  # (refuses a URL with credentials before any request is made)
        self.url = display_url(url)
        self.structured = config.structured
        self.memory = EndpointMemory(endpoints_path(state_dir) if state_dir else None, self.url)
        self.timeout = min(config.timeout, config.hook_timeout) if hook else config.timeout
        self.max_retries = 0 if hook else config.max_retries
        from kbsleep.llm import deadline

        has_key = os.environ.get("ANTHROPIC_API_KEY") or os.environ.get("ANTHROPIC_AUTH_TOKEN")
        self.client = anthropic.Anthropic(
            api_key=None if has_key else PLACEHOLDER_KEY,
            base_url=url,
            timeout=self.timeout,
            max_retries=self.max_retries,
            # `timeout` bounds each read; the hooks bound each whole request.
            http_client=anthropic.DefaultHttpxClient(event_hooks=deadline.hooks(self.timeout)),
        )
        self._can_count = True
        self._counter = self.client.with_options(
            max_retries=0, timeout=min(self.timeout, COUNT_TIMEOUT)
        )

    def complete(self, request: Request) -> Result:
        return complete(resolve(request, self.config), self._send, engine=self.engine, ignored=self._ignored)

    def finish(self, request: Request, first: Raw) -> Result:
        """Validate a reply in hand (a batch item's), retrying directly if it is invalid."""
        request = resolve(request, self.config)
        return complete(request, self._send, engine=self.engine, first=first, ignored=self._ignored)

    def native(self, request: Request) -> bool:
        """Whether `request` asks for its schema as native structured output."""
        if request.schema is None or self.structured == "prompt":
            return False
        return self.structured == "native" or not self.memory.uses_prompt_form(request.model or "")

    def params(
        self, request: Request, turns: tuple[Turn, ...] = (), *, native: bool | None = None
    ) -> MessageCreateParamsNonStreaming:
        """The Messages API body: system blocks (instructions, then each passage of context in
        the order its `Layout` gives, cache marks where it says), then the prompt."""
        request = resolve(request, self.config)
        if native is None:
            native = self.native(request)
        layout = request.layout
        order = layout.order if layout is not None else range(len(request.context))
        marks = set(layout.marks) if layout is not None else set()
        system: list[TextBlockParam] = []
        instructions = instructions_for(request, native=native)
        if instructions:
            system.append(_block(instructions, 0 in marks))
        for sent, index in enumerate(order, 1):
            system.append(_block(render_source(request.context[index]), sent in marks))
        messages: list[MessageParam] = [{"role": "user", "content": request.prompt}]
        messages += [{"role": turn.role, "content": turn.text} for turn in turns]
        body: MessageCreateParamsNonStreaming = {
            "model": request.model or self.config.model,
            "max_tokens": request.max_tokens or self.config.max_tokens,
            "messages": messages,
        }
        if system:
            body["system"] = system
        if native and request.schema is not None:
            schema = native_schema(request.schema)
            body["output_config"] = {"format": {"type": "json_schema", "schema": schema}}
        return body

    def rejects_native(self, message: str) -> bool:
        """Whether an endpoint's 400 (or a batch item's error) refuses native structured output."""
        return NATIVE_PARAMETER in message

    def fall_back(self, model: str, reason: str) -> None:
        """Send `model` the prompt form from now on; with `llm.structured = "native"`, stop."""
        reason = " ".join(redact(reason).split())[:300]
        if self.structured == "native":
            raise KbsleepError(
                f"{self.url} does not accept native structured output for {model}: {reason}",
                hint='set `llm.structured = "auto"` (or "prompt") to send the schema in the prompt',
            )
        self.memory.remember(model, reason)

    def _ignored(self, request: Request, reason: str) -> None:
        if self.structured == "auto":
            self.fall_back(request.model or "", f"a reply ignored output_config.format ({reason})")

    def raw(
        self, request: Request, message: Any, latency: float, *, batched: bool, native: bool = False
    ) -> Raw:
        """A `Raw` reply from an SDK `Message`, priced; a malformed one is an `ItemError`."""
        content = getattr(message, "content", None)
        if not isinstance(content, list):
            raise ItemError(f"malformed response from {self.url}: no message content")
        text = "".join(getattr(block, "text", "") or "" for block in content)
        usage = _usage(getattr(message, "usage", None))
        stop_reason = getattr(message, "stop_reason", None)
        refused = None
        if stop_reason == "refusal":
            details = getattr(message, "stop_details", None)
            refused = str(getattr(details, "explanation", "") or getattr(details, "category", "") or "")
        model = request.model or ""
        price = prices.price_for(model, self.config.prices)
        if price is None:
            price = prices.price_for(str(getattr(message, "model", "")), self.config.prices)
        return Raw(
            text=text,
            model=str(getattr(message, "model", "") or model),
            usage=usage,
            cost_usd=prices.cost(usage, price, batched=batched),
            latency_s=latency,
            truncated=stop_reason == "max_tokens",
            refused=refused,
            batched=batched,
            native=native,
        )

    def count_tokens(self, request: Request) -> int | None:
        """Input tokens by the API's count_tokens; None when the endpoint lacks it."""
        import anthropic

        if not self._can_count:
            return None
        # The prompt form: its schema text stands in for the format prompt native output adds.
        body: dict[str, Any] = dict(self.params(request, native=False))
        body.pop("max_tokens")
        try:
            return int(self._counter.messages.count_tokens(**body).input_tokens)
        except (anthropic.NotFoundError, anthropic.APIConnectionError, anthropic.BadRequestError):
            self._can_count = False  # local servers: estimate locally from now on
            return None
        except anthropic.APIError:
            return None

    def translate(self, exc: anthropic.APIError) -> ItemError | KbsleepError:
        """The clear, redacted error for an SDK exception: a skip or the end of the run."""
        import anthropic

        fault = next(f for f in FAULTS if isinstance(exc, getattr(anthropic, f.exception, ())))
        message = fault.message.format(
            url=self.url,
            status=getattr(exc, "status_code", "?"),
            detail=_detail(exc),
            tries="1 attempt" if self.max_retries == 0 else f"{self.max_retries + 1} attempts",
            timeout=self.timeout,
        )
        message = redact(message)
        if fault.fatal:
            return Busy(message, hint=fault.hint) if fault.busy else KbsleepError(message, hint=fault.hint)
        return ItemError(message, busy=fault.busy)

    def _send(self, request: Request, turns: tuple[Turn, ...]) -> Raw:
        import anthropic

        # A retry states the schema in the prompt, unless the user asked for native only.
        native = self.native(request) and (not turns or self.structured == "native")
        started = time.perf_counter()
        try:
            message = self.client.messages.create(**self.params(request, turns, native=native))
        except anthropic.BadRequestError as exc:
            if native and self.rejects_native(str(exc)):
                self.fall_back(request.model or "", message_of(exc))
                return self._send(request, turns)  # now in the prompt form
            raise self.translate(exc) from None
        except anthropic.APIError as exc:
            raise self.translate(exc) from None
        except json.JSONDecodeError:  # a 200 whose JSON body does not parse
            raise ItemError(f"malformed response from {self.url}: invalid JSON body") from None
        return self.raw(request, message, time.perf_counter() - started, batched=False, native=native)


def list_models(config: LLMConfig) -> tuple[AvailableModel, ...]:
    """The models the configured endpoint offers (GET /v1/models), newest first."""
    import anthropic

    engine = AnthropicModel(config, hook=True)
    try:
        models = list(engine.client.models.list(limit=1000))
    except anthropic.NotFoundError:
        raise KbsleepError(
            f"{engine.url} has no models API (GET /v1/models returned 404)",
            hint="name the model in `llm.model` directly",
        ) from None
    except anthropic.APIError as exc:
        error = engine.translate(exc)
        raise (error if isinstance(error, KbsleepError) else KbsleepError(str(error))) from None
    except json.JSONDecodeError:
        raise KbsleepError(f"malformed response from {engine.url} to GET /v1/models") from None
    return tuple(
        AvailableModel(
            id=str(m.id),
            display_name=str(getattr(m, "display_name", "") or m.id),
            created_at=m.created_at.date().isoformat() if getattr(m, "created_at", None) else "",
        )
        for m in models
    )


def render_source(passage: Passage) -> str:
    """One passage of context as a tagged source, so answers can cite it by id.

    The text cannot open or close a source tag: any `<source`/`</source` in it (a page quoting
    the format, or forging a source) loses its `<`. Nothing else is escaped, so code, links and
    `&` reach the model as written. The id is written as the model should cite it: verbatim,
    except `"`, `<` and `>`, which cannot stand in the attribute (`model.source_id` reads them back).
    """
    text = SOURCE_TAG.sub(r"&lt;\1\2", passage.text)
    return f'<source id="{_attribute(passage.source)}">\n{text}\n</source>'


SOURCE_TAG = re.compile(r"<(\s*/?\s*)(source)(?![\w-])", re.IGNORECASE)
_ATTRIBUTE = str.maketrans({'"': "&quot;", "<": "&lt;", ">": "&gt;"})


def _attribute(source: str) -> str:
    return source.translate(_ATTRIBUTE)


def _block(text: str, mark: bool) -> TextBlockParam:
    if mark:
        return {"type": "text", "text": text, "cache_control": {"type": "ephemeral"}}
    return {"type": "text", "text": text}


def _usage(usage: Any) -> Usage:
    def tokens(name: str) -> int:
        return int(getattr(usage, name, 0) or 0)

    return Usage(
        input_tokens=tokens("input_tokens"),
        output_tokens=tokens("output_tokens"),
        cache_read_tokens=tokens("cache_read_input_tokens"),
        cache_write_tokens=tokens("cache_creation_input_tokens"),
    )


def message_of(exc: Exception) -> str:
    """The server's message for an SDK exception, else its text."""
    return _detail(exc).removeprefix(": ") or str(exc)


def _detail(exc: Exception) -> str:
    """': <the server's message or the network cause>', trimmed; '' when there is none."""
    text = getattr(exc, "api_message", None)
    if not text and exc.__cause__ is not None:
        text = str(exc.__cause__) or type(exc.__cause__).__name__
    if not text:
        return ""
    text = " ".join(str(text).split())
    return f": {text[:300]}"
