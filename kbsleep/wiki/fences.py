"""Fenced regions written by kbsleep passes, and the hashes that tell when they went stale.

A fence is `<!-- kbsleep:NAME v=1 source=HASH body=HASH ... -->` ... `<!-- /kbsleep:NAME -->`.
`source` is the hash of the page outside every kbsleep fence when the pass wrote it; `body` is
the hash of what the pass wrote inside, so hand edits inside the fence can be told apart.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Iterable

from kbsleep.wiki.content import NotExact, position
from kbsleep.wiki.page import Fence, Page, split_lines, split_lines_keepends
from kbsleep.wiki.markers import fence_marker
from kbsleep.wiki.parse import parse_page


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


# -- fence lines, and the byte check of an edit that rewrites one fenced section ------------------

_ENDING = re.compile(r"\r\n|\r|\n")
_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def opens(line: str, name: str) -> bool:
    """Is `line` the opening comment of a `kbsleep:NAME` fence, alone on its line?"""
    marker = fence_marker(line)
    return marker is not None and not marker[0] and marker[1] == name


def closes(line: str, name: str) -> bool:
    """Is `line` the closing comment of a `kbsleep:NAME` fence, alone on its line?"""
    marker = fence_marker(line)
    return marker is not None and marker[0] and marker[1] == name


def line_ending(text: str) -> str:
    """The line ending most of `text`'s lines end with (on a tie, the first met); LF when none."""
    counts: dict[str, int] = {}
    for found in _ENDING.findall(text):
        counts[found] = counts.get(found, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else "\n"  # max keeps the first of equals


def separator(text: str, ending: str) -> str:
    """What goes between `text` and a section appended to it: the line ending its last line lacks,
    if it lacks one, and one blank line, unless it already ends with one."""
    if not text:
        return ""
    if not text.endswith(("\n", "\r")):
        return ending + ending
    last = split_lines_keepends(text)[-1]
    return "" if not last.strip("\r\n") else ending


def replace_section(text: str, block: str, name: str, fence: Fence | None = None) -> str:
    """`text` with the lines of its `name` `fence` (where the parser found it) replaced by
    `block`, or, without one, `block` appended after `separator`. `block` takes the line ending
    most of `text`'s lines use; nothing else changes (`OutsideFence` checks it). `NotExact`
    when the fence's comments share their lines with other text."""
    ending = line_ending(text)
    if ending != "\n":
        block = block.replace("\n", ending)
    if fence is None:
        return text + separator(text, ending) + block
    lines = split_lines_keepends(text)
    if not (fence.end <= len(lines) and opens(lines[fence.start - 1], name) and closes(lines[fence.end - 1], name)):
        raise NotExact(f"its `{name}` section's fence comments share their lines with other text; not rewritten")
    return "".join(lines[: fence.start - 1]) + block + "".join(lines[fence.end :])


@dataclass(frozen=True)
class OutsideFence:
    """What an edit of a file must keep: every byte outside one `kbsleep:NAME` section
    (a `transaction.Keep`).

    A section is a `kbsleep:NAME` fence as the parser finds it (its comments alone on their
    lines, outside code: an example of a fence in a code block is text), from its opening
    comment line through its closing comment line and that line's ending. The new bytes must
    be, exactly, either the old ones with one of their NAME sections replaced by one new
    section, or the old ones followed by `separator` (in the file's own line ending) and one
    new section; and the parser must find the new section where it was put (not inside a code
    block or comment the old text left open). A new section ends with a line ending unless it
    ends the file. Nothing else may differ: not a byte order mark, a line ending, a blank line,
    nor a byte of an undecodable character.
    """

    name: str

    def check(self, old: bytes, new: bytes) -> str | None:
        """None when `new` keeps what it must of `old`; else where it does not."""
        for start, end in sections(old, self.name):
            head, tail = old[:start], old[end:]
            if len(new) >= start + len(tail) and new.startswith(head) and new.endswith(tail):
                if self._one_section(new[start : len(new) - len(tail)], at_end=not tail):
                    return self._read_back(new, start, len(new) - len(tail))
        text = old.decode("latin-1")  # a byte per character: only line endings are looked at
        glue = separator(text, line_ending(text)).encode("latin-1")
        if new.startswith(old + glue) and self._one_section(new[len(old) + len(glue) :], at_end=True):
            return self._read_back(new, len(old) + len(glue), len(new))
        same = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
        line, column = position(old, same)
        return f"its bytes outside the `{self.name}` section would change (first at line {line}, column {column})"

    def _one_section(self, data: bytes, at_end: bool) -> bool:
        lines = [line.decode("latin-1") for line in _LINE.findall(data)]
        if len(lines) < 2 or not opens(lines[0], self.name) or not closes(lines[-1], self.name):
            return False
        if any(opens(line, self.name) or closes(line, self.name) for line in lines[1:-1]):
            return False
        return at_end or data.endswith((b"\n", b"\r"))

    def _read_back(self, new: bytes, start: int, end: int) -> str | None:
        """None when the parser finds the new section at `start`..`end` of `new`; else why not."""
        if (start, end) in sections(new, self.name):
            return None
        line, _ = position(new, start)
        return f"the new `{self.name}` section (line {line}) would not be read back as one: the text before it leaves a code block or comment open"


def sections(data: bytes, name: str) -> list[tuple[int, int]]:
    """The byte spans of the `kbsleep:NAME` sections of `data`: its fences as the parser finds
    them, each from the start of its opening comment's line to the end of its closing one's."""
    page = parse_page("fence.md", data, max_bytes=len(data) + 1)
    wanted = [(fence.start, fence.end) for fence in page.fences if fence.name == name]
    if not wanted:
        return []
    starts = [match.start() for match in _LINE.finditer(data)]
    ends = [match.end() for match in _LINE.finditer(data)]
    return [(starts[first - 1], ends[last - 1]) for first, last in wanted if last <= len(ends)]
