"""The exact text of each page a consolidate task rewrites, as the tasks before it left it, and
the byte check of the task's edits against it.

A task writes only pages it read exactly (`wiki.content.exact_text`: valid UTF-8, any byte order
mark and line endings kept); a page it cannot is left, with the reason. Each edit says which
spans of the page it changes (`spans.Tracked`, `OutsideSpans`), and `verify` checks, before the
task hands its plan on, that no byte outside them changed.
"""

from __future__ import annotations

from typing import Callable, Sequence, TypeVar

from kbsleep.git import transaction
from kbsleep.passes.consolidate.records import Context, Left
from kbsleep.passes.pagework import Skip, each_page, exact, unreadable
from kbsleep.wiki import Wiki
from kbsleep.wiki.content import NotExact
from kbsleep.wiki.spans import Tracked

T = TypeVar("T")


def text(wiki: Wiki, context: Context, path: str) -> str:
    """`path`'s exact text as the earlier tasks of this run left it; `NotExact` when kbsleep
    could not write it back byte for byte."""
    if path in context.texts:
        planned = context.texts[path]
        if planned is None:
            raise NotExact("an earlier task of this run removed it")
        return planned
    page = wiki.pages[path]
    why = unreadable(wiki, page, "rewrites")
    if why is not None:
        raise NotExact(why)
    return exact(wiki, page)


def tracked(wiki: Wiki, context: Context, path: str) -> Tracked:
    """`path`'s exact text, to edit at the positions of its parsed page (`wiki.pages[path]`)."""
    found = text(wiki, context, path)
    try:
        return Tracked.of(found, wiki.pages[path].text)
    except ValueError:
        raise NotExact("its text on disk is not the text kbsleep parsed; run it again") from None


def readable(wiki: Wiki, context: Context, path: str) -> str | None:
    """Why a task cannot rewrite `path` exactly, or None when it can."""
    try:
        text(wiki, context, path)
    except NotExact as exc:
        return str(exc)
    return None


def verify(wiki: Wiki, context: Context, edits: Sequence[transaction.Edit]) -> tuple[tuple[transaction.Edit, ...], tuple[transaction.Refused, ...]]:
    """`transaction.verify` of `edits` against the files as the earlier tasks of this run left them."""

    def read(path: str) -> bytes | None:
        if path in context.texts:
            planned = context.texts[path]
            return None if planned is None else planned.encode("utf-8")
        full = wiki.root / path
        return full.read_bytes() if full.is_file() else None

    return transaction.verify(wiki.root, edits, read)


def attempt(task: str, path: str, work: Callable[[], T], left: list[Left]) -> T | None:
    """`work()` for one page (`pagework.each_page`): if it fails, the page is left with the reason."""
    skipped: list[Skip] = []
    found = each_page(path, f"consolidate {task}: planning", work, skipped)
    left.extend(Left(task, s.path, s.reason) for s in skipped)
    return found
