"""Finding a page by the name a reader gives it, and a section by its heading.

A name is matched as Obsidian matches a link target from the vault's root (path or file name,
case-insensitive, `.md` optional; of several pages of one file name, the shortest path, as a
link from the root opens it, and the first by path of two as long), then as a title or alias,
since a reader may know a page by either. A heading is
matched as Obsidian matches a link's heading, with the rule lint checks anchors by
(`resolve.Headings`): `B` is the first B at any depth, `A#B` the first B after an A. The links
that open a section are found by the same rule.
"""

from __future__ import annotations

import difflib
from typing import Iterable

from kbsleep.errors import KbsleepError
from kbsleep.wiki import Wiki
from kbsleep.wiki.page import Heading, Page
from kbsleep.wiki.linkpath import pick
from kbsleep.wiki.resolve import Headings, ResolvedLink, fold, fold_heading


def find_page(wiki: Wiki, name: str) -> str:
    """The page `name` opens, as a wikilink from the wiki's root would, else by title or alias."""
    name = name.strip().strip("/")
    if not name:
        raise KbsleepError("the page's name is empty", hint="give a page's path, file name or title, e.g. `Ada Lovelace`")
    key = fold(name[:-3] if name.lower().endswith(".md") else name)
    resolver = wiki.resolver
    if key in resolver.by_path:
        return resolver.by_path[key]
    by_name = list(resolver.by_name.get(key.rsplit("/", 1)[-1], ()))
    if "/" in key:  # a partial path: "people/Ada" opens ".../people/Ada.md"
        by_name = [p for p in by_name if fold(p[:-3]).endswith("/" + key)]
    for candidates in (by_name, resolver.by_title.get(key)):
        if candidates:
            return pick(list(candidates), "")
    raise KbsleepError(f"no page `{name}` in the wiki", hint=_suggest(wiki, name))


def namesakes(wiki: Wiki, name: str, path: str) -> list[str]:
    """The other pages that `name`, as `find_page` took it, could have meant: those sharing the
    file name of a bare name, or the partial path it ends with (none for a full path)."""
    name = name.strip().strip("/")
    key = fold(name[:-3] if name.lower().endswith(".md") else name)
    if key in wiki.resolver.by_path:
        return []
    shared = wiki.resolver.by_name.get(key.rsplit("/", 1)[-1], ())
    return sorted(p for p in shared if p != path and ("/" not in key or fold(p[:-3]).endswith("/" + key)))


def find_section(page: Page, wanted: str) -> Heading:
    """The heading `wanted` names, as a link `[[Page#wanted]]` opens it: with lint's own rule
    (`Headings.find`), so "Career" is the first `Career` at any depth and "Life#Career" the first
    after `Life`. A GitHub-style slug ("early-life") is accepted too, as in a Markdown link."""
    parts = tuple(part for part in wanted.split("#") if part.strip())
    headings = page.headings
    index = Headings(page).find(parts)
    if index is not None:
        return headings[index]
    slug = wanted.strip().casefold()
    for heading in headings:
        if heading.slug == slug:
            return heading
    raise KbsleepError(f"no section `{wanted}` in {page.path}", hint=_near_sections(page, parts))


def _near_sections(page: Page, parts: tuple[str, ...]) -> str:
    """Why a heading path opened nothing, and the headings the reader may have meant."""
    headings = page.headings
    if not headings:
        return "the page has no headings: read it whole"
    last = Headings(page).find(parts[-1:]) if parts else None
    if last is not None and len(parts) > 1:
        found = headings[last]
        return f"`{_plain(found.text)}` (line {found.line}) is not after `{_plain(parts[-2])}`: read it as `{_plain(found.text)}`"
    by_fold: dict[str, Heading] = {}
    for heading in headings:
        by_fold.setdefault(fold_heading(heading.text), heading)
    close = difflib.get_close_matches(fold_heading(parts[-1]) if parts else "", list(by_fold), n=5, cutoff=0.6)
    if close:
        return "close headings: " + ", ".join(f"`{_plain(by_fold[key].text)}`" for key in close)
    listed = ", ".join(f"`{_plain(h.text)}`" for h in headings[:20])
    return f"its headings: {listed}" + (f" (and {len(headings) - 20} more)" if len(headings) > 20 else "")


def _suggest(wiki: Wiki, name: str) -> str:
    names = {_stem(path): path for path in wiki.pages}
    names.update((page.title, path) for path, page in wiki.pages.items() if page.title)
    close = difflib.get_close_matches(name, list(names), n=5, cutoff=0.6)
    if close:
        return "did you mean: " + ", ".join(f"`{names[c]}`" for c in dict.fromkeys(close))
    return "use `search` to find pages by their words"


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".md")


def _plain(text: str) -> str:
    return " ".join(text.split())


def opens_within(page: Page, links: Iterable[ResolvedLink], start: int, end: int) -> list[ResolvedLink]:
    """The links into `page` that open a place in its lines `start`..`end`: a heading there (by
    the anchor rule above) or a block there. A link to the page alone opens its top, no section."""
    headings = Headings(page)
    inside = []
    for resolved in links:
        link = resolved.link
        if link.block_id is not None:
            line = page.block_ids.get(link.block_id)
        else:
            index = headings.find(link.heading_path) if link.heading_path else None
            line = page.headings[index].line if index is not None else None
        if line is not None and start <= line <= end:
            inside.append(resolved)
    return inside
