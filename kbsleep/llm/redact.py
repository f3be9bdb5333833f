"""Keep credentials out of every message kbsleep shows or stores."""

from __future__ import annotations

import base64
import os
import re
from urllib.parse import unquote, urlsplit, urlunsplit

SECRET_ENV = ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN")
_KEY_PATTERN = re.compile(r"sk-ant-[A-Za-z0-9_\-]{6,}")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """`text` without the configured key or token, the credentials of ANTHROPIC_BASE_URL (as
    written, decoded and as the Basic auth a server might echo), or anything shaped like an
    Anthropic key."""
    secrets = [os.environ.get(name, "") for name in SECRET_ENV] + _url_credentials()
    for secret in secrets:
        if len(secret) >= 6:  # shorter values are placeholders, and replacing them would garble text
            text = text.replace(secret, REDACTED)
    return _KEY_PATTERN.sub(REDACTED, text)


def _url_credentials() -> list[str]:
    """The `user:password` of ANTHROPIC_BASE_URL in the forms it could show up in (kbsleep
    refuses such a URL before sending it, so this only guards what reports it)."""
    try:
        netloc = urlsplit(os.environ.get("ANTHROPIC_BASE_URL", "")).netloc
    except ValueError:
        return []
    if "@" not in netloc:
        return []
    written = netloc.rsplit("@", 1)[0]
    decoded = unquote(written)
    password = decoded.partition(":")[2]
    basic = base64.b64encode(decoded.encode("utf-8", "surrogateescape")).decode("ascii")
    return [written, decoded, basic, basic.rstrip("="), password]  # the longest first


def display_url(url: str) -> str:
    """`url` without a `user:password@` part, for messages."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return redact(url)
    host = parts.netloc.rsplit("@", 1)[1]
    return redact(urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment)))
