"""Link resolution, as Obsidian does it.

A wikilink resolves by vault-relative path or by file name, case-insensitively and
Unicode-normalised, `.md` optional. When several pages share the file name, the one Obsidian
opens is the one its `getLinkpathDest` ranks first (`linkpath`: under the linking page's folder
first, then the shortest path); the others are recorded as shadowed. A bare title or alias does
not resolve (unless `links.resolve = "titles"`): the link is recorded as meant for that page so
lint can offer the exact fix.

A Markdown link or embed (`[x](Note.md)`, `![x](img.png)`) is URL-decoded by the parser, and
`<...>` targets are read as CommonMark reads them. Obsidian looks it up as it looks up a
wikilink's path (`./` and `../` from the linking folder, else the vault path, else by name), so
`![x](pump.png)` opens `img/pump.png` from any folder. A target starting with `/` is looked up
from the wiki's root, then by name, since the vault's root may lie above the wiki's. URLs with
a scheme (`https:`, `mailto:`, `obsidian:`) are not internal links and never reach the resolver.

A heading anchor matches as Obsidian matches one (`stripHeading` in obsidian.d.ts: "normalizes
headings for link matching by stripping out special characters and shrinking consecutive
spaces"): both the link's subpath and each heading as written lose the characters of
`HEADING_SPECIAL` (each becomes a space), runs of whitespace become one space, and the
comparison ignores case. So `[[Pump#What does it cost]]` opens `## What does it cost?` and
`[[Functions#hasTag]]` opens ``### `hasTag()` ``. A heading holding a link is matched on its
text as written (`## See [[Other|x]]` answers to `#See Other x`), as Obsidian's metadata
cache holds it. A Markdown link's anchor may also be the heading's GitHub slug
(`#what-does-it-cost`), which GitHub and other renderers use.
"""

from __future__ import annotations

import posixpath
import re
from bisect import bisect_right
from collections import defaultdict
from itertools import chain
from functools import cached_property, lru_cache, partial
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Callable, Iterable, Literal, Mapping, NamedTuple, Sequence

from kbsleep.wiki.linkpath import contenders, fold, inner_dots_read, relative, tied
from kbsleep.wiki.page import Link, Page

if TYPE_CHECKING:
    from kbsleep.wiki.outcomes import TableStore

Status = Literal["resolved", "shadowed", "missing", "meant-for", "missing-anchor"]
# The characters Obsidian's `stripHeading` turns into spaces: ASCII punctuation but `-`, `_` and
# `'` (the class Obsidian's source uses, as plugins that build heading links copy it, e.g.
# Excalidraw's REG_BLOCK_REF_CLEAN "taken from Obsidian source code"). So `[[P#Setup Vault]]`
# opens `## Setup & Vault` but `[[P#snake case]]` does not open `## snake_case`.
HEADING_SPECIAL = "!\"#$%&()*+,.:;<=>?@^`{|}~/[]\\"
_HEADING_NOISE = re.compile("[" + re.escape(HEADING_SPECIAL) + "]+")


class ResolvedLink(NamedTuple):  # a NamedTuple like the page records: one per link, built every load
    source: str  # path of the linking page
    link: Link
    status: Status
    target: str | None = None  # the page or attachment it opens (or was meant for)
    others: tuple[str, ...] = ()  # other pages of the same file name, for shadowed links
    attachment: bool = False

    @property
    def ok(self) -> bool:
        return self.status in ("resolved", "shadowed")


_make_resolved = partial(tuple.__new__, ResolvedLink)  # no Python frame per link


@lru_cache(maxsize=1 << 16)
def fold_heading(text: str) -> str:
    """The comparison form of a heading or a link's heading subpath (see `HEADING_SPECIAL`)."""
    return fold(_HEADING_NOISE.sub(" ", text))


MemoKey = tuple[str, ...]  # (kind, target, anchor) for a bare name no folder changes, else (kind, target, anchor, linking folder, linking path for a same-page link)
Outcome = tuple[Status, "str | None", tuple[str, ...], bool]  # (status, target, others, attachment)
target_of = itemgetter(1)  # an outcome's target: `map(target_of, outcomes)` tests many at C speed
others_of = itemgetter(2)  # the other pages of the same name
Known = Mapping[str, tuple["Outcome | None", ...]]  # page -> its links' outcomes, in order (None: work it out)


class _Tables(NamedTuple):
    by_path: dict[str, str]  # folded path without ".md" -> page
    by_name: dict[str, list[str]]  # folded file name -> pages
    by_title: dict[str, list[str]]  # folded title or alias -> pages
    attachment_by_path: dict[str, str]
    attachment_by_name: dict[str, list[str]]


class Resolver:
    """Lookup tables over one wiki's files, built once (and only if some link needs them)."""

    def __init__(self, pages: Mapping[str, Page], attachments: Iterable[str], resolve_titles: bool = False, known: Known | None = None, recheck: Iterable[str] = (), tables: TableStore | None = None) -> None:
        self.pages = pages
        self.attachments = attachments
        self.resolve_titles = resolve_titles
        self._known = known or {}  # outcomes still valid from an earlier load (see `outcomes.still_valid`)
        self._recheck = frozenset(recheck)  # known outcomes that open these pages re-check their anchor
        self._store = tables  # the tables of an earlier load with the same names
        self._memo: dict[MemoKey, Outcome] = {}
        self._equal: dict[Outcome, Outcome] = {}  # each outcome worked out, as its one object
        self.computed = 0  # outcomes this load had to work out
        self._headings: dict[str, Headings] = {}  # each target page's, when a link's anchor is checked

    @cached_property
    def _tables(self) -> _Tables:
        stored = self._store.read() if self._store is not None else None
        if stored is not None:
            return _Tables(*stored)
        tables = self._build_tables()
        if self._store is not None:
            self._store.save(tuple(map(dict, tables)))
        return tables

    def _build_tables(self) -> _Tables:
        tables = _Tables({}, defaultdict(list), defaultdict(list), {}, defaultdict(list))
        for path, page in self.pages.items():
            tables.by_path[fold(path[:-3])] = path
            tables.by_name[fold(page.stem)].append(path)
            for name in dict.fromkeys(fold(n) for n in (page.title, *page.aliases)):
                tables.by_title[name].append(path)
        for path in self.attachments:
            tables.attachment_by_path[fold(path)] = path
            tables.attachment_by_name[fold(path.rsplit("/", 1)[-1])].append(path)
        return tables

    by_path = property(lambda self: self._tables.by_path)
    by_name = property(lambda self: self._tables.by_name)
    by_title = property(lambda self: self._tables.by_title)
    attachment_by_path = property(lambda self: self._tables.attachment_by_path)
    attachment_by_name = property(lambda self: self._tables.attachment_by_name)

    def unknown(self, paths: Iterable[str]) -> list[str]:
        """The pages of `paths` (in order) not all of whose outcomes the earlier load gives: it
        held none, the changes since made some uncertain, or some open a changed page and their
        anchors are checked again. (One pass, no call a page: a warm load asks about them all.)"""
        known, recheck = self._known, self._recheck
        return [
            path
            for path in paths
            if (outcomes := known.get(path)) is None
            or None in outcomes
            or (recheck and not recheck.isdisjoint(map(target_of, outcomes)) and any(o[1] in recheck and o[0] != "meant-for" and not o[3] for o in outcomes))
            or (recheck and not recheck.isdisjoint(chain.from_iterable(map(others_of, outcomes))))  # a tie may open another page of the name
        ]  # fmt: skip

    def known(self) -> Mapping[str, tuple[Outcome | None, ...]]:
        """The earlier load's outcomes that still hold, and then this load's (see `adopt`)."""
        return self._known

    def kept(self, name: str, build: Callable[[], tuple[Any, ...]], also: str = "") -> tuple[Any, ...]:
        """Tables of the caller's own built from the pages' names (and `also`, a digest of
        whatever else they are built from): kept beside the resolver's, and read back by a later
        load with the same names."""
        return self._store.kept(name, build, also) if self._store is not None else build()

    def knows_some(self, page: Page) -> bool:
        """Does the earlier load's cache hold outcomes of this page (maybe not all still valid)?"""
        return page.path in self._known

    def prepare(self) -> None:
        """Build the lookup tables now (before a fork, say, so that the child inherits them)."""
        self._tables  # noqa: B018 - the cached property builds and keeps them

    def adopt(self, outcomes: Mapping[str, tuple[Outcome, ...]], computed: int) -> None:
        """Take outcomes this load worked out (here or in a forked child; `computed` counts the
        child's): records are built from them."""
        self._known = {**self._known, **outcomes}
        self.computed += computed

    # -- wikilinks --------------------------------------------------------------------------

    def resolve_page(self, page: Page) -> tuple[ResolvedLink, ...]:
        """Every link of `page`, resolved: from the earlier load's outcomes where they still hold."""
        known = self._known.get(page.path)
        if known is None:
            return tuple(self.resolve(page, link) for link in page.links)
        path, recheck = page.path, self._recheck
        resolved = []
        for link, outcome in zip(page.links, known):
            if outcome is None or (outcome[2] and not recheck.isdisjoint(outcome[2])):  # a tie may open a changed page of the name
                resolved.append(self.resolve(page, link))
            elif outcome[1] in recheck and outcome[0] != "meant-for" and not outcome[3]:
                self.computed += 1  # the same page opens; only its anchor may have come or gone
                resolved.append(self._anchor(page, link, outcome[1], outcome[2], self.tie(page.folder, link, outcome[1], outcome[2])))
            else:
                resolved.append(_make_resolved((path, link, *outcome)))
        return tuple(resolved)

    def resolve(self, source: Page, link: Link) -> ResolvedLink:
        return _make_resolved((source.path, link, *self.outcome(source, link)))

    def outcomes(self, page: Page) -> tuple[Outcome, ...]:
        """The outcome of every link of `page`, worked out afresh, without building records."""
        return tuple(self.outcome(page, link) for link in page.links)

    def outcome(self, source: Page, link: Link) -> Outcome:
        """Resolve one link; memoised on what the answer depends on, since targets repeat.

        A wikilink by bare file name opens the same page from every folder unless several pages
        (or attachments) share the name, so most are memoised without the linking folder.
        """
        bare = link.kind != "markdown" and "/" not in link.target and link.target != ""
        if bare:
            found = self._memo.get((link.kind, link.target, link.anchor))
            if found is not None:
                return found
        key = (link.kind, link.target, link.anchor, source.folder, "" if link.target else source.path)
        found = self._memo.get(key)
        if found is None:
            self.computed += 1
            resolved = self._resolve(source, link)
            found = (resolved.status, resolved.target, resolved.others, resolved.attachment)
            # One object for equal outcomes (a tenth as many as links): the link cache, which
            # marshal writes with references to objects seen before, is read back 2.5x faster.
            found = self._memo[key] = self._equal.setdefault(found, found)
            if bare and not self._shared_name(link.target):
                self._memo[(link.kind, link.target, link.anchor)] = found
        return found

    def _shared_name(self, target: str) -> bool:
        """Do several pages, or several attachments, answer to this bare name (see `_page`)?"""
        name = target.strip()
        key = fold(name[:-3] if name.lower().endswith(".md") else name)
        if key in self.by_path:
            return False
        pages = self.by_name.get(key, ())
        if pages:
            return len(pages) > 1
        return any(key not in self.attachment_by_path and len(self.attachment_by_name.get(key, ())) > 1 for key in (fold(name), fold(name) + ".md"))

    def _resolve(self, source: Page, link: Link) -> ResolvedLink:
        if link.kind == "markdown":
            return self._markdown(source, link)
        if not link.target:
            return self._anchor(source, link, source.path)
        name = link.target.strip()
        found = self._located(source, link, fold(name), source.folder)
        if found is not None:
            return found
        meant = self.by_title.get(fold(name), [])
        if meant:
            if self.resolve_titles:
                return self._anchor(source, link, meant[0], tuple(meant[1:]))
            return ResolvedLink(source.path, link, "meant-for", meant[0], tuple(meant[1:]))
        return ResolvedLink(source.path, link, "missing")

    def _located(self, source: Page, link: Link, key: str, folder: str) -> ResolvedLink | None:
        """The page, else the attachment, the folded link path `key` opens from `folder`."""
        found = self._page(key[:-3] if key.endswith(".md") else key, folder)
        if found is not None:
            return self._anchor(source, link, *found)
        attachment = self._attachment(key, folder)
        if attachment is not None:
            return ResolvedLink(source.path, link, "resolved", attachment, attachment=True)
        return None

    def _page(self, key: str, folder: str) -> tuple[str, tuple[str, ...], tuple[str, ...]] | None:
        """The page the folded link path `key` (no `.md`) opens from `folder`, the other pages
        of its name, and the pages Obsidian may open when its rule ties (`linkpath`)."""
        near = own = fold(folder)
        if key.startswith(("./", "../")):
            key, near = relative(key, near)
            own = None
        path = self.by_path.get(key[1:] if key.startswith("/") else key)
        if path is not None:
            return path, (), ()
        if key.startswith("/"):
            return None  # a path from the vault root opens that file or nothing
        candidates = self.by_name.get(key.rsplit("/", 1)[-1])
        if candidates and "/" in key:  # a partial path: "b/Note" opens ".../b/Note.md"
            candidates = [p for p in candidates if fold(p[:-3]).endswith(key)]
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0], (), ()
        tied = contenders(candidates, near)
        chosen = tied[0]
        if own is not None and fold(chosen[:-3]) == (f"{own}/{key}" if own else key):
            return chosen, (), ()  # the page the link names from its own folder: Obsidian's first whatever is added elsewhere
        return chosen, tuple(p for p in candidates if p != chosen), tied if len(tied) > 1 else ()

    def tie(self, folder: str, link: Link, target: str, others: tuple[str, ...]) -> tuple[str, ...]:
        """The pages Obsidian may open for `link` from `folder` when its rule ranks several of
        the pages of the name (`target` and `others`) first alike; () when it names one."""
        return tied(fold(link.target.strip()), fold(folder), (target, *others)) if others else ()

    def _attachment(self, key: str, folder: str) -> str | None:
        """The attachment the folded link path `key` opens from `folder` (as `_page` finds a page)."""
        near = fold(folder)
        if key.startswith(("./", "../")):
            key, near = relative(key, near)
        found = self.attachment_by_path.get(key[1:] if key.startswith("/") else key)
        if found is not None or key.startswith("/"):
            return found
        candidates = self.attachment_by_name.get(key.rsplit("/", 1)[-1], [])
        if "/" in key:
            candidates = [p for p in candidates if fold(p).endswith(key)]
        if not candidates and not key.endswith(".md"):  # a note git ignores (see `discovery`): `.md` optional
            return self._attachment(key + ".md", folder)
        return contenders(candidates, near)[0] if candidates else None

    # -- markdown links ---------------------------------------------------------------------

    def _markdown(self, source: Page, link: Link) -> ResolvedLink:
        if not link.target:
            return self._anchor(source, link, source.path)
        target = link.target.strip()
        if not target.startswith("/"):
            # As a wikilink's path (Obsidian looks both up with getFirstLinkpathDest): `./` and
            # `../` from the linking folder, else the vault path, else by name, near ones first.
            # Our choice: `a/../b` inside the path is read as `b`.
            path = inner_dots_read(target)
            found = self._located(source, link, fold(path), source.folder) if path else None
            return found or ResolvedLink(source.path, link, "missing")
        # From the vault root, then by file name: kbsleep's wiki may lie below the vault's root,
        # so a path from the vault's root is not certain to be one from the wiki's.
        path = posixpath.normpath(target.lstrip("/"))
        key = fold(path)
        for candidate in (key[:-3] if key.endswith(".md") else key, key):
            if candidate in self.by_path:
                return self._anchor(source, link, self.by_path[candidate])
        attachment = self.attachment_by_path.get(key) or self.attachment_by_path.get(key + ".md")  # a note git ignores
        if attachment is not None:
            return ResolvedLink(source.path, link, "resolved", attachment, attachment=True)
        name = path
        while name.startswith("../"):
            name = name[3:]
        found = self._located(source, link, fold(name), source.folder) if name not in (".", "..") else None
        return found or ResolvedLink(source.path, link, "missing")

    # -- anchors ----------------------------------------------------------------------------

    def _headings_of(self, page: Page) -> Headings:
        found = self._headings.get(page.path)
        if found is None:
            found = self._headings[page.path] = Headings(page)
        return found

    def _anchor(self, source: Page, link: Link, path: str, others: tuple[str, ...] = (), tied: tuple[str, ...] = ()) -> ResolvedLink:
        if tied:  # Obsidian may open any page of a tie (`linkpath`): ours is the first holding the anchor
            candidates = (path, *others)
            path = next((p for p in tied if not link.anchor or self._holds(link, p)), tied[0])
            others = tuple(sorted(p for p in candidates if p != path))
        status: Status = "shadowed" if others else "resolved"
        if link.anchor and not self._holds(link, path):
            status = "missing-anchor"
        return ResolvedLink(source.path, link, status, path, others)

    def _holds(self, link: Link, path: str) -> bool:
        page = self.pages[path]
        return not page.parsed or anchor_exists(page, link, self._headings_of(page))


def anchor_exists(page: Page, link: Link, headings: Headings | None = None) -> bool:
    """Whether `link`'s heading or block is on `page` (`headings`: the page's, if built before)."""
    if link.block_id is not None:
        return link.block_id in page.block_ids
    headings = headings or Headings(page)
    if link.kind == "markdown" and link.anchor.casefold() in headings.slugs:
        return True  # the slug GitHub gives the heading
    return headings.has_path(link.heading_path)


class Headings:
    """A page's headings as anchors find them: by their folded text. Built once per page, so
    checking a link's anchor does not look at every heading: a page with thousands of headings
    and links to them would be quadratic."""

    def __init__(self, page: Page) -> None:
        headings = page.headings
        self.slugs = frozenset(h.slug for h in headings)
        self.places: dict[str, list[int]] = defaultdict(list)  # folded text -> indexes, ascending
        for index, heading in enumerate(headings):
            self.places[fold_heading(heading.text)].append(index)

    def find(self, path: Sequence[str]) -> int | None:
        """The index of the heading `[[T#A#B]]` opens: the first A, then the first B after it, and
        so on (see docs/obsidian.md, "Heading links": B need not lie in A's section), so `[[T#B]]`
        alone opens the first B at any depth; None when there is none."""
        index = -1
        for part in path:
            places = self.places.get(fold_heading(part), ())
            at = bisect_right(places, index)  # the first after the heading the part before found
            if at == len(places):
                return None
            index = places[at]
        return index if path else None

    def has_path(self, path: tuple[str, ...]) -> bool:
        return not path or self.find(path) is not None  # `[[T##]]` names no heading: nothing to miss


def heading_path_exists(page: Page, path: tuple[str, ...]) -> bool:
    """`[[T#A#B]]`: a heading A, then a heading B after it, and so on."""
    return Headings(page).has_path(path)
