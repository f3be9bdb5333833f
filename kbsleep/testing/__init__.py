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
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any, Literal

from kbsleep.testing import api
from kbsleep.testing.api import tokens
from kbsleep.testing.records import STATUS, Fault, Logged, Reply
from kbsleep.testing.server import Handler, Server

__all__ = ["DEFAULT_MODELS", "FakeAnthropic", "Fault", "Logged", "STATUS", "tokens"]

DEFAULT_MODELS = ("claude-haiku-4-5", "claude-sonnet-4-5", "claude-opus-4-1")


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

        class Bound(Handler):
            server_fake = fake

        self._server = Server(("127.0.0.1", 0), Bound)
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
