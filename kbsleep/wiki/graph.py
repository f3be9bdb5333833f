"""The link graph: each page's links resolved, and the links that open each page.

Both are built on first use, page by page. A warm load knows most outcomes from the link cache
(see `outcomes.still_valid`), and most commands read the links of a few pages: a pre-commit lint
of one page, `ask`, a pass over the pages that changed. Building the 90,000 resolved links of a
10k-page wiki (and the back-links from them) before anyone asks costs more than all the rest of a
warm load. What a load must work out, it works out at once (`settle`), so the link cache it saves
is complete; the rest is only records made from known outcomes.
"""

from __future__ import annotations

from typing import Callable, Collection, Iterator, Mapping

from kbsleep import forked
from kbsleep.wiki.page import Page
from kbsleep.wiki.resolve import Outcome, ResolvedLink, Resolver, target_of

PARALLEL_PAGES = 2000  # pages to resolve before a second process pays for itself
CHUNK_PAGES = 256  # pages a process takes at a time: what the other may wait for at the end


class Outlinks(Mapping[str, tuple[ResolvedLink, ...]]):
    """Page -> every link of the page, resolved, in the page's order."""

    def __init__(self, pages: Mapping[str, Page], resolver: Resolver) -> None:
        self._pages, self._resolver = pages, resolver
        self._done: dict[str, tuple[ResolvedLink, ...]] = {}
        self._known: dict[str, tuple[Outcome, ...]] = {}  # outcomes: cached, from a child, or of records built here

    def __getitem__(self, path: str) -> tuple[ResolvedLink, ...]:
        found = self._done.get(path)
        if found is None:
            found = self._done[path] = self._resolver.resolve_page(self._pages[path])
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._pages)

    def __len__(self) -> int:
        return len(self._pages)

    def __contains__(self, path: object) -> bool:
        return path in self._pages

    def settle(self, meanwhile: Callable[[], None] = lambda: None) -> None:
        """Resolve now every page whose outcomes the link cache does not already hold: on two
        cores when there are many (a cold load), a forked child taking chunks of pages as this
        process does (`forked.share`), which first does `meanwhile`."""
        resolver = self._resolver
        todo = resolver.unknown(self._pages)
        self._known.update(resolver.known())
        for path in todo:  # what the link cache holds of these is not all there is
            self._known.pop(path, None)
        if len(todo) < PARALLEL_PAGES or not forked.can_fork():
            meanwhile()
            fresh = {path: self._fresh(path) for path in todo}
            self._known.update(fresh)
            resolver.adopt(fresh, 0)
            return
        resolver.prepare()  # the lookup tables, built once, before the fork
        size = max(-(-len(todo) // forked.Tickets.MOST), CHUNK_PAGES)
        chunks = [todo[at : at + size] for at in range(0, len(todo), size)]

        def work(number: int) -> tuple[list[tuple[Outcome, ...]], int]:
            before = resolver.computed
            return [self._fresh(path) for path in chunks[number]], resolver.computed - before

        before = resolver.computed
        found = forked.share(len(chunks), work, first=meanwhile)
        fresh = {path: outcomes for number, chunk in enumerate(chunks) for path, outcomes in zip(chunk, found[number][0])}
        # The children's count: every chunk's, less what this process counted itself.
        computed = sum(counted for _, counted in found.values()) - (resolver.computed - before)
        self._known.update(fresh)
        resolver.adopt(fresh, computed)  # records, when asked for, are made from these outcomes

    def _fresh(self, path: str) -> tuple[Outcome, ...]:
        """A page's outcomes, worked out now where the link cache does not hold them all."""
        page = self._pages[path]
        if self._resolver.knows_some(page):
            return self.outcomes(path)  # the cached ones still hold: only the rest are worked out
        return self._resolver.outcomes(page)

    def outcomes(self, path: str) -> tuple[Outcome, ...]:
        """A page's outcomes, without building its records when the link cache holds them."""
        found = self._known.get(path)
        if found is None:
            found = self._known[path] = tuple((r.status, r.target, r.others, r.attachment) for r in self[path])
        return found


class Backlinks(Mapping[str, tuple[ResolvedLink, ...]]):
    """Page -> the links that open it (or were meant for it), in page order, then link order."""

    def __init__(self, outlinks: Outlinks) -> None:
        self._outlinks = outlinks
        self._index: dict[str, list[tuple[str, int]]] | None = None  # target -> (source, link number)
        self._done: dict[str, tuple[ResolvedLink, ...]] = {}
        self._into: dict[str, list[tuple[str, Outcome]]] = {}  # target -> (source, outcome), found by `into`

    @property
    def index(self) -> dict[str, list[tuple[str, int]]]:
        if self._index is None:
            index: dict[str, list[tuple[str, int]]] = {}
            outcomes = self._outlinks.outcomes
            for source in self._outlinks:
                for number, outcome in enumerate(outcomes(source)):
                    if outcome[1] is not None and not outcome[3]:
                        index.setdefault(outcome[1], []).append((source, number))
            self._index = index
        return self._index

    def __getitem__(self, path: str) -> tuple[ResolvedLink, ...]:
        found = self._done.get(path)
        if found is None:
            found = self._done[path] = tuple(self._outlinks[source][number] for source, number in self.index[path])
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.index)

    def __len__(self) -> int:
        return len(self.index)

    def __contains__(self, path: object) -> bool:
        return path in self.index

    def into(self, paths: Collection[str]) -> list[tuple[str, Outcome]]:
        """(source, outcome) of every link whose target is one of `paths`, attachments too:
        by target, each in page order, then link order. One scan of the outcomes for the paths
        not asked about before: cheaper than building the index, for a run that asks about few."""
        into = self._into
        new = set(paths) - into.keys()
        if new:
            outcomes = self._outlinks.outcomes
            for path in new:
                into[path] = []
            for source in self._outlinks:
                found = outcomes(source)
                if not new.isdisjoint(map(target_of, found)):  # most pages: one test at C speed
                    for outcome in found:
                        if outcome[1] in new:
                            into[outcome[1]].append((source, outcome))
        return [item for path in dict.fromkeys(paths) for item in into[path]]

    def linking(self, paths: Collection[str]) -> set[str]:
        """The pages with a link that opens (or was meant for) one of `paths`."""
        return {source for source, outcome in self.into(paths) if not outcome[3]}
