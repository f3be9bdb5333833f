"""The `anthropic` engine: the official SDK, against api.anthropic.com or any compatible server.

The SDK is imported when an engine is built, never when `kbsleep.llm` is imported, so
commands that never call a model stay fast. ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL
configure it, so Ollama, vLLM, llama.cpp and LiteLLM Anthropic-compatible endpoints work.
"""

from __future__ import annotations

import html
import json
import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from kbsleep.errors import KbsleepError
from kbsleep.llm import prices
from kbsleep.llm.model import ItemError, Passage, Request, Result, Usage, resolve
from kbsleep.llm.redact import display_url, redact
from kbsleep.llm.structured import Raw, Turn, complete, instructions_for

if TYPE_CHECKING:
    import anthropic

    from kbsleep.config import LLMConfig

DEFAULT_BASE_URL = "https://api.anthropic.com"
# Local servers ignore the key, but the SDK refuses to send a request without one.
PLACEHOLDER_KEY = "kbsleep-no-key"
COUNT_TIMEOUT = 10.0
EPHEMERAL = {"type": "ephemeral"}


@dataclass(frozen=True)
class Fault:
    """How one SDK exception reaches the user: stop the run (`fatal`) or skip the item."""

    exception: str  # class name in the `anthropic` package
    fatal: bool
    message: str  # formatted with url, status, detail, tries, timeout
    hint: str | None = None


# First match wins, so subclasses come before their bases.
FAULTS: tuple[Fault, ...] = (
    Fault("AuthenticationError", True, "{url} rejected the credentials (HTTP 401){detail}",
          "check ANTHROPIC_API_KEY"),
    Fault("PermissionDeniedError", True, "{url} refused the request (HTTP 403){detail}",
          "check the key's workspace and permissions"),
    Fault("NotFoundError", True, "{url} has no such model or endpoint (HTTP 404){detail}",
          "check `llm.model`; `kbsleep models` lists what the endpoint offers"),
    Fault("RateLimitError", True, "rate limited by {url} (HTTP 429, {tries}){detail}",
          "finished work is kept: rerun later, or lower `llm.concurrency`"),
    Fault("OverloadedError", False, "the API is overloaded (HTTP 529, {tries}){detail}"),
    Fault("InternalServerError", False, "server error (HTTP {status}, {tries}){detail}"),
    Fault("BadRequestError", False, "the API rejected the request (HTTP 400){detail}"),
    Fault("APITimeoutError", False, "no reply within {timeout:g}s ({tries})"),
    Fault("APIConnectionError", True, "cannot reach {url} ({tries}){detail}",
          "check ANTHROPIC_BASE_URL and the network; finished work is kept"),
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


def is_configured() -> bool:
    """Whether the environment points the SDK at an API (the "auto" engine's test)."""
    names = ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL")
    return any(os.environ.get(name) for name in names)


class AnthropicModel:
    engine = "anthropic"

    def __init__(self, config: LLMConfig, *, hook: bool = False) -> None:
        import anthropic

        self.config = config
        url = base_url()  # (refuses a URL with credentials before any request is made)
        self.url = display_url(url)
        self.timeout = min(config.timeout, config.hook_timeout) if hook else config.timeout
        self.max_retries = 0 if hook else config.max_retries
        has_key = os.environ.get("ANTHROPIC_API_KEY") or os.environ.get("ANTHROPIC_AUTH_TOKEN")
        self.client = anthropic.Anthropic(
            api_key=None if has_key else PLACEHOLDER_KEY,
            base_url=url,
            timeout=self.timeout,
            max_retries=self.max_retries,
        )
        self._can_count = True
        self._counter = self.client.with_options(
            max_retries=0, timeout=min(self.timeout, COUNT_TIMEOUT)
        )

    def complete(self, request: Request) -> Result:
        return complete(resolve(request, self.config), self._send, engine=self.engine)

    def finish(self, request: Request, first: Raw) -> Result:
        """Validate a reply in hand (a batch item's), retrying directly if it is invalid."""
        return complete(resolve(request, self.config), self._send, engine=self.engine, first=first)

    def params(self, request: Request, turns: tuple[Turn, ...] = ()) -> dict[str, Any]:
        """The Messages API body: cached system blocks (instructions, context), then the prompt."""
        request = resolve(request, self.config)
        system = []
        instructions = instructions_for(request)
        if instructions:
            system.append({"type": "text", "text": instructions, "cache_control": EPHEMERAL})
        if request.context:
            text = render_context(request.context)
            system.append({"type": "text", "text": text, "cache_control": EPHEMERAL})
        messages = [{"role": "user", "content": request.prompt}]
        messages += [{"role": turn.role, "content": turn.text} for turn in turns]
        body: dict[str, Any] = {
            "model": request.model,
            "max_tokens": request.max_tokens,
            "messages": messages,
        }
        if system:
            body["system"] = system
        return body

    def raw(self, request: Request, message: Any, latency: float, *, batched: bool) -> Raw:
        """A `Raw` reply from an SDK `Message`, priced; a malformed one is an `ItemError`."""
        content = getattr(message, "content", None)
        if not isinstance(content, list):
            raise ItemError(f"malformed response from {self.url}: no message content")
        text = "".join(getattr(block, "text", "") or "" for block in content)
        usage = _usage(getattr(message, "usage", None))
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
            truncated=getattr(message, "stop_reason", None) == "max_tokens",
            batched=batched,
        )

    def count_tokens(self, request: Request) -> int | None:
        """Input tokens by the API's count_tokens; None when the endpoint lacks it."""
        import anthropic

        if not self._can_count:
            return None
        body = self.params(request)
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
        return KbsleepError(message, hint=fault.hint) if fault.fatal else ItemError(message)

    def _send(self, request: Request, turns: tuple[Turn, ...]) -> Raw:
        import anthropic

        started = time.perf_counter()
        try:
            message = self.client.messages.create(**self.params(request, turns))
        except anthropic.APIError as exc:
            raise self.translate(exc) from None
        except json.JSONDecodeError:  # a 200 whose JSON body does not parse
            raise ItemError(f"malformed response from {self.url}: invalid JSON body") from None
        return self.raw(request, message, time.perf_counter() - started, batched=False)


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


def render_context(passages: tuple[Passage, ...]) -> str:
    """Shared context as tagged sources, so answers can cite them by id."""
    return "\n\n".join(
        f'<source id="{html.escape(p.source)}">\n{p.text}\n</source>' for p in passages
    )


def _usage(usage: Any) -> Usage:
    def tokens(name: str) -> int:
        return int(getattr(usage, name, 0) or 0)

    return Usage(
        input_tokens=tokens("input_tokens"),
        output_tokens=tokens("output_tokens"),
        cache_read_tokens=tokens("cache_read_input_tokens"),
        cache_write_tokens=tokens("cache_creation_input_tokens"),
    )


def _detail(exc: Exception) -> str:
    """': <the server's message or the network cause>', trimmed; '' when there is none."""
    text = getattr(exc, "api_message", None)
    if not text and exc.__cause__ is not None:
        text = str(exc.__cause__) or type(exc.__cause__).__name__
    if not text:
        return ""
    text = " ".join(str(text).split())
    return f": {text[:300]}"
