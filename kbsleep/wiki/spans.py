"""Edits that change only the spans of a page they name, and the byte check of them.

A consolidate task plans each rewrite of a page as changes to named spans of its exact text
(`Tracked`): the links a repair rewrites, the point a callout, a note or a log entry goes in,
the frontmatter keys and the body a merge rewrites. `OutsideSpans` (a `transaction.Keep`) then
checks, on the bytes, that nothing else changed: not a byte order mark, a line ending, a
trailing blank line, nor a byte of a character the task could not have read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from kbsleep.wiki.content import position

Span = tuple[int, int]  # [start, end) offsets
_ENDINGS = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class OutsideSpans:
    """What an edit of a file must keep: every byte outside the spans of it the task planned to
    change (a `transaction.Keep`).

    The new bytes must be the old ones with each span replaced by some bytes (an empty span:
    bytes inserted at that point), in order: the bytes before the first span, between two spans
    and after the last are kept exactly. What replaces a span is the task's (its content is
    checked by the task: `safety.problems`, the lint gate). `what` names the spans, for the
    reason a refusal gives.
    """

    what: str
    spans: tuple[Span, ...]  # byte offsets into the old file, sorted, none overlapping another

    def check(self, old: bytes, new: bytes) -> str | None:
        """None when `new` keeps what it must of `old`; else where it does not."""
        bounds = [0]
        for start, end in self.spans:
            if not bounds[-1] <= start <= end <= len(old):
                return f"the spans planned for {self.what} are not in the file as it is now (changed since?)"
            bounds += [start, end]
        bounds.append(len(old))
        kept = [old[bounds[i] : bounds[i + 1]] for i in range(0, len(bounds), 2)]  # the bytes between the spans
        if len(kept) == 1:
            return None if new == old else self._reason(old, _common_prefix(old, new))
        head, tail = kept[0], kept[-1]
        if not new.startswith(head):
            return self._reason(old, _common_prefix(old, new))
        if len(new) < len(head) + len(tail) or not new.endswith(tail):
            same = _common_prefix(old[::-1], new[::-1]) if len(new) >= len(head) else 0
            return self._reason(old, max(bounds[-2], len(old) - same - 1))
        # Leftmost matches decide whether the kept pieces occur in order, with the spans'
        # replacements between them: a later match could only leave less room for the rest.
        at, stop = len(head), len(new) - len(tail)
        for index, piece in enumerate(kept[1:-1], start=1):
            found = new.find(piece, at, stop)
            if found < 0:
                return self._reason(old, bounds[2 * index])
            at = found + len(piece)
        return None

    def _reason(self, old: bytes, offset: int) -> str:
        line, column = position(old, min(max(offset, 0), len(old)))
        return f"its bytes outside {self.what} would change (first at line {line}, column {column})"


def _common_prefix(a: bytes, b: bytes) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def byte_spans(text: str, spans: Iterable[Span]) -> tuple[Span, ...]:
    """Character spans of `text`, sorted and the touching or overlapping ones joined, as byte
    spans of its UTF-8 encoding."""
    joined: list[list[int]] = []
    for start, end in sorted(spans):
        if joined and start <= joined[-1][1]:
            joined[-1][1] = max(joined[-1][1], end)
        else:
            joined.append([start, end])
    found: list[Span] = []
    chars = size = 0  # a running count: each character of `text` is encoded once
    for start, end in joined:
        size += len(text[chars:start].encode("utf-8"))
        first = size
        size += len(text[start:end].encode("utf-8"))
        chars = end
        found.append((first, size))
    return tuple(found)


def in_ending(text: str, ending: str) -> str:
    """`text` with every line ending made `ending`."""
    return _ENDINGS.sub(ending, text) if ending != "\n" or "\r" in text else text


@dataclass(frozen=True)
class Tracked:
    """A page's exact text under edit, and which spans of the original the edits replaced.

    Positions given to `replace` are in the text as the parser reads it: after `base`
    characters (a byte order mark, kept as U+FEFF) that no edit touches. An edit that touches
    or overlaps an earlier one joins it: their spans of the original become one.
    """

    original: str
    text: str
    base: int = 0
    changed: tuple[tuple[int, int, int, int], ...] = ()  # (start, end) in the original, (start, end) in `text`

    @classmethod
    def of(cls, exact: str, parsed: str) -> Tracked:
        """`exact` (a page's bytes as text) to edit at the positions of `parsed` (its parsed text)."""
        base = len(exact) - len(parsed)
        if base < 0 or exact[base:] != parsed:
            raise ValueError("the parsed text is not the end of the exact text")
        return cls(exact, exact, base)

    @property
    def parsed(self) -> str:
        """The current text as the parser reads it (without the byte order mark)."""
        return self.text[self.base :]

    def replace(self, start: int, end: int, new: str) -> Tracked:
        """`parsed[start:end]` replaced by `new`."""
        a, b = start + self.base, end + self.base
        if not self.base <= a <= b <= len(self.text):
            raise ValueError(f"span {start}-{end} is outside the text")
        touched = [c for c in self.changed if c[2] <= b and c[3] >= a]
        low = min([a, *(c[2] for c in touched)])
        high = max([b, *(c[3] for c in touched)])
        first = min([self._original(low), *(c[0] for c in touched)])
        last = max([self._original(high), *(c[1] for c in touched)])
        delta = len(new) - (b - a)
        joined = (first, last, low, high + delta)
        rest = [c if c[3] < low else (c[0], c[1], c[2] + delta, c[3] + delta) for c in self.changed if c not in touched]
        changed = tuple(sorted([*rest, joined], key=lambda c: c[2]))
        return Tracked(self.original, self.text[:a] + new + self.text[b:], self.base, changed)

    def insert(self, at: int, new: str) -> Tracked:
        return self.replace(at, at, new)

    def spans(self) -> tuple[Span, ...]:
        """The character spans of the original the edits replaced."""
        return tuple((c[0], c[1]) for c in self.changed)

    def keep(self, what: str) -> OutsideSpans:
        """The byte check that every byte of the original outside the edited spans is kept."""
        return OutsideSpans(what, byte_spans(self.original, self.spans()))

    def _original(self, at: int) -> int:
        """The position in the original of `at`, a position of `text` outside every change."""
        before = [c for c in self.changed if c[3] <= at]
        return at if not before else at - before[-1][3] + before[-1][1]
