"""Fenced regions written by kbsleep passes, and the hashes that tell when they went stale.

A fence is `<!-- kbsleep:NAME v=1 source=HASH body=HASH ... -->` ... `<!-- /kbsleep:NAME -->`.
`source` is the hash of the page outside every kbsleep fence when the pass wrote it; `body` is
the hash of what the pass wrote inside, so hand edits inside the fence can be told apart.
"""

from __future__ import annotations

import hashlib
from typing import Iterable

from kbsleep.wiki.page import Fence, Page, split_lines


def digest_lines(lines: Iterable[str]) -> str:
    """A short, stable hash of lines, blind to trailing whitespace and to blank lines at either end."""
    text = "\n".join(line.rstrip() for line in lines).strip("\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def source_hash(page: Page) -> str:
    """The hash of the page's text outside all kbsleep fences."""
    inside = {n for fence in page.fences for n in range(fence.start, fence.end + 1)}
    return digest_lines(line for n, line in enumerate(page.lines, 1) if n not in inside)


def body_hash(page: Page, fence: Fence) -> str:
    """The hash of the text strictly between a fence's opening and closing comments."""
    return digest_lines(page.lines[fence.start : fence.end - 1])


def source_text_hash(text: str) -> str:
    """`source_hash` of a page text that has no fences (a pass computing it before writing)."""
    return digest_lines(split_lines(text))
