"""Which of several pages of one name a question asks about: its words naming a folder decide.

Obsidian opens a link to a shared file name by the linking page's folder, then the shortest
path (`wiki.linkpath`). A question has no folder: "What do Templates let me do in Web Clipper?"
names *Obsidian Web Clipper/Templates* by the words of its folder. "What is Templates?" names
both it and *Plugins/Templates*: `ask` answers from the one retrieval ranks first, as it did, and
says that the other has that name too (`Ranked.namesakes`), never taking the shorter path as
the one meant.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from kbsleep.search.match import STOP
from kbsleep.search.words import singular
from kbsleep.wiki.linkpath import fold

_WORD = re.compile(r"\w+")


def same_name(pages: Sequence[str]) -> tuple[str, ...]:
    """The pages of `pages` of the first one's file name, when there are several: namesakes (a
    question naming two pages of different names alike names the first retrieved)."""
    name = lambda page: fold(page.rsplit("/", 1)[-1])  # noqa: E731
    found = tuple(page for page in pages if name(page) == name(pages[0])) if pages else ()
    return found if len(found) > 1 else ()


def folder_words(path: str) -> set[str]:
    """The words of the folders a page is in (singular, casefolded, no stop words)."""
    return {singular(w) for w in (m.casefold() for m in _WORD.findall(path.rpartition("/")[0])) if w not in STOP}


def by_folder(text: str, pages: Sequence[str], common: Collection[str] = ()) -> str | None:
    """Of `pages`, the one whose folders the question `text` names the most words of, when one
    does; None when none does, or two name as many. A word of `common` (on most pages of the
    wiki: "Obsidian" in Obsidian's help, in "Obsidian Sync" and "Obsidian Web Clipper") tells
    nothing."""
    said = {singular(m.casefold()) for m in _WORD.findall(text)} - set(common)
    named = {page: len(folder_words(page) & said) for page in pages}
    most = max(named.values(), default=0)
    winners = [page for page, count in named.items() if count == most]
    return winners[0] if most and len(winners) == 1 else None


def link_name(path: str, shared: Collection[str]) -> str:
    """How a link names the page `path`: by its file name, or by its path when it is one of
    `shared`, whose file name another page has (`[[Templates]]` opens the shorter path's)."""
    return path.removesuffix(".md") if path in shared else path.rsplit("/", 1)[-1].removesuffix(".md")
