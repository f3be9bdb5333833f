"""The one wikilink grammar: where a `[[...]]` link is in text, what its parts are, and how a
writer writes one (`format_wikilink`).

The parser's inline rule (`markdown._wikilink_rule`) and its scan of plain inline text
(`plain.children`) find links with it, and so does every reader of text outside the parser
(field keys and values, prose, model answers, an agent's argument). What a link is (Obsidian's
help vault, "Internal links", "Embed files" and "Advanced formatting syntax"; where it says
nothing, our choice, marked so):

- `[[` opens a link, `![[` an embed; the first `]]` after it closes it. The help says a name
  holding `[[` or `]]` "may not work as a link"; we read such a run as text: a link ends at the
  first `]]`, and a `[[` before it makes the first `[[` text (`[[a [[b]]`: only `[[b]]`). Also
  text (our choice, as Obsidian draws no link there): a run across a newline, and one with
  nothing but blanks inside (`[[ ]]`). A single `[` or `]` inside is part of the name
  (our choice: `[[a]b]]` is a link to `a]b`, a missing link rather than text).
- The first `|` ends the target and starts the display text (`[[a|b|c]]` shows `b|c`); in a
  table the `|` is written `\\|` ("Vertical bars in tables"), and the `\\` is not part of the
  target.
- The first `#` starts the anchor: a heading path (`[[T#A#B]]`) or a block (`[[T#^id]]`); with
  no target before it (`[[#A]]`) the link is to a heading of its own page. Target and anchor are
  trimmed; the display text is kept as written.

This module reads text as written. Markdown around a link (a code span, a code block, a comment,
a backslash escape) is the parser's to judge: a `Page`'s `links` are the links a reader sees;
`wikilinks(text)` finds every link-shaped run of the text, as a reader of raw text (a field's
key, a model's answer) wants. A caller that must not see links in code masks the code first
(see `fields._masked`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache, partial
from typing import NamedTuple

# The grammar as one regular expression, for the few readers that need no record of each link
# (compiled where it is used: most runs never do): group 1 is the embed mark, group 2 the text
# between the brackets, a run up to the first `]]` holding no `[[`, no newline and something
# other than blanks. `spans` finds the same links (a test checks the two agree), the way the
# parser's inline rule does, with `closes`.
PATTERN = (
    r"(!?)\[\[("
    r"(?=[^\S\n]*(?:[^\s\]]|\](?!\])))"  # something but blanks before the `]]`; then runs of
    r"[^\[\]\n]*(?:(?:\[(?!\[)|\](?!\]))[^\[\]\n]*)*"  # anything but a newline or bracket, and
    r")\]\]"  # single brackets between them ("unrolled": no backtracking into a run)
)


class Wikilink(NamedTuple):
    """A link in a text, from the `[[` (the `!` of an embed) to the end of the `]]`."""

    start: int
    end: int
    embed: bool
    target: str  # trimmed; "" for a link to the same page (`[[#Heading]]`)
    anchor: str  # trimmed, without the first `#`: "A#B", "^block"; "" for none
    display: str | None  # as written after the first `|`; None without one
    raw: str  # the link as written: `![[T#A|shown]]`

    @property
    def reference(self) -> str:
        """The target and anchor as written (untrimmed), without the display text: `T#A`."""
        inner = self.raw[3 if self.embed else 2 : -2]
        bar = inner.find("|")
        return inner if bar < 0 else inner[:bar].removesuffix("\\")


def split_wikilink(inner: str) -> tuple[str, str, str | None]:
    """Split the text between `[[` and `]]` into (target, anchor, display).

    The first unescaped or table-escaped `|` ends the target; the first `#` starts the anchor.
    """
    display: str | None = None
    bar = inner.find("|")
    if bar >= 0:
        display = inner[bar + 1 :]
        inner = inner[:bar].removesuffix("\\")
    target, _, anchor = inner.partition("#")
    return target.strip(), anchor.strip(), display


def closes(src: str, open_end: int, close: int) -> bool:
    """Whether the first `]]` after a `[[` that ends at `open_end`, at `close`, closes a link."""
    # Each test stops at its first find: scanning all the text up to `]]` for each `[[` would
    # be quadratic on a line of `[[`s.
    return src.find("[[", open_end, close) < 0 and src.find("\n", open_end, close) < 0 and bool(src[open_end:close].strip())


def spans(src: str) -> Iterator[tuple[int, int, bool]]:
    """(start, close, embed) of each link in `src`, left to right: `close` is where its `]]` is."""
    done = 0  # the end of the last link found
    close = -1  # the first `]]` after the last `[[` looked at
    at = src.find("[[")
    while at >= 0:
        if close < at + 2:  # (else the `]]` found for an earlier `[[` is this one's too)
            close = src.find("]]", at + 2)
            if close < 0:
                return  # no later `[[` is closed either
        if not closes(src, at + 2, close):
            at = src.find("[[", at + 1)  # this `[[` is text; a `[[` inside it may open a link
            continue
        embed = at > done and src[at - 1] == "!"  # (a failed `![[` fails as `[[` too)
        yield at - embed, close, embed
        done = close + 2
        at = src.find("[[", done)


def _link(src: str, start: int, close: int, embed: bool) -> Wikilink:
    target, anchor, display = split_wikilink(src[start + (3 if embed else 2) : close])
    return Wikilink(start, close + 2, embed, target, anchor, display, src[start : close + 2])


def wikilinks(text: str) -> Iterator[Wikilink]:
    """The links in `text`, left to right."""
    if "[[" not in text:
        return
    for start, close, embed in spans(text):
        yield _link(text, start, close, embed)


def sole_wikilink(text: str) -> Wikilink | None:
    """The link `text` is, blanks around it aside (`[[Pump]]`, ` ![[a.png]] `); None when it is
    anything else. (Its offsets are in `text` stripped.)"""
    stripped = text.strip()
    if not (stripped.startswith(("[[", "![[")) and stripped.endswith("]]")):
        return None
    for start, close, embed in spans(stripped):
        return _link(stripped, start, close, embed) if start == 0 and close + 2 == len(stripped) else None
    return None


def replace_wikilinks(text: str, replace: Callable[[Wikilink], str]) -> str:
    """`text` with each link (from its `!` for an embed) replaced by what `replace` makes of it."""
    if "[[" not in text:
        return text
    parts: list[str] = []
    done = 0
    for start, close, embed in spans(text):
        parts += (text[done:start], replace(_link(text, start, close, embed)))
        done = close + 2
    if not parts:
        return text
    parts.append(text[done:])
    return "".join(parts)


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each single-backtick code span of one line of `text`: "`![[Document.pdf]]`"
    is code, whose link is text; a backtick inside a link ("[[Functions#`date()`]]") is the
    link's, and opens no span."""
    links = [(start, close + 2) for start, close, _ in spans(text)] if "[[" in text else []
    ticks = [i for i, ch in enumerate(text) if ch == "`" and not any(a <= i < b for a, b in links)]
    pairs = zip(ticks[::2], ticks[1::2])
    return [(a, b + 1) for a, b in pairs if "\n" not in text[a:b]]


def wikilink_at(text: str, at: int) -> Wikilink | None:
    """The link of `text` that starts at offset `at` (at its `!` for an embed), as written
    there; None when none does."""
    if "[[" not in text:
        return None
    for start, close, embed in spans(text):  # (from the start: an earlier `[[` decides what is text)
        if start >= at:
            return _link(text, start, close, embed) if start == at else None
    return None


def format_wikilink(target: str, anchor: str = "", display: str | None = None, *, embed: bool = False, in_table: bool = False) -> str | None:
    """The link Obsidian reads as `target`, `anchor` and `display`, the one way writers write
    one: `[[T#A|shown]]`, `![[T]]` for an embed.

    In a table cell each `|` is written `\\|` (help vault, "Advanced formatting syntax" >
    "Vertical bars in tables"): a bare `|` there ends the cell, and the link with it. The table
    reads `\\|` as `|` (it drops the one backslash before each bar), so the cell holds the link
    as written outside a table. None when no link reads back as these parts (a target holding
    `|`, `#`, `]]` or a newline, an empty one without an anchor, a display text ending in `]`,
    ...): a writer then writes nothing, rather than a link to something else.
    """
    text = f"{'!' if embed else ''}[[{target}{'#' if anchor else ''}{anchor}{'' if display is None else '|'}{display or ''}]]"
    read = sole_wikilink(text)
    if read is None or (read.embed, read.target, read.anchor, read.display) != (embed, target, anchor, display):
        return None
    return text.replace("|", "\\|") if in_table else text


_LINK_BREAKING = re.compile(r"[\[\]|#^]+")


def heading_anchor(heading: str) -> str:
    """A heading as a link's anchor writes it: its `[[`, `]]`, `|`, `#` or `^` (a heading that
    holds a link: "An Introduction to [[dataview|Dataview]]") would end or split the link, so
    each run of them is a space. Obsidian matches headings with its punctuation as spaces
    (`stripHeading`, docs/obsidian.md), so the link still opens the heading."""
    return " ".join(_LINK_BREAKING.sub(" ", heading).split()) if _LINK_BREAKING.search(heading) else heading


def section_target(target: str) -> str:
    """`Page#Heading` as a link writes it (`heading_anchor`)."""
    page, mark, heading = target.partition("#")
    return f"{page}#{heading_anchor(heading)}" if mark else target


def without_embeds(text: str) -> str:
    """`text` without its embeds (`![[...]]`): images and icons show no words of the text. An
    embed written in a code span is text ("`![[Link]]`: Embed files") and stays."""
    if "![[" not in text:
        return text
    code = code_spans(text)
    return replace_wikilinks(text, lambda link: "" if link.embed and not any(a < link.start < b for a, b in code) else link.raw)


def shown_text(text: str, around: str = "") -> str:
    """`text` with each link replaced by the words it shows (`shown`), with `around` before and
    after them, and each embed by `around` alone (an embed shows the embedded file, not words
    of this text)."""
    return _pattern().sub(partial(shown_match, around), text) if "[[" in text else text


@lru_cache(maxsize=None)
def _pattern() -> re.Pattern[str]:
    return re.compile(PATTERN)


def shown_match(around: str, match: re.Match[str]) -> str:
    """What `shown_text` puts for one match of `PATTERN` (or of a pattern with `PATTERN` as an
    alternative, after others that have no groups: its groups 1 and 2 are the link's)."""
    if match.group(1):
        return around  # an embed
    inner = match.group(2)
    bar = inner.find("|")
    return f"{around}{inner[bar + 1 :] if bar >= 0 else inner}{around}"


def shown(link: Wikilink) -> str:
    """The words a link shows in reading view: its display text, else its target and anchor as
    written (`T#A`, whose words are Obsidian's `T > A`)."""
    return link.display if link.display is not None else link.reference
