"""Pages that share a name, and which of them hold the same text: what duplicate-page (KB202)
and ambiguous-alias (KB206) judge.

A page's names are its title, its aliases and its file name, compared folded (`fold`); a
placeholder (`{{title}}`, `<% tp.file.title %>`) is no name, and templates and Excluded files
(`Wiki.unjudged`) are not content, so nobody's namesakes. Two pages are *namesakes* when they
share a name that at least one of them holds as its title or file name (a name both hold only as
an alias makes them ambiguous, not candidates: see ambiguous-alias). Namesakes are one thing
written twice when their prose is *similar*: at least `SIMILAR` of the distinctive word
shingles of the page with fewer of them are in the other page too. A shared name alone is no
evidence: Obsidian's own help has two `Templates.md` and two `Security and privacy.md`, each
about something else.

What a page's prose and its shingles are (what a reader sees, in runs of three words, H1 left
out) is `kbsleep.wiki.prose`'s, shared with consolidate's merge gate; this module's own policy
is the threshold, what counts as template text (below), and that a page of fewer words than a
shingle, one shingle, is held by another page that has those words in a row.

Distinctive discounts template text: a shingle that namesakes of two unrelated groups both have
(a "group" is pages connected by shared names), or that more than `COMMON_PAGES` namesakes have,
comes from a template or the vault's boilerplate, not from what a page says about its subject.
Without that, every pair of pages made from one template would look alike.

Two pages of one file name in parallel folders that are not copies of each other (one
`Documents.md` per university: `kbsleep.wiki.folders`) are each their folder's, never duplicates;
nor are pages whose names tell them apart (`kbsleep.wiki.qualified`: qualified file names,
members of different owners, different folders' README), nor pages that give an
identifying property different values (`kbsleep.wiki.identifiers`), as consolidate never merges.

Namesakes are found in the resolver's name tables, and only their prose is read, once per lint
and only when a page reported on shares a title or file name: a pre-commit run on a page that
shares none reads no page's prose.
"""

from __future__ import annotations

import weakref
from collections import Counter, defaultdict
from itertools import chain
from typing import Iterable, Literal, NamedTuple

from kbsleep.obsidian import is_placeholder
from kbsleep.wiki import Wiki, prose
from kbsleep.wiki.folders import each_their_folders, pages_by_folder
from kbsleep.wiki.identifiers import different_ids
from kbsleep.wiki.page import Page
from kbsleep.wiki.qualified import told_apart
from kbsleep.wiki.resolve import fold

SIMILAR = 0.5  # share of the shorter page's distinctive shingles the other page must have
COMMON_PAGES = 8  # a shingle on more namesakes than this is template text

Kind = Literal["title", "alias", "file name"]


class Claim(NamedTuple):
    """A page's claim to a name."""

    path: str
    kind: Kind
    name: str  # as the page writes it


def judged(a: Claim, b: Claim) -> bool:
    """Does duplicate-page judge two pages by this shared name? Not when both hold it only as an
    alias: a shared alias alone is ambiguous-alias's."""
    return a.kind != "alias" or b.kind != "alias"


def groups(wiki: Wiki, paths: Iterable[str] | None = None) -> dict[str, tuple[Claim, ...]]:
    """Folded name -> the claims of the two or more pages that share it, in page order; names in
    the order a walk over every page meets them. With `paths`, only those pages' names: every
    group a finding on or about one of them comes from."""
    if paths is None:
        found = _GROUPS.get(wiki)
        if found is None:
            found = _GROUPS[wiki] = _groups(wiki, None)
        return found
    return _groups(wiki, [wiki.pages[p] for p in paths if p in wiki.pages])


def similar(wiki: Wiki) -> dict[tuple[str, str], float]:
    """(earlier, later page) -> the share of the shorter one's distinctive shingles the other has,
    for the namesakes that reach `SIMILAR`; worked out once per Wiki, over every namesake (what is
    template text depends on all of them)."""
    found = _SIMILAR.get(wiki)
    if found is None:
        found = _SIMILAR[wiki] = _similar(wiki, groups(wiki))
    return found


_GROUPS: weakref.WeakKeyDictionary[Wiki, dict[str, tuple[Claim, ...]]] = weakref.WeakKeyDictionary()
_SIMILAR: weakref.WeakKeyDictionary[Wiki, dict[tuple[str, str], float]] = weakref.WeakKeyDictionary()


def names(page: Page) -> dict[str, Claim]:
    """The page's names, folded, each with the first kind it is claimed as: title, alias, file name."""
    claims: dict[str, Claim] = {}
    for kind, name in (("title", page.title), *(("alias", a) for a in page.aliases), ("file name", page.stem)):
        key = fold(name)
        if key and key not in claims and not is_placeholder(name):
            claims[key] = Claim(page.path, kind, name)  # type: ignore[arg-type]
    return claims


def _groups(wiki: Wiki, pages: list[Page] | None) -> dict[str, tuple[Claim, ...]]:
    # From the resolver's name tables, built for the links anyway: no walk over every page.
    by_title, by_name = wiki.resolver.by_title, wiki.resolver.by_name
    unjudged = wiki.unjudged  # templates and Excluded files: not content, so no one's namesake
    if pages is None:
        keys = {key for table in (by_title, by_name) for key, paths in table.items() if len(paths) > 1}
        keys.update(key for key in by_title.keys() & by_name.keys() if by_title[key] != by_name[key])
    else:
        keys = {key for page in pages if page.path not in unjudged for key in names(page)}
    claimed: dict[str, dict[str, Claim]] = {}
    found: dict[str, tuple[Claim, ...]] = {}
    order = None
    for key in keys:
        paths = {*by_title.get(key, ()), *by_name.get(key, ())}
        if unjudged:
            paths -= unjudged
        if len(paths) < 2 or not key or is_placeholder(key):
            continue
        if order is None:
            order = {path: index for index, path in enumerate(wiki.pages)}
        claims = tuple(claimed[p][key] for p in sorted(paths, key=order.__getitem__) if key in claimed.setdefault(p, names(wiki.pages[p])))
        if len(claims) > 1:
            found[key] = claims
    if not found:
        return found
    assert order is not None

    def met(key: str) -> tuple[int, int]:
        first = found[key][0].path
        return order[first], list(claimed[first]).index(key)

    return {key: found[key] for key in sorted(found, key=met)}


def _similar(wiki: Wiki, groups: dict[str, tuple[Claim, ...]]) -> dict[tuple[str, str], float]:
    """(earlier, later) -> the share of distinctive shingles they have in common, for the pairs
    of namesakes whose share reaches `SIMILAR`."""
    if not groups:
        return {}
    # Pages connected by shared names form one group (union-find); a pair of namesakes is in one.
    parent: dict[str, str] = {}

    def root(path: str) -> str:
        while parent.setdefault(path, path) != path:
            parent[path] = path = parent[parent[path]]
        return path

    pairs: set[tuple[str, str]] = set()
    for claims in groups.values():
        for i, a in enumerate(claims):
            for b in claims[i + 1 :]:
                if judged(a, b):
                    pairs.add((a.path, b.path))
                    parent[root(b.path)] = root(a.path)
    if not pairs:
        return {}
    order = {path: index for index, path in enumerate(wiki.pages)}
    group = {path: root(path) for path in sorted(parent, key=order.__getitem__) if wiki.pages[path].parsed}
    words = {path: prose.words(wiki.pages[path]) for path in group}
    texts = {path: prose.shingles(found) for path, found in words.items()}
    short = {shingle for path, found in words.items() if len(found) < prose.SHINGLE for shingle in texts[path]}
    if short:  # a page of one or two words is in another page that has them in a row
        for path, found in texts.items():
            found.update(short & set().union(*(prose.runs(words[path], size) for size in range(1, prose.SHINGLE))))
    # Set operations, not a loop a shingle: most of a page's shingles are its own or template text.
    held = Counter(chain.from_iterable(texts.values()))
    holders: dict[int, list[str]] = {shingle: [] for shingle, count in held.items() if 1 < count <= COMMON_PAGES}
    several = set(holders)
    for path, found in texts.items():
        for shingle in found & several:
            holders[shingle].append(path)
    common = {shingle for shingle, count in held.items() if count > COMMON_PAGES}
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for shingle, paths in holders.items():
        if len({group[p] for p in paths}) > 1:
            common.add(shingle)  # template text
            continue
        for i, a in enumerate(paths):
            for b in paths[i + 1 :]:
                shared[(a, b)] += 1  # paths are in page order, so (a, b) is (earlier, later)
    own = {path: len(found) - len(found & common) for path, found in texts.items()}  # distinctive shingles
    similar = {}
    for pair, count in shared.items():
        share = count / min(own[pair[0]], own[pair[1]])
        if share >= SIMILAR and pair in pairs:
            similar[pair] = share
    if similar:  # one page per folder is no duplicate, however alike (`kbsleep.wiki.folders`)
        folders = pages_by_folder(wiki.pages)

        def alike(x: str, y: str) -> bool:
            return (x, y) in similar or (y, x) in similar

        similar = {pair: share for pair, share in similar.items() if not each_their_folders(*pair, folders, alike)}
    # nor are pages whose names tell them apart ("Alchemy Jug (DMG)", "Alchemy Jug (XDMG)"; two
    # owners' `setTooltip`; two folders' README), or that identify themselves differently
    # (`bead_id: jleechan-81q`, `bead_id: jleechan-5cm`)
    pages = wiki.pages
    return {pair: share for pair, share in similar.items() if told_apart(pages[pair[0]], pages[pair[1]]) is None and different_ids(pages[pair[0]], pages[pair[1]]) is None}
