"""Keep credentials out of every message kbsleep shows or stores."""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit, urlunsplit

SECRET_ENV = ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN")
_KEY_PATTERN = re.compile(r"sk-ant-[A-Za-z0-9_\-]{6,}")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """`text` without the configured key or token, or anything shaped like an Anthropic key."""
    for name in SECRET_ENV:
        secret = os.environ.get(name, "")
        if (
            len(secret) >= 6
        ):  # shorter values are placeholders, and replacing them would garble text
            text = text.replace(secret, REDACTED)
    return _KEY_PATTERN.sub(REDACTED, text)


def display_url(url: str) -> str:
    """`url` without a `user:password@` part, for messages."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return redact(url)
    host = parts.netloc.rsplit("@", 1)[1]
    return redact(urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment)))
