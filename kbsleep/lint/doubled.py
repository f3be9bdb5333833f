"""A Markdown link written with a wikilink's brackets: `[[Label]](sources/page.md)`.

LLM wikis' generated catalogues write each page's Markdown link with doubled brackets (one
marine-engineering index: 19,000 rows of `| [[OMAE2014-24053.pdf]](sources/omae2014-24053.md) |`).
A wikilink is read first and its first `]]` closes it (`kbsleep.wiki.wikilink`; pulldown-cmark's
Obsidian-style wikilinks likewise "take precedence over inline links"), so Obsidian shows the link
`[[OMAE2014-24053.pdf]]`, which opens no page, then the text `(sources/omae2014-24053.md)`. The
writer meant the Markdown link: when its destination opens a page or an attachment, the repair is
`[OMAE2014-24053.pdf](sources/omae2014-24053.md)`, which opens it in Obsidian and on GitHub alike,
rather than a rewrite of the wikilink that would leave `(sources/...)` on show.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import unquote

from kbsleep.wiki import Wiki
from kbsleep.wiki.page import Link, Page
from kbsleep.wiki.parse import SCHEME

_DESTINATION = re.compile(r"\(([^()\s<>]+)\)")  # a bare Markdown destination, right after the `]]`
_OPENS = frozenset({"resolved", "shadowed"})


class Meant(NamedTuple):
    old: str  # the wikilink and the `(destination)` right after it, as the file holds them
    new: str  # the Markdown link the writer meant
    shown: str  # the `(destination)` Obsidian shows as text


def meant_markdown(wiki: Wiki, page: Page, link: Link) -> Meant | None:
    """What a wikilink followed by `(destination)` meant, when that destination opens a page or an
    attachment; else None."""
    if link.kind != "wikilink" or link.in_frontmatter:
        return None
    written = page.written(link)
    if written is None:
        return None
    text = page.line_text(link.line)
    found = _DESTINATION.match(text, link.column - 1 + len(written.raw))
    if found is None or SCHEME.match(found[1]):
        return None
    target, _, anchor = found[1].partition("#")
    probe = Link("markdown", unquote(target), unquote(anchor), None, link.line, link.column, found[1], False, link.in_table)
    if wiki.resolver.resolve(page, probe).status not in _OPENS:
        return None
    label = link.display if link.display is not None else link.raw[2:-2]
    if any(mark in label for mark in "[]") or (link.in_table and "|" in label):
        return None  # a label a Markdown link cannot hold as it is: the writer's call
    return Meant(written.raw + found[0], f"[{label}]{found[0]}", found[0])
