"""What marks a line of a page's text, besides Markdown: block ids, list item markers, tags,
kbsleep's fence comments, and the anchor GitHub gives a heading."""

from __future__ import annotations

import re

from kbsleep.wiki.wikilink import replace_wikilinks, shown

# A block id ends a block: `^` and Latin letters, digits and dashes (Obsidian help, Internal
# links: "Block identifiers can only consist of Latin letters, numbers, and dashes"), after a
# space, alone on the line, or right after a link or embed (the help vault writes
# `![[image.png]]^id`, and Obsidian names the image's block by it).
BLOCK_ID = re.compile(r"(?:^|\s|\]\]|\]\([^()\s]*\))\^([A-Za-z0-9-]+)[ \t]*$", re.M)
# A list item's marker, after the indentation and quote markers before it.
LIST_ITEM = re.compile(r"^[ \t>]*(?:[-*+]|[0-9]{1,9}[.)])(?:[ \t]|$)")
TAG = re.compile(r"(?:^|(?<=\s))#([\w/-]*[^\W\d][\w/-]*)")
# A kbsleep fence's comments, each alone on its line (see `fence_marker`): `kbsleep:NAME k=v ...`
# opens one, `/kbsleep:NAME` closes it.
FENCE_OPEN = re.compile(r"kbsleep:([a-z][a-z0-9-]*)(?:\s+(.*))?\Z", re.S)
FENCE_CLOSE = re.compile(r"/kbsleep:([a-z][a-z0-9-]*)\Z")
_FENCE_BLANKS = " \t\f\v\r\n"  # what may surround a fence comment on its line
FENCE_ATTR = re.compile(r"([\w-]+)=(\"[^\"]*\"|\S+)")
_SLUG_DROP = re.compile(r"[^\w\- ]", re.UNICODE)
_SLUG_MARKUP = re.compile(r"[`*_~]|<[^>]+>")
_SLUG_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def fence_marker(line: str) -> tuple[bool, str, dict[str, str]] | None:
    """(closing?, name, attributes) when `line` is one kbsleep fence comment and nothing else
    (blanks aside), as kbsleep writes them; None otherwise. Whether the line is a comment at
    all (not code) is the parser's to say: see `_Folder._fences`."""
    found = line.strip(_FENCE_BLANKS)
    if not (found.startswith("<!--") and found.endswith("-->")) or found.count("-->") != 1 or len(found) < 7:
        return None
    inner = found[4:-3].strip()
    opening = FENCE_OPEN.match(inner)
    if opening:
        return False, opening.group(1), {k: v.strip('"') for k, v in FENCE_ATTR.findall(opening.group(2) or "")}
    closing = FENCE_CLOSE.match(inner)
    return (True, closing.group(1), {}) if closing else None


def github_slug(text: str) -> str:
    """The anchor GitHub gives a heading: lowercase, punctuation dropped, spaces to dashes."""
    plain = text
    # Most headings are plain words, which none of the three substitutions would change.
    if "`" in text or "*" in text or "_" in text or "~" in text or "<" in text or "[" in text:
        plain = _SLUG_MARKUP.sub("", plain)
        plain = _SLUG_LINK.sub(r"\1", plain)
        plain = replace_wikilinks(plain, shown)
    return _SLUG_DROP.sub("", plain.strip().lower()).replace(" ", "-")


def comment_ranges(text: str, start: int = 0) -> list[tuple[int, int]]:
    """The (start, end) offsets of the `%% ... %%` comments of `text` from `start`, where a
    comment opens: each `%%` opens or closes one, in turn; an unclosed one runs to the end.
    (What is after a block comment's closing `%%` on its line is not in the comment.)"""
    found = []
    while (opening := text.find("%%", start)) >= 0:
        closing = text.find("%%", opening + 2)
        end = len(text) if closing < 0 else closing + 2
        found.append((opening, end))
        start = end
    return found
