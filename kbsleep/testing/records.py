"""What a test scripts the fake server to do (`Fault`, `Reply`) and what it logged (`Logged`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

@dataclass(frozen=True)
class Fault:
    """A scripted failure for one request (or one batch item)."""

    kind: str  # see STATUS, plus "drop", "delay", "trickle", "malformed", "max_tokens", "expired"
    retry_after: float | None = 0.001  # seconds, sent as retry-after-ms so SDK retries are quick
    seconds: float = 0.0  # for "delay"; between bytes for "trickle"
    text: str = ""  # the reply after a delay, or the cut-off text of "max_tokens"
    message: str = ""  # the error message in the body

    @classmethod
    def rate_limit(cls, retry_after: float = 0.001) -> Fault:
        return cls("rate_limit", retry_after=retry_after)

    @classmethod
    def overloaded(cls) -> Fault:
        return cls("overloaded")

    @classmethod
    def server_error(cls) -> Fault:
        return cls("server_error")

    @classmethod
    def unauthorized(cls, message: str = "invalid x-api-key") -> Fault:
        return cls("unauthorized", message=message)

    @classmethod
    def invalid_request(cls, message: str = "prompt is too long") -> Fault:
        return cls("invalid_request", message=message)

    @classmethod
    def drop(cls) -> Fault:
        """Close the connection without a response."""
        return cls("drop")

    @classmethod
    def delay(cls, seconds: float, text: str = "late") -> Fault:
        """Answer `text`, but only after `seconds` (longer than the client's timeout)."""
        return cls("delay", seconds=seconds, text=text)

    @classmethod
    def trickle(cls, interval: float = 0.5, text: str = "slow") -> Fault:
        """Answer `text`, sending the body one byte every `interval` seconds: each read is quick,
        the whole reply is not (the SDK's timeout is per read)."""
        return cls("trickle", seconds=interval, text=text)

    @classmethod
    def malformed(cls) -> Fault:
        """A 200 whose body is not valid JSON."""
        return cls("malformed")

    @classmethod
    def max_tokens(cls, text: str = '{"answer": "cut of') -> Fault:
        """A reply cut off: stop_reason "max_tokens"."""
        return cls("max_tokens", text=text)

    @classmethod
    def expired(cls) -> Fault:
        """In a batch: the item expired before it ran."""
        return cls("expired")

    @classmethod
    def refusal(cls, explanation: str = "") -> Fault:
        """The model declined: stop_reason "refusal", with `explanation` in stop_details."""
        return cls("refusal", message=explanation)


# kind -> (HTTP status, error type)
STATUS: dict[str, tuple[int, str]] = {
    "invalid_request": (400, "invalid_request_error"),
    "unauthorized": (401, "authentication_error"),
    "not_found": (404, "not_found_error"),
    "rate_limit": (429, "rate_limit_error"),
    "server_error": (500, "api_error"),
    "overloaded": (529, "overloaded_error"),
}

Reply = str | Fault


@dataclass(frozen=True)
class Logged:
    method: str
    path: str
    body: Any  # the parsed JSON body, or None
    status: int  # 0 when the connection was dropped
    authorized: bool  # an x-api-key or Authorization header was present (never stored)
    usage: dict[str, int] | None = None  # for replies to /v1/messages
