"""The evidence the `duplicates` task needs before two pages may become one.

Two pages are one page written twice only when both hold:

- **The same name**: the same title or the same file name, compared as links compare names
  (case and Unicode forms folded). An alias is not a name: real vaults give many pages the same
  alias (an "Orion" theme and an "Orion" plugin; a category page and one of its members; an
  organisation and the person who runs it), so sharing an alias, or one page's title being the
  other's alias, proves nothing. Such pages are reported for a person to look at, never merged.
- **No identifier that differs**: pages that give an identifying property (`id`, `plugin-id`,
  `isbn`, `doi`, any `*-id`) different values are two things however alike their text
  (`kbsleep.wiki.identifiers`).
- **No kind that differs**: pages whose `type` (or `kind`) differs say they are two kinds of
  thing (`properties.KINDS`): listed for a person, never merged.
- **Names not told apart**: file names that add different qualifiers to one name ("Alchemy Jug
  (DMG)" and "Alchemy Jug (XDMG)"), names that make them members of different owners
  (`ButtonComponent.setTooltip`, `ExtraButtonComponent.setTooltip`), and two folders' README
  or index pages (`kbsleep.wiki.qualified`) name two things, however alike their text: never
  merged, nor listed.
- **Near-identical prose**: at least `SAME_PROSE` of the shorter page's word shingles occur in
  the longer page. This is containment, not Jaccard: the commonest duplicate is a stub whose
  every sentence the fuller page already holds, which Jaccard would score low. Shingles found
  on more than `COMMON_PAGES` pages of the wiki are left out first: they are a template's fixed
  sentences or a footer every page carries, which unrelated pages share (two people's pages
  made from one author template). A page left with fewer than `MIN_SHINGLES` shingles says too
  little to prove anything, and is never merged on this evidence.

What a page's prose and its shingles are is `kbsleep.wiki.prose`'s, shared with lint's
duplicate-page (what a reader sees, in runs of three words across paragraphs, list items, table
cells and headings below H1; not the frontmatter, code, comments, link targets or kbsleep's
generated sections); the thresholds and what counts as boilerplate are this module's.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Iterable

from kbsleep.obsidian import is_placeholder
from kbsleep.passes import gate
from kbsleep.passes.consolidate.properties import different_kind
from kbsleep.wiki import Wiki, prose
from kbsleep.wiki.page import Page
from kbsleep.wiki.identifiers import different_ids, identifiers
from kbsleep.wiki.qualified import told_apart
from kbsleep.wiki.folders import each_their_folders, pages_by_folder
from kbsleep.wiki.resolve import fold

SAME_PROSE = 0.8  # share of the shorter page's shingles the longer page must hold
# Namesakes not merged are listed for a person only when they share this much of their prose
# (lint's duplicate-page threshold, `kbsleep.lint.namesakes.SIMILAR`): one file name in two
# folders is normal in Obsidian (daily notes of one date, a `Documents.md` per project), and a
# list of every such pair would bury the few worth a look.
LOOK_PROSE = 0.5
MIN_SHINGLES = 10  # shingles the shorter page needs for its overlap to mean anything
COMMON_PAGES = prose.COMMON_PAGES  # a shingle on more pages than this is template or boilerplate text, not evidence


@dataclass(frozen=True)
class Evidence:
    """Why two pages may be one: the name they share and how much of their prose they share."""

    kind: str  # "title" or "file name"
    name: str  # as the first page writes it
    overlap: float  # share of the shorter page's shingles found in the longer one

    def __str__(self) -> str:
        return f"same {self.kind} `{self.name}`, {self.overlap:.0%} of the shorter page's prose in the other"


@dataclass(frozen=True)
class Candidates:
    """What the names of a wiki's pages suggest: groups proven to be one page, and the rest."""

    groups: tuple[tuple[tuple[str, ...], Evidence], ...]  # pages (each pair with evidence), the weakest pair's evidence
    look_at: tuple[tuple[tuple[str, ...], str], ...]  # pages that share a name or alias without evidence, and why not merged


def names(page: Page) -> dict[str, tuple[str, str]]:
    """A page's names, folded -> (kind, as written): its title and its file name; a placeholder
    (`{{title}}`, `<% tp.file.title %>`) is no name."""
    found = {fold(page.stem): ("file name", page.stem)}
    found.setdefault(fold(page.title), ("title", page.title))
    return {key: value for key, value in found.items() if key and not is_placeholder(value[1])}


# (path, blob) -> shingles: a page is compared with every page that shares one of its names.
_SHINGLES: dict[tuple[str, str], frozenset[int]] = {}


def shingles(page: Page) -> frozenset[int]:
    """The shingles of a page's prose (`kbsleep.wiki.prose`), hashed."""
    key = (page.path, page.blob)
    found = _SHINGLES.get(key)
    if found is None:
        if len(_SHINGLES) > 10_000:
            _SHINGLES.clear()
        found = _SHINGLES[key] = frozenset(prose.shingles(prose.words(page)))
    return found


def common(pages: Iterable[Page]) -> frozenset[int]:
    """The shingles found on more than `COMMON_PAGES` of these pages."""
    counts: Counter[int] = Counter()
    for page in pages:
        counts.update(shingles(page))
    return frozenset(shingle for shingle, count in counts.items() if count > COMMON_PAGES)


def overlap(a: Page, b: Page, boilerplate: frozenset[int] = frozenset(), least: int = MIN_SHINGLES) -> float | None:
    """The share of the shorter page's shingles that the longer page holds, `boilerplate` left
    out; None when the shorter has fewer than `least` (`MIN_SHINGLES`: too little prose to
    measure) or none."""
    first, second = shingles(a) - boilerplate, shingles(b) - boilerplate
    small, large = (first, second) if len(first) <= len(second) else (second, first)
    if len(small) < max(least, 1):
        return None
    return len(small & large) / len(small)


def evidence(a: Page, b: Page, boilerplate: frozenset[int] = frozenset()) -> Evidence | None:
    """The evidence that `a` and `b` are one page, or None when there is not enough (or the two
    identify themselves differently, or their file names tell them apart)."""
    shared = names(a).keys() & names(b).keys()
    if not shared or different_ids(a, b) is not None or different_kind(a, b) is not None or told_apart(a, b) is not None:
        return None
    share = overlap(a, b, boilerplate)
    if share is None or share < SAME_PROSE:
        return None
    kind, name = names(a)[sorted(shared)[0]]
    return Evidence(kind, name, share)


def candidates(wiki: Wiki) -> Candidates:
    """Groups of pages to merge (every pair in a group has evidence), and the pages that share
    a name or an alias without it (one item a name), for a person to look at: by name, only
    pages that share at least `LOOK_PROSE` of their prose. Pages of one file name in parallel
    folders (`kbsleep.wiki.folders`) are neither: each folder's own; nor are pages whose file
    names tell them apart (`kbsleep.wiki.qualified`). Nor are templates, Excluded
    files and pages no pass may write (`gate.refused`)."""
    unjudged = wiki.unjudged  # templates and Excluded files: not the wiki's content
    pages = {path: page for path, page in wiki.pages.items() if page.parsed and path not in unjudged and gate.writable(wiki, path)}
    by_name: dict[str, list[str]] = defaultdict(list)
    for path, page in pages.items():
        for key in names(page):
            by_name[key].append(path)
    shared = {key: sorted(set(paths)) for key, paths in by_name.items() if len(set(paths)) > 1}
    boilerplate = common(pages.values()) if shared else frozenset()  # every page's prose: only when needed
    proven: dict[frozenset[str], Evidence] = {}
    for key, paths in shared.items():
        for a, b in combinations(paths, 2):
            found = evidence(pages[a], pages[b], boilerplate)
            if found is not None:
                proven[frozenset((a, b))] = found
    folders = pages_by_folder(wiki.pages) if shared else {}

    def own(a: str, b: str) -> bool:  # each their folder's: one thing per folder, not worth a look
        return each_their_folders(a, b, folders, lambda x, y: frozenset((x, y)) in proven)

    proven = {pair: found for pair, found in proven.items() if not own(*pair)}
    groups = _groups(sorted(pages), proven)
    grouped = {frozenset(pair) for members, _ in groups for pair in combinations(members, 2)}
    look_at = []
    for key, paths in shared.items():
        apart = [pair for pair in combinations(paths, 2) if frozenset(pair) not in grouped and not own(*pair) and told_apart(pages[pair[0]], pages[pair[1]]) is None]
        # Only pairs that share much of what prose they have (however little) are worth a look.
        apart = [(a, b) for a, b in apart if (overlap(pages[a], pages[b], boilerplate, least=1) or 0) >= LOOK_PROSE]
        if not apart:
            continue
        kind, name = names(pages[paths[0]]).get(key) or names(pages[paths[1]])[key]
        shares = [share for a, b in apart if (share := overlap(pages[a], pages[b], boilerplate)) is not None]
        closest = max(shares, default=None)
        ids = [(key, a, b) for a, b in apart if (key := different_ids(pages[a], pages[b])) is not None]
        kinds = [(key, a, b) for a, b in apart if (key := different_kind(pages[a], pages[b])) is not None]
        if ids:
            key, a, b = ids[0]
            why = f"same {kind} `{name}`, but a different `{key.replace('_', '-')}` ({identifiers(pages[a])[key]}, {identifiers(pages[b])[key]}): two things, not merged"
        elif kinds:
            key, a, b = kinds[0]
            why = f"same {kind} `{name}`, but a different `{key}` ({_shown(pages[a], key)}, {_shown(pages[b], key)}): two kinds of thing, not merged; merge them yourself if they are one"
        elif closest is None:
            why = f"same {kind} `{name}`, but too little prose to compare (a merge needs {MIN_SHINGLES} three-word runs on each page, besides text many pages share): not merged"
        elif closest < SAME_PROSE:
            why = f"same {kind} `{name}`, but the pages not merged share at most {closest:.0%} of their prose (a merge needs {SAME_PROSE:.0%}): not merged"
        else:
            why = f"same {kind} `{name}`; pages merge only in groups whose every two pages share {SAME_PROSE:.0%} of their prose, so not all of these were merged"
        look_at.append((tuple(paths), why))
    look_at += _shared_aliases(pages, by_name, {frozenset(pair) for paths in shared.values() for pair in combinations(paths, 2)})
    return Candidates(tuple(groups), tuple(sorted(look_at)))


# -- internals ----------------------------------------------------------------------------------


def _shown(page: Page, key: str) -> str:
    return " ".join(str(page.frontmatter.get(key)).split())[:60]


def _groups(order: list[str], proven: dict[frozenset[str], Evidence]) -> list[tuple[tuple[str, ...], Evidence]]:
    """Pages joined into groups in which every pair has evidence (a page joins the first group
    it fits, in path order): evidence does not carry over from A~B and B~C to A~C."""
    linked: dict[str, set[str]] = defaultdict(set)
    for pair in proven:
        a, b = sorted(pair)
        linked[a].add(b)
        linked[b].add(a)
    groups: list[list[str]] = []
    for path in order:
        if path not in linked:
            continue
        home = next((g for g in groups if all(member in linked[path] for member in g)), None)
        if home is None:
            groups.append([path])
        else:
            home.append(path)
    found = []
    for group in groups:
        if len(group) > 1:
            weakest = min((proven[frozenset(pair)] for pair in combinations(group, 2)), key=lambda e: e.overlap)
            found.append((tuple(group), weakest))
    return found


def _shared_aliases(pages: dict[str, Page], by_name: dict[str, list[str]], seen: set[frozenset[str]]) -> list[tuple[tuple[str, ...], str]]:
    """Pages whose only common name is an alias (or one's title is the other's alias): one item a name."""
    claims: dict[str, list[str]] = defaultdict(list)
    written: dict[str, str] = {}
    for path, page in pages.items():
        for alias in page.aliases:
            key = fold(alias)
            if key and path not in claims[key]:
                claims[key].append(path)
                written.setdefault(key, alias)
    found = []
    for key, paths in claims.items():
        members = sorted(set(paths) | set(by_name.get(key, ())))
        if len(members) < 2 or all(frozenset(pair) in seen for pair in combinations(members, 2)):
            continue
        found.append((tuple(members), f"`{written[key]}` is an alias of one and a name or alias of the other: no evidence that they are one thing, not merged"))
    return found
