"""The one walk over a passage's Markdown that sentences and answer units are read from, and the
plain text and sentences of a block.

`walk` sets the frontmatter apart, leaves code out and takes quote markers off; what a line
starts (a heading, a list item, a table row) each reader decides, since they group lines
differently: `search.sentences` (the offline engine's evidence, the offline questions) joins a
list item's lazy continuation lines and reads a table row as its cells; `search.units` (the
answers `ask` quotes) joins only indented continuation lines, reads a row with its header, and
frontmatter and `Key:: value` lines as facts.
"""

from __future__ import annotations

import re

from kbsleep.wiki.markers import BLOCK_ID
from kbsleep.wiki.wikilink import Wikilink, replace_wikilinks

ABBREVIATIONS = frozenset(
    """
    e.g i.e etc vs cf al fig figs no nos vol pp p ca approx dept est mr mrs ms dr prof sr jr
    st mt ft inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec
    """.split()
)
FENCE = re.compile(r"^\s*(```|~~~)")
QUOTE = re.compile(r"^\s*(>\s?)+")
LIST_ITEM = re.compile(r"^([-*+]|\d{1,9}[.)])\s")  # also used by the offline question generator
TABLE_RULE = re.compile(r"^\s*\|?[\s:|-]*-[\s:|-]*$")
_MARKER = re.compile(r"^\s*(#{1,6}\s+|[-*+]\s+(\[[ xX]\]\s+)?|\d{1,9}[.)]\s+)")
MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")  # a link or an image, its text in group 1
_EMPHASIS = re.compile(r"(\*\*|__|`|~~)")
_HIGHLIGHT = re.compile(r"==(?=\S)([^=\n]*?\S)==")  # `==text==` shows the text highlighted ("Basic formatting syntax", Obsidian Help)
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)  # not shown in reading view (a Dataview or IQ plugin's marker in a table cell)
_AUTOLINK = re.compile(r"<((?:https?|mailto|obsidian):[^<>\s]+)>")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_ITALIC = re.compile(r"(?<![\w*_\\])[*_](?=\S)([^*_\n]*?\S)[*_](?![\w*_])")
_CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)")  # a code span: a run of backticks to the next run as long
# Inline math as kbsleep's parser reads it (`wiki/texmath.py`): `$$...$$`, or `$...$` with no blank
# inside either dollar and no digit after the closing one (`$5 and $10` is money); not `\$`.
_MATH_SPAN = r"(?<![\\$])\$\$(?!\$)[\s\S]+?(?<!\\)\$\$|(?<![\\$])\$(?![\s$])(?:\\[\s\S]|[^$\\])*?(?<![\s\\])\$(?!\d)"
# What reading view does not read as Markdown: code spans, and math, which MathJax renders from
# its LaTeX (an `_` there is a subscript, `\{` a brace, never emphasis or an escape).
_VERBATIM = re.compile(f"{_CODE_SPAN.pattern}|{_MATH_SPAN}")
HTML_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")  # an HTML tag (its text stays)
# A terminator, closing quotes or brackets, then space; or a CJK terminator (no space needed).
_BOUNDARY = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*\s+|[\u3002\uff01\uff1f]+")
_OPENERS = "\"'\u201c\u2018([*_"

Line = tuple[str, str]  # (the line as written, without its quote markers and trimmed)


def walk(text: str) -> tuple[list[str] | None, list[Line | None]]:
    """(the frontmatter's lines, or None without frontmatter; the other lines outside code, with
    None where a code fence opens or closes a block)."""
    front, lines = split_frontmatter(text)
    body: list[Line | None] = []
    in_code = False
    for line in lines:
        unquoted = QUOTE.sub("", line)
        if FENCE.match(unquoted):  # a fence in a quote or callout (`> ```css`) opens code too
            in_code = not in_code
            body.append(None)
        elif not in_code:
            body.append((line, unquoted.strip()))
    return front, body


def code_blocks(text: str) -> list[list[str]]:
    """The lines of each fenced code block that `walk` leaves out, in order."""
    blocks: list[list[str]] = []
    in_code = False
    for line in split_frontmatter(text)[1]:
        unquoted = QUOTE.sub("", line)
        if FENCE.match(unquoted):
            in_code = not in_code
            if in_code:
                blocks.append([])
        elif in_code:
            blocks[-1].append(unquoted)
    return blocks


def split_frontmatter(text: str) -> tuple[list[str] | None, list[str]]:
    """(the frontmatter's lines, or None; the lines after it)."""
    lines = text.splitlines()
    if lines and lines[0].strip() == "---":
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), 0)
        return lines[1:end], lines[end + 1 :]
    return None, lines


def _link_text(link: Wikilink) -> str:
    """A link as plain text: its display text, else its page, else the heading it points to on
    its own page (`[[#Set your template folder]]`); an embed keeps its `!`."""
    return "!" * link.embed + (link.display or link.target or link.anchor).strip()


def plain(block: str, unescape: bool = True) -> str:
    """A block's text without its Markdown: markers, links (their text kept), emphasis. A code
    span shows its text as it is written: CommonMark parses nothing inside one, so "Type `[[`"
    and "`![[Document.pdf]]`" keep their brackets, and keep their backticks (an answer written
    back into a page must not turn an example into a link, a tag or a comment). Inline math
    (`$(\\mathcal{F}_n)_{n \\geq 0}$`) is LaTeX, shown by MathJax: it too is kept as written.
    Text written into Markdown again (the index's catalogue) keeps its escapes (`unescape=False`):
    `\\#tag` unescaped would be a tag there."""
    block = _MARKER.sub("", block)
    if "^" in block:  # a block id is not shown ("Link to a block in a note", Internal links, Obsidian Help)
        block = BLOCK_ID.sub(lambda m: m.group(0)[: m.start(1) - m.start(0) - 1], block)
    if "`" not in block and "$" not in block:
        return " ".join(_shown(block, unescape).split())
    parts, at = [], 0
    for span in _VERBATIM.finditer(block):
        parts += [_shown(block[at : span.start()], unescape), span.group(0)]
        at = span.end()
    parts.append(_shown(block[at:], unescape))
    return " ".join("".join(parts).split())


def _shown(text: str, unescape: bool = True) -> str:
    """Text outside code as Obsidian shows it (its escapes kept unless `unescape`)."""
    if "<!--" in text:
        text = _HTML_COMMENT.sub("", text)
    text = replace_wikilinks(text, _link_text)
    text = MARKDOWN_LINK.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    text = _HIGHLIGHT.sub(r"\1", text)
    text = _ITALIC.sub(r"\1", text)  # `_Insert → Table_`, `*Reading view*` show in italics, without their marks
    text = _AUTOLINK.sub(r"\1", text)  # `<https://example.org>` shows the address
    text = HTML_TAG.sub("", text)  # `<button id=HH>Open in Obsidian</button>` shows "Open in Obsidian"
    return _ESCAPED.sub(r"\1", text) if unescape else text  # `\[\[double brackets\]\]`, `\#`: a backslash escapes punctuation (CommonMark)


def table_cells(row: str) -> list[str]:
    """The cells of a table row: split at its pipes, but not at an escaped one (`[[Page\\|Alias]]`,
    as a link's display text is written inside a table), which reads as `|` in its cell."""
    return [cell.strip().replace("\x00", "|") for cell in row.replace("\\|", "\x00").strip("|").split("|")]


def split_block(block: str) -> list[str]:
    """The sentences of one block of plain text."""
    parts: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(block):
        end = match.end()
        if end < len(block) and not _is_boundary(block, match.start(), end):
            continue
        parts.append(block[start:end].strip())
        start = end
    if start < len(block):
        parts.append(block[start:].strip())
    return [p for p in parts if p]


def _is_boundary(text: str, stop: int, after: int) -> bool:
    """Whether the terminator at `stop` ends a sentence, judged by the words around it."""
    if text[stop] in "\u3002\uff01\uff1f":
        return True
    following = text[after]
    starts = following.isdigit() or following in _OPENERS
    before = text[:stop].rsplit(None, 1)[-1].lstrip(_OPENERS) if text[:stop].strip() else ""
    word = before.casefold()
    if following.isalpha() and following.islower():
        # "e.g. the", "3 p.m. and", "etc. and": lower case goes on; but "to the lab. also Dev
        # says", in a note typed or transcribed without capitals, ends at a plain word
        return text[stop] == "." and text[stop + 1] != "." and before.isalpha() and before.islower() and len(word) > 1 and word not in ABBREVIATIONS
    if not starts and not following.isalpha():
        return False
    if text[stop] != ".":
        return True
    if word in ABBREVIATIONS:
        return False
    return not (len(word) == 1 and word.isalpha())  # an initial: "J. Smith"


_COMMENT = re.compile(r"%%[\s\S]*?%%|<!--[\s\S]*?-->")
_FENCED = re.compile(r"(^[ \t]*(?:```|~~~)[\s\S]*?^[ \t]*(?:```|~~~)[^\n]*$)", re.M)


def visible(text: str) -> str:
    """`text` without its Obsidian comments and HTML comments, outside code: text wrapped in `%%`
    "is only visible in Editing view" ("Comments", Basic formatting syntax, Obsidian Help), and an
    HTML comment (`<!-- ... -->`) is not shown in Reading view, so a reader never sees either and
    neither is an answer ("%% Hub footer: Please don't edit below this line %%", "<!-- - Discord:
    `@` ^discord-->"). An unclosed comment is left as it is. Lines keep their count."""
    if "%%" not in text and "<!--" not in text:
        return text
    parts = _FENCED.split(text)  # odd parts are fenced code blocks, kept as they are
    return "".join(part if i % 2 else _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), part) for i, part in enumerate(parts))
