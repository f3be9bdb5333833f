"""Finding a page by the name a reader gives it, and a section by its heading.

A name is matched as Obsidian matches a link target from the vault's root (path or file name,
case-insensitive, `.md` optional; the root's page, else the shortest path, when several share
a file name), then as a title or alias, since a reader may know a page by either. A heading is
matched as Obsidian matches a link's heading (`fold_heading`); `A#B` is B nested under A.
"""

from __future__ import annotations

from kbsleep.errors import KbsleepError
from kbsleep.wiki import Wiki
from kbsleep.wiki.page import Heading, Page
from kbsleep.wiki.resolve import fold, fold_heading, pick


def find_page(wiki: Wiki, name: str) -> str:
    """The page `name` opens, as a wikilink from the wiki's root would, else by title or alias."""
    name = name.strip().strip("/")
    if not name:
        raise KbsleepError("no page named", hint="give a page's path, file name or title, e.g. `Ada Lovelace`")
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


def find_section(page: Page, wanted: str) -> Heading:
    """The heading `wanted` names ("Setup", or "Install#Setup" for one nested under another),
    matched as Obsidian matches a link's heading; a GitHub-style slug is accepted too."""
    parts = [fold_heading(part) for part in wanted.split("#") if part.strip()]
    headings = page.headings
    found: Heading | None = None
    level, start = 0, 0
    for part in parts:
        found = None
        for index in range(start, len(headings)):
            heading = headings[index]
            if level and heading.level <= level:
                break  # left the enclosing section
            if fold_heading(heading.text) == part or heading.slug == wanted.casefold():
                found, level, start = heading, heading.level, index + 1
                break
        if found is None:
            break
    if found is None:
        listed = ", ".join(f"`{_plain(h.text)}`" for h in headings[:20]) or "none"
        raise KbsleepError(f"no section `{wanted}` in {page.path}", hint=f"its headings: {listed}")
    return found


def _suggest(wiki: Wiki, name: str) -> str:
    import difflib

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
