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


class NotExact(ValueError):
    """A file kbsleep cannot read as text that writes back to the same bytes; the message says why."""


def exact_text(data: bytes) -> str:
    """The text that encodes (UTF-8) back to exactly `data`: a BOM is kept as U+FEFF and line
    endings as they are. `NotExact` for binary data (a NUL byte where git looks for one) or
    bytes that are not UTF-8: a pass never writes such a file."""
    nul = data.find(b"\0", 0, BINARY_SNIFF)
    if nul >= 0:
        line, column = position(data, nul)
        raise NotExact(f"holds binary data (a NUL byte at line {line}, column {column}), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = position(data, exc.start)
        raise NotExact(f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at line {line}, column {column})") from None


def position(data: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column (in bytes) of `offset`, lines ended by LF, CRLF or CR."""
    head = data[:offset]
    line_start = max(head.rfind(b"\n"), head.rfind(b"\r")) + 1
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1, offset - line_start + 1
