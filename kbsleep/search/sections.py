"""A page cut into the sections the index holds, and what each section's row is made of.

A section is the lines from a heading to the next heading of any level; the text before the
first heading, frontmatter included, is a section of its own. Its row also holds the headings
above it (its trail), the precomputed questions whose answers cite it (doc2query), and the key
of its vector.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from kbsleep.wiki.linkpath import inner_dots_read

if TYPE_CHECKING:
    from kbsleep.wiki.page import Page


def chunks(page: Page) -> list[tuple[str, int, int, str]]:
    """(heading, start, end, text) of each section of `page`, anticipate sections left out.

    Sections do not nest here: each runs to the next heading of any level, so a hit names the
    smallest part of the page that holds the words.
    """
    from kbsleep import answers

    if not page.parsed or not page.text:
        return []
    lines = page.lines
    hidden = {n for f in page.fences if f.name == answers.FENCE for n in range(f.start, f.end + 1)}
    starts = [h for h in page.headings if h.line not in hidden]
    found: list[tuple[str, int, int, str]] = []
    bounds = [(None, 1)] + [(h, h.line) for h in starts] + [(None, len(lines) + 1)]
    for (heading, start), (_, following) in zip(bounds, bounds[1:]):
        numbers = [n for n in range(start, following) if n not in hidden] if hidden else range(start, following)
        shown = [n for n in numbers if lines[n - 1].strip()]
        text = "\n".join(lines[n - 1] for n in numbers).strip()
        if shown and any(ch.isalnum() for ch in text):
            found.append((heading.text.strip() if heading else "", start, shown[-1], text))
    return found


def content_hash(*parts: str) -> str:
    """The key of a text's vector: the same text has the same vector, whichever page or row holds it."""
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16).hexdigest()


def embedding_text(title: str, trail: str, text: str) -> str:
    """What a section's vector is computed from: where it is, then what it says."""
    where = f"{title} > {trail}" if trail else title
    return f"{where}\n{text}"


def trails(page: Page, found: list[tuple[str, int, int, str]]) -> list[str]:
    """For each chunk of `page`, its heading with the headings it sits under: "Sync > Conflicts"."""
    levels = {h.line: h.level for h in page.headings}
    stack: list[tuple[int, str]] = []
    result = []
    for heading, start, _end, _text in found:
        level = levels.get(start)
        if level is None or not heading:
            result.append(heading)
            continue
        stack = [(lv, text) for lv, text in stack if lv < level] + [(level, heading)]
        result.append(" > ".join(text for lv, text in stack if lv > 1 or len(stack) == 1))
    return result


def questions_by_section(page: Page, headings: list[str], qas: Iterable) -> list[str]:  # type: ignore[type-arg]
    """For each section of `page`, the precomputed questions whose answers cite it (those that
    cite no section of the page go with its first section): the questions are the section's
    doc2query field, words a reader may use that the section does not."""
    slots = ["" for _ in headings]
    if not slots:
        return slots
    where = {_fold(h): i for i, h in reversed(list(enumerate(headings)))}
    for qa in qas:
        spots = {where.get(_fold(c.partition("#")[2].split("#")[-1]), 0) for c in qa.citations if _cites(page, c)} or {0}
        for spot in spots:
            slots[spot] += " " + qa.question
    return slots


def _cites(page: Page, citation: str) -> bool:
    name = citation.partition("#")[0].strip().removesuffix(".md").casefold()
    return name in (page.stem.casefold(), page.path[:-3].casefold())


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def same_heading(a: str, b: str) -> bool:
    return _fold(a) == _fold(b)


def section_links(page: Page) -> list[tuple[str, str, int]]:
    """(link path as written, without `.md`; the heading it names or ""; line) of each
    link of `page` to another page; not those in a `%%` comment, which no reader sees. The path
    keeps its folders (`Obsidian Publish/Security and privacy`): of two pages of one file name,
    they and the linking page's folder say which the link opens (`linkpath.opens`)."""
    from urllib.parse import unquote

    found = []
    for link in page.links:
        if link.in_comment:
            continue
        target = unquote(link.target) if link.kind != "wikilink" else link.target
        target = target.strip()
        if target.startswith(("http:", "https:", "mailto:")):
            continue
        key = inner_dots_read(target) if link.kind != "wikilink" else target
        key = key[:-3] if key.casefold().endswith(".md") else key
        if key.rsplit("/", 1)[-1]:
            path = link.heading_path
            found.append((key, path[-1].strip() if path else "", link.line))
    return found
