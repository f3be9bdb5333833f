"""A wall-clock deadline per HTTP request, which the SDK's timeout is not.

httpx (httpx2 in current SDKs) applies its timeout to each read, so a server that sends one
byte every half second never trips it: the call runs for ever and holds the writer lock. These
event hooks give each request `seconds` in all, from sending it to its body's last byte, and
fail it with `ReadTimeout` after that, which the SDK reports as `APITimeoutError` (retried like
any timeout, so a call takes at most `(1 + max_retries) * seconds` plus backoff). Hooks rather
than a transport: a custom transport would turn off the proxies the environment configures.

Imported only when an anthropic engine is built (the HTTP library comes with the SDK).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

try:  # the HTTP library the installed SDK is built on
    import httpx2 as httpx
except ImportError:  # pragma: no cover - SDK releases before the httpx2 fork
    import httpx  # type: ignore[no-redef]

KEY = "kbsleep_deadline"


def hooks(seconds: float) -> dict[str, list[Callable[[Any], None]]]:
    """`event_hooks` for an httpx client: every request must be whole within `seconds`."""

    def start(request: httpx.Request) -> None:
        request.extensions[KEY] = time.monotonic() + seconds

    def bound(response: httpx.Response) -> None:
        deadline = response.request.extensions.get(KEY)
        if deadline is not None and isinstance(response.stream, httpx.SyncByteStream):
            response.stream = _Bounded(response.stream, deadline, seconds, response.request)

    return {"request": [start], "response": [bound]}


class _Bounded(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, deadline: float, seconds: float, request: httpx.Request) -> None:
        self.inner = inner
        self.deadline = deadline
        self.seconds = seconds
        self.request = request

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.inner:
            if time.monotonic() > self.deadline:
                self.inner.close()  # drops the connection: the server's trickle ends here
                raise httpx.ReadTimeout(f"no complete reply within {self.seconds:g}s", request=self.request)
            yield chunk

    def close(self) -> None:
        self.inner.close()
