"""What carries over from one load to the next: the outcomes of links the changes since cannot
have altered (the link cache, `cache.read_links`; `with_texts`), and the resolver's lookup tables
(`TableStore`).

An outcome depends on its link (the page's bytes), the names the link's target could match (file
names and paths, titles and aliases, attachment names) and the page it opens (its headings and
block ids).
"""

from __future__ import annotations

import posixpath
from typing import Any, Callable, Iterable, Mapping, Protocol

from kbsleep.wiki.page import Page
from kbsleep.wiki.resolve import Known, Outcome, fold

Names = Mapping[str, tuple[str, tuple[str, ...]]]  # page path -> (blob, (title, *aliases))


def names_of(pages: Mapping[str, Page]) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {path: (page.blob, (page.title, *page.aliases)) for path, page in pages.items()}


class TableStore(Protocol):
    """Where a resolver keeps its lookup tables between loads (see `cache.TableStore`)."""

    def read(self) -> tuple[dict, ...] | None: ...

    def save(self, tables: tuple[dict, ...]) -> None: ...

    def kept(self, name: str, build: Callable[[], tuple[Any, ...]], also: str = "") -> tuple[Any, ...]: ...


def still_valid(known: Known, pages: Mapping[str, Page], before: Names, attachments_before: Iterable[str], now: Names, attachments_now: Iterable[str]) -> tuple[dict[str, tuple[Outcome | None, ...]], set[str]]:
    """The outcomes of an earlier load that the changes since cannot have altered, and the
    pages whose anchors those outcomes must check again.

    An outcome depends on its link (the page's bytes), the names the link's target could match
    (file names and paths, titles and aliases, attachment names) and the page it opens (its
    headings and block ids). So a changed page's outcomes all go, and any other outcome goes when
    its target could match a name that appeared, disappeared or moved between pages. When no
    name moved (most edits), an outcome that opens a changed page still opens it: only its
    anchor is checked again; otherwise it goes too.
    """
    changed: set[str] = set()
    touched: set[str] = set()
    for path in before.keys() | now.keys():
        old, new = before.get(path), now.get(path)
        if old == new:
            continue
        changed.add(path)
        if old is None or new is None or old[1] != new[1]:
            touched.add(fold(path[:-3].rsplit("/", 1)[-1]))
            touched.update(fold(name) for name in (*(old or ("", ()))[1], *(new or ("", ()))[1]))
    for path in set(attachments_before).symmetric_difference(attachments_now):
        name = fold(path.rsplit("/", 1)[-1])
        touched.update((name, name[:-3]) if name.endswith(".md") else (name,))  # a note git ignores answers to its stem
    if not changed and not touched:
        return dict(known), set()
    kept: dict[str, tuple[Outcome | None, ...]] = {path: outcomes for path, outcomes in known.items() if path not in changed and path in pages}
    if not touched:
        return kept, changed
    for path, outcomes in kept.items():
        page = pages[path]
        kept[path] = tuple(
            None
            if outcome is None
            or outcome[1] in changed
            or (outcome[2] and not changed.isdisjoint(outcome[2]))
            or not touched.isdisjoint(names_matched(link.kind, link.target, page.folder))
            else outcome
            for link, outcome in zip(page.links, outcomes)
        )
    return kept, set()


def names_matched(kind: str, target: str, folder: str) -> tuple[str, ...]:
    """Every name a link target could be looked up by: as written, and its last path segment
    (a Markdown link's too: it falls back to its file name like a wikilink). An outcome depends
    on the files of these names; lint's `--staged` scope asks which links a deleted file broke."""
    if not target:
        return ()  # a same-page link: it depends on its own page alone
    joined = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target))
    names = []
    for form in (target, joined) if kind == "markdown" or "/" in target else (target,):
        whole = fold(form)
        last = whole.rsplit("/", 1)[-1].strip()
        names += (whole, last, last[:-3]) if last.endswith(".md") else (whole, last)
    return tuple(names)
