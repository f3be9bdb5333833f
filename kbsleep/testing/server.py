"""The fake server's HTTP side: one handler per request, answering as `FakeAnthropic` says."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from kbsleep.testing import api
from kbsleep.testing.api import tokens
from kbsleep.testing.records import STATUS, Fault, Logged

if TYPE_CHECKING:
    from kbsleep.testing import FakeAnthropic


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that time out hang up on us; that is the point of some tests


class Handler(BaseHTTPRequestHandler):
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
