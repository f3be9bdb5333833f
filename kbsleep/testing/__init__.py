"""`FakeAnthropic`: a local HTTP server speaking the Anthropic Messages API, for offline tests.

It ships in the package so users can check a configuration without a key or network:

    with FakeAnthropic(responses=['{"answer": "yes"}']) as fake:
        os.environ["ANTHROPIC_BASE_URL"] = fake.base_url
        ...  # the real SDK, pointed at 127.0.0.1
        assert fake.count("/v1/messages") == 1

It serves POST /v1/messages, POST /v1/messages/count_tokens, GET /v1/models and the Message
Batches endpoints, with plausible usage (about 1.3 tokens a word; prompt-cache reads and
writes when `cache_control` marks a prefix seen before and long enough for the model). Replies
come from `responses` (a queue), then `responder(request_json)`, then an object of the
request's `output_config.format` schema, then an echo; any of them may be a `Fault`. Scripted
replies are sent as they are, even to a native structured-output request, so that tests can
play a server that ignores the format.

Like the real API it refuses, with a 400 `invalid_request_error`, a request it would not take:
an unknown parameter or content block, more than four `cache_control` marks, an output schema
outside what structured outputs accept (`kbsleep.testing.api`). `structured_output` plays a
server without native structured output: "refuse" answers `output_config` with a 400 as an
unknown parameter; "ignore" takes it and answers as if it had not been sent.
"""

from __future__ import annotations

import itertools
import json
import math
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

from kbsleep.testing import api
from kbsleep.testing.api import tokens

__all__ = ["DEFAULT_MODELS", "FakeAnthropic", "Fault", "Logged", "STATUS", "tokens"]

DEFAULT_MODELS = ("claude-haiku-4-5", "claude-sonnet-4-5", "claude-opus-4-1")


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


@dataclass
class FakeAnthropic:
    responses: Iterable[Reply] = ()
    responder: Callable[[dict[str, Any]], Reply] | None = None
    batches: bool | Fault = True  # False: 404, like most local servers; a Fault: that, always
    count_tokens: bool = True
    models: Iterable[str] | None = DEFAULT_MODELS  # None: GET /v1/models answers 404
    batch_polls: int = 1  # retrieves that still say "in_progress" before a batch ends
    structured_output: Literal["honour", "refuse", "ignore"] = "honour"  # `output_config.format`
    cache_minimum: int | Mapping[str, int] | None = None  # None: each model's documented minimum
    requests: list[Logged] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._queue = list(self.responses)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._prefixes: set[str] = set()
        self._batches: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self.in_flight = 0
        self.max_in_flight = 0
        self._server: ThreadingHTTPServer | None = None

    # -- lifecycle ------------------------------------------------------------------------
    def __enter__(self) -> FakeAnthropic:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        fake = self

        class Handler(_Handler):
            server_fake = fake

        self._server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True).start()

    def stop(self) -> None:
        self._stop.set()  # wakes delayed replies
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start the server first"
        return f"http://127.0.0.1:{self._server.server_port}"

    # -- what tests read -----------------------------------------------------------------
    def count(self, path: str = "/v1/messages", method: str = "POST") -> int:
        """Requests received at `path` (answered or not)."""
        return sum(1 for r in self.requests if r.path == path and r.method == method)

    def script(self, *replies: Reply) -> None:
        """Queue more replies."""
        with self._lock:
            self._queue.extend(replies)

    # -- behaviour -----------------------------------------------------------------------
    def next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            if self._queue:
                return self._queue.pop(0)
        if self.responder is not None:
            return self.responder(body)
        form = (body.get("output_config") or {}).get("format")
        if form and self.structured_output == "honour":
            return json.dumps(api.instance(form["schema"]))
        last = body.get("messages", [{}])[-1].get("content", "")
        return f"Echo: {api.text_of(last)[:200]}"

    def usage(self, body: dict[str, Any], output: str) -> dict[str, int]:
        """Input tokens: cache reads for marked prefixes seen before, writes for new ones."""
        minimum = api.min_cache_tokens(str(body.get("model", "")), self.cache_minimum)
        with self._lock:
            return api.usage(body, output, self._prefixes, minimum)

    def message(
        self, body: dict[str, Any], text: str, stop_reason: str = "end_turn", refusal: str | None = None
    ) -> dict[str, Any]:
        details = None
        if refusal is not None:
            details = {"type": "refusal", "category": None, "explanation": refusal or None}
        return {
            "id": f"msg_fake_{next(self._ids)}",
            "type": "message",
            "role": "assistant",
            "model": body.get("model", ""),
            "content": [{"type": "text", "text": text}] if text else [],
            "stop_reason": stop_reason,
            "stop_details": details,
            "stop_sequence": None,
            "usage": self.usage(body, text),
        }

    def refused(self, body: Any, endpoint: str = "messages") -> Fault | None:
        """The 400 the real API would answer `body` with, or None when it would take it."""
        found = api.problem(body, endpoint, native_output=self.structured_output != "refuse")
        return None if found is None else Fault.invalid_request(found)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that time out hang up on us; that is the point of some tests


class _Handler(BaseHTTPRequestHandler):
    server_fake: FakeAnthropic
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: tests read `fake.requests`

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        fake = self.server_fake
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        body: Any = json.loads(raw) if raw else None
        path = self.path.split("?", 1)[0]
        authorized = bool(self.headers.get("x-api-key") or self.headers.get("authorization"))
        log = {"method": method, "path": path, "body": body, "authorized": authorized}
        if not authorized:
            return self._error(log, Fault.unauthorized("no API key"))
        parts = path.strip("/").split("/")
        if (method, path) == ("POST", "/v1/messages"):
            refused = fake.refused(body)
            return self._error(log, refused) if refused else self._messages(log, body)
        if (method, path) == ("POST", "/v1/messages/count_tokens") and fake.count_tokens:
            refused = fake.refused(body, "count_tokens")
            if refused:
                return self._error(log, refused)
            counted = [tokens(text) for text, _ in api.segments(body)]
            return self._json(log, 200, {"input_tokens": sum(counted)})
        if (method, path) == ("GET", "/v1/models") and fake.models is not None:
            return self._json(log, 200, _models(fake.models))
        if parts[:3] == ["v1", "messages", "batches"] and fake.batches:
            if isinstance(fake.batches, Fault):
                return self._error(log, fake.batches)
            return self._batches(log, method, parts[3:], body)
        return self._error(log, Fault("not_found", message=f"{method} {path} not found"))

    def _messages(self, log: dict[str, Any], body: dict[str, Any]) -> None:
        fake = self.server_fake
        with fake._lock:
            fake.in_flight += 1
            fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
        try:
            reply = fake.next_reply(body)
            if isinstance(reply, Fault) and reply.kind == "delay":
                if fake._stop.wait(reply.seconds):
                    return
                reply = reply.text
            if isinstance(reply, Fault) and reply.kind == "trickle":
                return self._trickle(log, json.dumps(fake.message(body, reply.text)).encode(), reply.seconds)
            if isinstance(reply, str):
                return self._json(log, 200, fake.message(body, reply))
            if reply.kind == "max_tokens":
                return self._json(log, 200, fake.message(body, reply.text, "max_tokens"))
            if reply.kind == "refusal":
                return self._json(log, 200, fake.message(body, "", "refusal", reply.message))
            return self._error(log, reply)
        finally:
            with fake._lock:
                fake.in_flight -= 1

    def _trickle(self, log: dict[str, Any], data: bytes, interval: float) -> None:
        fake = self.server_fake
        fake.requests.append(Logged(**log, status=200))
        try:
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            for byte in data:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                if fake._stop.wait(interval):
                    break
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up: what its deadline is for
        self.close_connection = True

    def _batches(self, log: dict[str, Any], method: str, rest: list[str], body: Any) -> None:
        fake = self.server_fake
        if method == "POST" and not rest:
            for n, item in enumerate(body.get("requests") or []):
                refused = fake.refused(item.get("params"))
                if refused:
                    where = f"requests.{n}.params.{refused.message}"
                    return self._error(log, Fault.invalid_request(where))
            batch_id = f"msgbatch_fake_{next(fake._ids)}"
            lines = [_batch_line(fake, item) for item in body["requests"]]
            batch: dict[str, Any] = {"lines": lines[::-1], "polls": 0}  # reversed: out of order
            with fake._lock:
                fake._batches[batch_id] = batch
            return self._json(log, 200, _batch_json(fake, batch_id, batch, ended=False))
        found = fake._batches.get(rest[0]) if rest else None
        if found is None:
            return self._error(log, Fault("not_found", message="no such batch"))
        if method == "GET" and len(rest) == 1:
            with fake._lock:
                found["polls"] += 1
                ended = found["polls"] > fake.batch_polls
            return self._json(log, 200, _batch_json(fake, rest[0], found, ended=ended))
        if method == "GET" and rest[1:] == ["results"]:
            data = "".join(json.dumps(line) + "\n" for line in found["lines"]).encode()
            return self._send(log, 200, data, "application/binary")
        return self._error(log, Fault("not_found", message="not found"))

    def _error(self, log: dict[str, Any], fault: Fault) -> None:
        if fault.kind == "drop":
            self.server_fake.requests.append(Logged(**log, status=0))
            self.close_connection = True
            return
        if fault.kind == "malformed":
            return self._send(log, 200, b'{"id": "msg_broken", "content": [', "application/json")
        status, error_type = STATUS[fault.kind]
        body = {
            "type": "error",
            "error": {"type": error_type, "message": fault.message or error_type},
        }
        headers = {}
        if fault.retry_after is not None:
            headers["retry-after-ms"] = str(max(1, round(fault.retry_after * 1000)))
            headers["retry-after"] = str(math.ceil(fault.retry_after))
        return self._json(log, status, body, headers)

    def _json(
        self, log: dict[str, Any], status: int, data: Any, headers: dict[str, str] | None = None
    ) -> None:
        usage = data.get("usage") if isinstance(data, dict) and status == 200 else None
        self._send(log, status, json.dumps(data).encode(), "application/json", headers, usage)

    def _send(
        self,
        log: dict[str, Any],
        status: int,
        data: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
        usage: dict[str, int] | None = None,
    ) -> None:
        self.server_fake.requests.append(Logged(**log, status=status, usage=usage))
        try:
            self.send_response(status)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(data)))
            self.send_header("request-id", f"req_fake_{next(self.server_fake._ids)}")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a timeout test)


def _batch_line(fake: FakeAnthropic, item: dict[str, Any]) -> dict[str, Any]:
    params = item["params"]
    reply = fake.next_reply(params)
    if isinstance(reply, Fault) and reply.kind == "delay":
        reply = reply.text  # a batch has no client timeout to miss
    if isinstance(reply, str):
        result: dict[str, Any] = {"type": "succeeded", "message": fake.message(params, reply)}
    elif reply.kind == "max_tokens":
        result = {"type": "succeeded", "message": fake.message(params, reply.text, "max_tokens")}
    elif reply.kind == "refusal":
        result = {"type": "succeeded", "message": fake.message(params, "", "refusal", reply.message)}
    elif reply.kind in ("expired", "canceled"):
        result = {"type": reply.kind}
    else:
        error_type = STATUS.get(reply.kind, (500, "api_error"))[1]
        error = {"type": error_type, "message": reply.message or error_type}
        result = {"type": "errored", "error": {"type": "error", "error": error}}
    return {"custom_id": item["custom_id"], "result": result}


def _batch_json(
    fake: FakeAnthropic, batch_id: str, batch: dict[str, Any], *, ended: bool
) -> dict[str, Any]:
    now = datetime.now(timezone.utc)
    counts = {"processing": 0, "succeeded": 0, "errored": 0, "canceled": 0, "expired": 0}
    if ended:
        for line in batch["lines"]:
            counts[line["result"]["type"]] += 1
    else:
        counts["processing"] = len(batch["lines"])
    return {
        "id": batch_id,
        "type": "message_batch",
        "processing_status": "ended" if ended else "in_progress",
        "request_counts": counts,
        "created_at": now.isoformat(),
        "expires_at": (now + timedelta(days=1)).isoformat(),
        "ended_at": now.isoformat() if ended else None,
        "archived_at": None,
        "cancel_initiated_at": None,
        "results_url": f"{fake.base_url}/v1/messages/batches/{batch_id}/results" if ended else None,
    }


def _models(ids: Iterable[str]) -> dict[str, Any]:
    data = [
        {"type": "model", "id": model, "display_name": model.replace("-", " ").title(),
         "created_at": "2025-10-01T00:00:00Z", "lifecycle": "active"}
        for model in ids
    ]  # fmt: skip
    return {
        "data": data,
        "has_more": False,
        "first_id": data[0]["id"] if data else None,
        "last_id": data[-1]["id"] if data else None,
    }
