"""Plain pages, read line by line, and the wikilinks of inline text, scanned.

Most pages are front matter, ATX headings, paragraphs, flat lists, quotes, tables and fenced
code, and most of their inline text holds no markup but wikilinks. For those, markdown-it (see `markdown.py`) costs most of a
parse, and importing it a tenth of a pre-commit run, to find what a scan of the lines finds.
The tokens made here hold what markdown-it's would for the fold (`parse._Folder`); tests check
them against markdown-it's on generated pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from kbsleep.wiki.wikilink import spans, split_wikilink


class Token:
    """The fields of a markdown-it `Token` the fold reads. markdown-it's defaults are the class's
    (the empty mappings read-only), so a token sets only its own values: tokens are most of
    what reading a plain page makes."""

    tag, nesting, markup, info, hidden = "", 0, "", "", False
    attrs: Mapping[str, Any] = MappingProxyType({})
    meta: Mapping[str, Any] = MappingProxyType({})
    children: list[Token] | None = None
    map: list[int] | None = None

    def __init__(self, type: str, content: str = "", level: int = 0, block: bool = False) -> None:  # noqa: A002 - markdown-it's name
        self.type, self.content, self.level, self.block = type, content, level, block


WIKILINK = "wikilink"
COMMENT = "obsidian_comment"
# Without these, an inline token can only become text, softbreak and hardbreak tokens (`$`:
# math, whose text is neither text nor tags).
INLINE_MARKUP = ("[", "\\", "`", "<", "%%", "$")
# Without these (and link reference definitions), `wikilink` is the only rule but `text` and
# `newline` that can match: `link` and `image` need a `(` right after a label's `]`.
OTHER_THAN_WIKILINKS = ("\\", "`", "<", "%%", "](", "$")  # (`$`: math, which holds no links)
# A front matter block the `front_matter` rule (tried first, on line 0) is sure to consume
# whole: `---` alone, then lines none of which could close it earlier (the rule also closes
# on an indented `---` run or a `...` line), then `---` alone. No other rule sees these lines,
# so their markers (the closing `---`, indented YAML) need not keep a rule.
FRONT_MATTER = re.compile(r"---\n(?:(?![ \t]*---|\.\.\.).*\n)*?---(?:\n|\Z)")


def fill_wikilink(token: Any, src: str, start: int, close: int, embed: bool) -> Any:
    """Give `token` (ours or markdown-it's) the content and meta of the wikilink from `start`
    to the `]]` at `close`."""
    target, anchor, display = split_wikilink(src[start + (3 if embed else 2) : close])
    token.content = src[start : close + 2]
    token.meta = {"embed": embed, "target": target, "anchor": anchor, "display": display, "pos": start}
    return token


def _text_and_wikilinks(src: str) -> list[Token]:
    """The inline tokens of `src`, in which only the wikilink rule can match (see `children`):
    as `markdown._wikilink_rule` finds them scanning left to right, with the text between them
    as text tokens."""
    found: list[Token] = []
    done = 0  # the source before `done` is in `found`
    for start, close, embed in spans(src):
        if start > done:
            found.append(Token("text", src[done:start]))
        found.append(fill_wikilink(Token(WIKILINK), src, start, close, embed))
        done = close + 2
    if done < len(src):
        found.append(Token("text", src[done:]))
    return found


def children(content: str, parse: Callable[[str], list[Any]], references: bool = False) -> list[Any] | None:
    """An inline token's children: None for plain text, the wikilink scan's where only the
    wikilink rule can match, else what `parse` (markdown-it's inline parser) makes."""
    if not _holds_any(content, INLINE_MARKUP):
        return None
    if references or _holds_any(content, OTHER_THAN_WIKILINKS):
        return parse(content)
    return _text_and_wikilinks(content)


def _holds_any(text: str, markers: tuple[str, ...]) -> bool:
    """Whether `text` holds one of `markers` (a few substring tests cost less than one regex)."""
    for marker in markers:
        if marker in text:
            return True
    return False


# -- plain pages --------------------------------------------------------------------------------
#
# Most pages are front matter, ATX headings, paragraphs, flat lists, quotes (callouts) of
# paragraphs, tables and fenced code, nothing else. For those, markdown-it's block parser (a
# state with four arrays of line marks, every rule tried on every block, a hundred tokens pushed)
# costs half a parse, to produce what a scan of the lines finds: each heading's, paragraph's and
# table cell's inline token. `plain_page` makes those tokens (and the front matter's), the ones
# the fold reads, with the content, line range, level and children markdown-it gives them, and
# gives up (None) on any line that could start anything else or change how a neighbour parses:
# indentation, HTML, thematic breaks, setext underlines, nested or empty list items, anything but
# paragraphs in a quote, comments, link reference definitions.

_HEADING, _BULLET, _ORDERED, _QUOTE, _FENCE, _TEXT = range(6)
# The level of an inline token: a paragraph's at the top, in a quote, in a list item; a cell's.
_TOP, _QUOTED, _ITEM, _CELL = 1, 2, 3, 4
CELL_LEVEL = _CELL  # a plain page's table cells are its only inline tokens at this level
_DELIMITER_CELL = re.compile(r":?-+:?")
_MOST_EMPTY_CELLS = 0x10000  # markdown-it's limit on the cells it adds to short table rows
_ORDERED_MARKER = re.compile(r"([0-9]{1,9})[.)]([ \t]|$)")


# Characters markdown-it would change first (CR, NUL), and those whose trimming from the ends of a
# paragraph or heading depends on markdown-it's version (`str.strip` in 3.x, CommonMark's set in 4.x).
_NOT_PLAIN_CHARACTERS = re.compile("[\r\0\x1c-\x1f\x85]")


def plain_page(text: str) -> list[Token] | None:
    if _NOT_PLAIN_CHARACTERS.search(text):
        return None
    tokens: list[Token] = []
    first = 0
    if text.startswith("---"):
        front = FRONT_MATTER.match(text)
        if front is None:
            return None
        first = text.count("\n", 0, front.end()) + (not front.group().endswith("\n"))
        closing = front.group().rstrip("\n")[:-3]  # up to the closing `---`
        token = _block_token("front_matter", 0, [0, first], closing[4:-1] if len(closing) > 4 else "")
        token.markup, token.hidden = "---", True
        tokens.append(token)
        text = text[front.end() :]
    if "%%" in text or "]:" in text:
        return None
    lines: list[str] = []  # the open paragraph's
    start = level = value = 0  # its first line, its inline token's level (`_TOP`, ...)
    fence = ""  # the open code fence's marker, while in one: no token comes from its lines
    columns = added = 0  # the open table's columns, and the cells markdown-it adds to its rows
    skipped = -1  # the line of the open table's delimiter row
    rows = text.split("\n")
    for number, line in enumerate(rows, first):
        if fence:
            if _closes(line, fence):
                fence = ""
            continue
        if number == skipped:
            continue  # a table's delimiter row
        if columns and not line.strip():
            columns = 0  # a blank line ends a table; so does one of other spaces (a row is trimmed)
        if columns:
            kind = _plain_line(line)[0]
            if kind is None:
                return None
            if kind == _TEXT:  # a row, wherever its pipes are
                cells = _cells(line.strip())
                added += columns - len(cells)
                if added > _MOST_EMPTY_CELLS:
                    return None
                tokens += [_cell(cells[i] if i < len(cells) else "", number) for i in range(columns)]
                continue
            columns = 0  # a heading, list item, quote or fence ends the table
        below = rows[number - first + 1] if number - first + 1 < len(rows) else ""
        if "|" in line and line[0] not in " \t" and below[:1] in ("|", "-", ":"):  # a table's header?
            aligned = _delimiter_row(below)
            if aligned is not None and (lines and level != _TOP):
                return None  # a lazy continuation line in a quote or list item: no table
            header = _cells(line.strip()) if aligned is not None else []
            if aligned is not None and len(header) == aligned:  # a table, which ends a paragraph
                if lines:
                    tokens.append(_paragraph(lines, start, number, level))
                    lines = []
                tokens += [_cell(cell, number) for cell in header]
                columns, added, skipped = aligned, 0, number + 1
                continue
        if not line.strip(" \t"):
            if lines:
                tokens.append(_paragraph(lines, start, number, level))
                lines = []
            continue
        kind, content, value = _plain_line(line)
        if kind is None:
            return None
        if kind == _TEXT or (kind == _ORDERED and lines and level == _TOP and value != 1):
            if not lines:
                start, level = number, _TOP
            lines.append(line)  # a top-level paragraph goes on over a list item numbered other
            continue  # than 1 (CommonMark); a quote's or list item's takes lazy continuation lines
        if kind == _QUOTE and lines and level == _QUOTED:
            if content:
                lines.append(content)
                continue
        if lines:
            tokens.append(_paragraph(lines, start, number, level))
            lines = []
        if kind == _QUOTE:
            if content:  # (a blank line in a quote ends its paragraph, and lazy continuation)
                start, level, lines = number, _QUOTED, [content]
            continue
        if kind == _FENCE:
            fence = content
            continue
        if kind == _HEADING:
            heading = _block_token("heading_open", 0, [number, number + 1])
            heading.tag, heading.markup, heading.nesting = f"h{value}", "#" * value, 1
            tokens += [heading, _with_children(_block_token("inline", 1, [number, number + 1], content))]
        else:
            start, level, lines = number, _ITEM, [content]
    if lines:
        tokens.append(_paragraph(lines, start, first + text.count("\n") + 1, level))
    return tokens


def _delimiter_row(line: str) -> int | None:
    """The number of columns of a table's delimiter row (`|---|:-:|`); None: not one."""
    if len(line) < 2 or line[0] not in "|-:" or line[1] not in "|-: \t" or (line[0] == "-" and line[1] in " \t") or line.strip("|-: \t"):
        return None
    parts = line.split("|")
    count = 0
    for index, part in enumerate(parts):
        part = part.strip(" \t")
        if not part and index in (0, len(parts) - 1):
            continue  # (no pipe before the first column or after the last)
        if not _DELIMITER_CELL.fullmatch(part):
            return None
        count += 1
    return count or None


def _cells(row: str) -> list[str]:
    """A table row's cells, as markdown-it splits it: at each pipe not escaped by a backslash
    (which goes), without the empty ones before a leading pipe and after a trailing one."""
    cells, current, at, escaped = [], "", 0, False
    for index, char in enumerate(row):
        if char == "|":
            if escaped:
                current += row[at : index - 1]
                at = index
            else:
                cells.append(current + row[at:index])
                current, at = "", index + 1
        escaped = char == "\\"
    cells.append(current + row[at:])
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return cells


def _cell(text: str, number: int) -> Token:
    return _with_children(_block_token("inline", _CELL, [number, number + 1], text.strip()))


def _plain_line(line: str, inner: bool = False) -> tuple[int | None, str, int]:
    """(kind, content, heading level or list number) of a non-blank line of a plain page; kind
    None: a line that is not plain. `inner`: the line is a quote's or list item's content, which
    must be `_TEXT` (so a quote or list item there is not looked into)."""
    lead = line[0]
    if lead in " \t":
        return None, "", 0  # indented: code, or the content of a list item
    if lead == ">":
        content = line[2:] if line[1:2] == " " else line[1:]
        if inner or not content.strip(" \t"):
            return _QUOTE, "", 0  # a blank line in a quote
        if _plain_line(content, inner=True)[0] != _TEXT:
            return None, "", 0  # indented, or another block (a heading, a list, a quote)
        return _QUOTE, content, 0
    if line.rstrip(" \t")[-1] in "-*_=|:" and _rule_like(line):
        return None, "", 0
    if lead == "#":
        level = len(line) - len(line.lstrip("#"))
        if level <= 6 and (level == len(line) or line[level] in " \t"):
            return _HEADING, _heading_text(line[level:]), level
    elif lead in "-*+":
        if line[1:2] in (" ", "\t", ""):
            return (_BULLET, "", 0) if inner else _list_item(line[2:] if line[1:2] == " " else "", _BULLET, 0)
    elif lead in "0123456789":
        marker = _ORDERED_MARKER.match(line)
        if marker:
            if inner:
                return _ORDERED, "", 0
            return _list_item(line[marker.end() :] if marker.group(2) == " " else "", _ORDERED, int(marker.group(1)))
    elif lead in "`~":
        marker = line[: len(line) - len(line.lstrip(lead))]
        if len(marker) >= 3:  # a code fence, unless a backtick follows a backtick fence's
            return (_FENCE, marker, 0) if lead == "~" or "`" not in line[len(marker) :] else (None, "", 0)
    elif lead == "<" or (lead == "$" and line[1:2] == "$"):
        return None, "", 0  # HTML, or a math block
    return _TEXT, line, 0


def _closes(line: str, fence: str) -> bool:
    """Does `line` close a code fence opened with `fence`: indented less than four spaces, at
    least as long, of the same character, with nothing but spaces and tabs after?"""
    bare = line.lstrip(" ")
    return len(line) - len(bare) < 4 and bare.startswith(fence) and not bare.lstrip(fence[0]).strip(" \t")


def _rule_like(line: str) -> bool:
    """A thematic break, setext underline or table delimiter row: spaces and tabs aside, one of
    `*_=` repeated, or nothing but `|`, `-` and `:` (and some harmless lines like these)."""
    marks = line.replace(" ", "").replace("\t", "")
    return not marks.strip("|-:") or not marks.strip(marks[0])


def _list_item(content: str, kind: int, value: int) -> tuple[int | None, str, int]:
    """A list item whose content is a plain paragraph's first line, after a one-space marker."""
    if not content.strip(" \t") or _plain_line(content, inner=True)[0] != _TEXT:
        return None, "", 0  # empty, padded, or holding another block (a heading, a nested list)
    return kind, content, value


def _heading_text(rest: str) -> str:
    """An ATX heading's text, as markdown-it's `heading` rule cuts it: a closing run of `#`s
    goes when a space or tab comes before it."""
    end = len(rest.rstrip(" \t"))
    hashes = end - len(rest[:end].rstrip("#"))
    if hashes and rest[end - hashes - 1] in " \t":  # (`rest` is empty or starts with one)
        end -= hashes
    return rest[:end].strip()


def _paragraph(lines: list[str], start: int, end: int, level: int) -> Token:
    return _with_children(_block_token("inline", level, [start, end], "\n".join(lines).strip()))


def _block_token(kind: str, level: int, lines: list[int], content: str = "") -> Token:
    token = Token(kind, content, level, True)
    token.map = lines
    return token


def _with_children(token: Token) -> Token:
    token.children = children(token.content, _markdown_inline)  # (a plain page defines no references)
    return token


def _markdown_inline(content: str) -> list[Any]:
    from kbsleep.wiki.markdown import inline_parse  # markdown-it, only for a paragraph that needs it

    return inline_parse(content)
