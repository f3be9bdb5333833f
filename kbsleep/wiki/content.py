"""What a file's bytes are to kbsleep: a git blob id, and text (kept apart from the parser, so
that a load from the cache never imports markdown-it or YAML)."""

from __future__ import annotations

import hashlib

BINARY_SNIFF = 8192  # a NUL byte in this many leading bytes makes a file binary, as git decides


def blob_id(data: bytes) -> str:
    """The git blob id of `data`: the content hash that keys the parse cache."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def decode_text(data: bytes) -> str:
    """The text kbsleep works on: UTF-8 without BOM, bad bytes replaced; binary files are ""."""
    if b"\0" in data[:BINARY_SNIFF]:
        return ""
    return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
