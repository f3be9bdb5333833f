"""A wall-clock deadline per HTTP request, which the SDK's timeout is not.

httpx (httpx2 in current SDKs) applies its timeout to each read, so a server that sends one
byte every half second never trips it: the call runs for ever and holds the writer lock. This
transport gives each request `seconds` in all, from sending it to its body's last byte, and
fails it with `httpx.ReadTimeout` after that, which the SDK reports as `APITimeoutError`
(retried like any timeout, so a call takes at most `(1 + max_retries) * seconds` plus backoff).

Imported only when an anthropic engine is built (httpx comes with the SDK).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

try:  # the HTTP library the installed SDK is built on
    import httpx2 as httpx
except ImportError:  # pragma: no cover - SDK releases before the httpx2 fork
    import httpx  # type: ignore[no-redef]


class DeadlineTransport(httpx.BaseTransport):
    """Wraps a transport so each request, body included, finishes within `seconds`."""

    def __init__(self, seconds: float, inner: httpx.BaseTransport | None = None) -> None:
        self.seconds = seconds
        self.inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        deadline = time.monotonic() + self.seconds
        response = self.inner.handle_request(request)
        stream = response.stream
        assert isinstance(stream, httpx.SyncByteStream)
        response.stream = _Bounded(stream, deadline, self.seconds, request)
        return response

    def close(self) -> None:
        self.inner.close()


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
