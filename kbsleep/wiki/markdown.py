"""The Markdown parser: markdown-it-py with front matter, tables and our Obsidian rules.

Obsidian syntax is added as real parser rules, so code spans, code blocks and HTML comments
shield their content the way they do in Obsidian:

- `wikilink` (inline): `[[T]]`, `[[T|shown]]`, `[[T#H#H2]]`, `[[T#^block]]`, `![[embed|100]]`.
- `obsidian_comment` (block and inline): `%% ... %%`, which hides everything inside it.
- `link` and `image` are wrapped to record where each link starts in the inline source, since
  markdown-it-py tokens carry line ranges but no columns.

Parsing is most of the cost of a cold load, so rules are skipped wherever they cannot change
a token kbsleep reads (the fold in `parse.py`):

- Emphasis, entities and the pair post-processing they need are disabled altogether.
- `normalize` runs only if the text holds a CR or a NUL.
- `parse` leaves out the block rules whose markers a page does not contain below its front
  matter (thematic breaks and setext underlines are told by the last character of a line).
- `heading`, `hr`, `list` and `front_matter` are wrapped to turn away at once a line they
  cannot start on; every block rule is tried on most lines.
- Block tokens are built field by field (`_StateBlock.push`), not by Token's constructor.
- `text` stops only at the characters that start one of our enabled inline rules.
- Inline tokens that could only become plain text (no `[`, `<`, `` ` ``, `\\` or `%%`) are not
  inline-parsed: their `children` are `None`, and their text is their content.
- Inline tokens in which only the wikilink rule can match (no `<`, `` ` ``, `\\`, `%%` or `](`,
  on a page without link reference definitions) are scanned for wikilinks directly: their
  `children` are text and wikilink tokens only, the text being the source between wikilinks,
  line breaks included (most paragraphs and list items hold only wikilinks).
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from markdown_it import MarkdownIt
from markdown_it.parser_block import ParserBlock
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_core import normalize as _normalize_rule
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.image import image as _image_rule
from markdown_it.rules_inline.link import link as _link_rule
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

if TYPE_CHECKING:
    from markdown_it.utils import EnvType

_new_token = Token.__new__
# The fields `_StateBlock.push` sets, in Token's order: with a markdown-it whose Token differs,
# the parser keeps the stock block state.
_TOKEN_FIELDS = (
    "type", "tag", "nesting", "attrs", "map", "level", "children", "content", "markup", "info",
    "meta", "block", "hidden",
)  # fmt: skip
_PUSH_FIELDS_MATCH = dataclasses.is_dataclass(Token) and tuple(f.name for f in dataclasses.fields(Token)) == _TOKEN_FIELDS

WIKILINK = "wikilink"
COMMENT = "obsidian_comment"


# The characters at which an enabled inline rule other than `text` can match: newline, escape,
# backticks, `%%` comments, wikilinks/links/images (`[`, `![`), autolinks and inline HTML (`<`).
# `]` is here too because link labels are scanned token by token looking for it. Enabling
# another inline rule (emphasis, entity, ...) means adding its first characters here.
_TEXT_END = re.compile(r"[\n\\`%!<\[\]]")
# Without these, an inline token can only become text, softbreak and hardbreak tokens.
_INLINE_MARKUP = ("[", "\\", "`", "<", "%%")
# Without these (and link reference definitions), `wikilink` is the only rule but `text` and
# `newline` that can match: `link` and `image` need a `(` right after a label's `]`.
_OTHER_THAN_WIKILINKS = ("\\", "`", "<", "%%", "](")
# Block rules that cannot match a page holding none of their markers. Every block rule is
# tried at the start of every block (and most again on each line that might end a paragraph),
# and most pages use none of these. Indented code needs four columns of indentation.
_BLOCK_MARKERS: dict[str, tuple[str, ...]] = {
    "code": ("    ", "\t"),
    "fence": ("```", "~~~"),
    "blockquote": (">",),
    "reference": ("]:",),
    "html_block": ("<",),
    COMMENT: ("%%",),
    "table": ("|",),  # a table's header row holds a pipe
}
# Block rules told by the last character of some line, trailing spaces and tabs aside: a
# thematic break (`***`, `- - -`) and a setext underline (`===`, `---`) end their line, in a
# quote or a list item too.
_LINE_ENDS: dict[str, str] = {"hr": "-*_", "lheading": "-="}
# A front matter block the `front_matter` rule (tried first, on line 0) is sure to consume
# whole: `---` alone, then lines none of which could close it earlier (the rule also closes
# on an indented `---` run or a `...` line), then `---` alone. No other rule sees these lines,
# so their markers (the closing `---`, indented YAML) need not keep a rule.
_FRONT_MATTER = re.compile(r"---\n(?:(?![ \t]*---|\.\.\.).*\n)*?---(?:\n|\Z)")


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


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    src, start = state.src, state.pos
    embed = src.startswith("![[", start)
    if not embed and not src.startswith("[[", start):
        return False
    open_end = start + (3 if embed else 2)
    close = src.find("]]", open_end)
    if close < 0 or close > state.posMax:
        return False
    inner = src[open_end:close]
    # Obsidian does not link across lines, and `[[` inside a link means the first `[[` is text.
    if not inner.strip() or "\n" in inner or "[[" in inner:
        return False
    if not silent:
        _fill_wikilink(state.push(WIKILINK, "", 0), src, start, close, embed)
    state.pos = close + 2
    return True


def _fill_wikilink(token: Token, src: str, start: int, close: int, embed: bool) -> Token:
    """Give `token` the content and meta of the wikilink from `start` to the `]]` at `close`."""
    target, anchor, display = split_wikilink(src[start + (3 if embed else 2) : close])
    token.content = src[start : close + 2]
    token.meta = {"embed": embed, "target": target, "anchor": anchor, "display": display, "pos": start}
    return token


def _text_and_wikilinks(src: str) -> list[Token]:
    """The inline tokens of `src`, in which only the wikilink rule can match (see
    `_inline_where_needed`): as `_wikilink_rule` finds them scanning left to right, with the
    text between them as text tokens."""
    children: list[Token] = []
    done = 0  # the source before `done` is in `children`
    at = src.find("[[")
    while at >= 0:
        close = src.find("]]", at + 2)
        if close < 0:
            break  # no later `[[` is closed either
        inner = src[at + 2 : close]
        if not inner.strip() or "\n" in inner or "[[" in inner:
            at = src.find("[[", at + 1)  # this `[[` is text; a `[[` inside it may open a link
            continue
        embed = at > done and src[at - 1] == "!"  # (a failed `![[` fails as `[[` too)
        start = at - embed
        if start > done:
            children.append(_inline_token("text", src[done:start]))
        children.append(_fill_wikilink(_inline_token(WIKILINK, ""), src, start, close, embed))
        done = close + 2
        at = src.find("[[", done)
    if done < len(src):
        children.append(_inline_token("text", src[done:]))
    return children


def _inline_token(kind: str, content: str) -> Token:
    """The token `StateInline.push` makes at level 0, built field by field (see `_StateBlock.push`)."""
    token = _new_token(Token)
    token.type, token.tag, token.nesting, token.level = kind, "", 0, 0
    token.attrs, token.map, token.children = {}, None, None
    token.content, token.markup, token.info = content, "", ""
    token.meta, token.block, token.hidden = {}, False, False
    return token


def _inline_comment_rule(state: StateInline, silent: bool) -> bool:
    src, start = state.src, state.pos
    if not src.startswith("%%", start):
        return False
    close = src.find("%%", start + 2)
    end = state.posMax if close < 0 else close + 2  # unclosed: Obsidian hides the rest
    if not silent:
        token = state.push(COMMENT, "", 0)
        token.content = src[start + 2 : close if close >= 0 else end]
        token.meta = {"pos": start}
    state.pos = end
    return True


def _block_comment_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    begin = state.bMarks[start_line] + state.tShift[start_line]
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    if not state.src.startswith("%%", begin):
        return False
    first = state.src[begin + 2 : state.eMarks[start_line]]
    line = start_line
    if "%%" not in first:
        line += 1
        while line < end_line:
            text = state.src[state.bMarks[line] : state.eMarks[line]]
            if "%%" in text:
                break
            line += 1
        # An unclosed block comment runs to the end of the document, as in Obsidian.
    if silent:
        return True
    last = min(line, end_line - 1)
    token = state.push(COMMENT, "", 0)
    token.block = True
    token.map = [start_line, last + 1]
    token.content = state.getLines(start_line, last + 1, state.blkIndent, False)
    state.line = last + 1
    return True


def _text_rule(state: StateInline, silent: bool) -> bool:
    """markdown-it's `text` rule with our shorter list of characters that end a text run.

    The stock rule also stops at `*`, `_`, `&`, `#`, `:`, `-` and more, for rules we disable
    or never had; at each such stop every other rule is tried in turn, and fails."""
    end = _TEXT_END.search(state.src, state.pos, state.posMax)
    pos = end.start() if end else state.posMax
    if pos == state.pos:
        return False
    if not silent:
        state.pending += state.src[state.pos : pos]
    state.pos = pos
    return True


def _normalize(state: StateCore) -> None:
    """markdown-it's `normalize` (CR and CRLF to LF, NUL to U+FFFD), run only if there is
    something to replace: its two regex passes over the whole text cost 2% of a parse."""
    if "\r" in state.src or "\0" in state.src:
        _normalize_rule(state)


def _holds_any(text: str, markers: tuple[str, ...]) -> bool:
    """Whether `text` holds one of `markers` (a few substring tests cost less than one regex)."""
    for marker in markers:
        if marker in text:
            return True
    return False


def _inline_where_needed(state: StateCore) -> None:
    """The core `inline` rule, except that tokens which could only become plain text are left
    with `children = None` (most headings, list items and table cells hold no markup), and
    tokens whose only markup can be wikilinks are scanned for them alone."""
    for token in state.tokens:
        if token.type == "inline":
            token.children = _children(token.content, state.md, state.env)


def _children(content: str, md: MarkdownIt, env: EnvType) -> list[Token] | None:
    """An inline token's children: None for plain text, else from the wikilink scan or the
    inline parser."""
    if not _holds_any(content, _INLINE_MARKUP):
        return None
    if env.get("references") or _holds_any(content, _OTHER_THAN_WIKILINKS):
        children: list[Token] = []
        md.inline.parse(content, md, env, children)
        return children
    return _text_and_wikilinks(content)


def _positioned(rule):  # type: ignore[no-untyped-def]
    """Wrap a markdown-it inline rule so the first token it pushes records its start offset."""

    def wrapped(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        matched = rule(state, silent)
        if matched and not silent:
            # Pushing a token first flushes pending text, so the link is not always at `count`.
            for token in state.tokens[count:]:
                if token.type in ("link_open", "image"):
                    token.meta = {**(token.meta or {}), "pos": start}
                    break
        return matched

    return wrapped


def _first_character(rule, characters: str):  # type: ignore[no-untyped-def]
    """Wrap a markdown-it block rule that fails, with no side effect, on a line whose first
    character (after indentation) is none of `characters`: most lines are then turned away
    without the call's logging and checks. Every rule is tried on most lines."""

    def gated(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        pos = state.bMarks[start_line] + state.tShift[start_line]
        if pos < state.eMarks[start_line] and state.src[pos] not in characters:
            return False
        return rule(state, start_line, end_line, silent)

    return gated


def _first_line(rule):  # type: ignore[no-untyped-def]
    """Wrap the `front_matter` rule, which fails on any line but the first."""

    def gated(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        return start_line == 0 and rule(state, start_line, end_line, silent)

    return gated


class _StateBlock(StateBlock):
    """markdown-it's block state, building the tokens it pushes field by field."""

    def push(self, ttype: str, tag: str, nesting: Literal[-1, 0, 1]) -> Token:
        # The same token as `StateBlock.push` makes, for half the cost of Token's dataclass
        # constructor and its `__post_init__` (a tenth of a block parse: a page has ~100).
        # (`_PUSH_FIELDS_MATCH` checks that these are all of Token's fields.)
        token = _new_token(Token)
        token.type, token.tag, token.nesting = ttype, tag, nesting
        token.attrs, token.map, token.children = {}, None, None
        token.content = token.markup = token.info = ""
        token.meta, token.block, token.hidden = {}, True, False
        if nesting < 0:
            self.level -= 1  # closing tag
        token.level = self.level
        if nesting > 0:
            self.level += 1  # opening tag
        self.tokens.append(token)
        return token


class _ParserBlock(ParserBlock):
    """markdown-it's block parser, on a `_StateBlock`."""

    def parse(self, src: str, md: MarkdownIt, env: EnvType, outTokens: list[Token]) -> list[Token] | None:
        if not src:
            return None
        state = _StateBlock(src, md, env, outTokens)
        self.tokenize(state, state.line, state.lineMax)
        return state.tokens


def parse(text: str) -> list[Token]:
    """The tokens of one page that the fold reads: of a plain page, found line by line (see
    `_plain_page`); of any other, from a parser without the block rules it cannot use."""
    tokens = _plain_page(text)
    return tokens if tokens is not None else _parser(_unused_blocks(text)).parse(text)


# -- plain pages --------------------------------------------------------------------------------
#
# Most pages are front matter, ATX headings, paragraphs and flat lists, nothing else. For those,
# markdown-it's block parser (a state with four arrays of line marks, every rule tried on every
# block, a hundred tokens pushed) costs half a parse, to produce what a scan of the lines finds:
# each heading's and each paragraph's inline token. `_plain_page` makes those tokens (and the
# front matter's), the ones the fold reads, with the content, line range, level and children
# markdown-it gives them, and gives up (None) on any line that could start anything else or
# change how a neighbour parses: indentation, quotes, fences, HTML, tables, thematic breaks,
# setext underlines, nested or empty list items, comments, link reference definitions.

_HEADING, _BULLET, _ORDERED, _TEXT = range(4)
_ORDERED_MARKER = re.compile(r"([0-9]{1,9})[.)]([ \t]|$)")


def _plain_page(text: str) -> list[Token] | None:
    if "\r" in text or "\0" in text:
        return None  # (normalized first)
    tokens: list[Token] = []
    first = 0
    if text.startswith("---"):
        front = _FRONT_MATTER.match(text)
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
    start = level = value = 0  # its first line, its inline token's level, 1 if it is a list item's
    for number, line in enumerate(text.split("\n"), first):
        if not line.strip(" \t"):
            if lines:
                tokens.append(_paragraph(lines, start, number, level))
                lines = []
            continue
        kind, content, value = _plain_line(line)
        if kind is None:
            return None
        if kind == _TEXT or (kind == _ORDERED and lines and level == 1 and value != 1):
            if not lines:
                start, level = number, 1
            lines.append(line)  # a top-level paragraph goes on over a list item numbered other
            continue  # than 1 (CommonMark); a list item's paragraph takes lazy continuation lines
        if lines:
            tokens.append(_paragraph(lines, start, number, level))
            lines = []
        if kind == _HEADING:
            heading = _block_token("heading_open", 0, [number, number + 1])
            heading.tag, heading.markup, heading.nesting = f"h{value}", "#" * value, 1
            tokens += [heading, _with_children(_block_token("inline", 1, [number, number + 1], content))]
        else:
            start, level, lines = number, 3, [content]
    if lines:
        tokens.append(_paragraph(lines, start, first + text.count("\n") + 1, level))
    return tokens


def _plain_line(line: str) -> tuple[int | None, str, int]:
    """(kind, content, heading level or list number) of a non-blank line of a plain page; kind
    None: a line that is not plain."""
    lead = line[0]
    if lead in " \t>":
        return None, "", 0  # indented (code, list item content), quotes
    if line.rstrip(" \t")[-1] in "-*_=|:" and _rule_like(line):
        return None, "", 0
    if lead == "#":
        level = len(line) - len(line.lstrip("#"))
        if level <= 6 and (level == len(line) or line[level] in " \t"):
            return _HEADING, _heading_text(line[level:]), level
    elif lead in "-*+":
        if line[1:2] in (" ", "\t", ""):
            return _list_item(line[2:] if line[1:2] == " " else "", _BULLET, 0)
    elif lead in "0123456789":
        marker = _ORDERED_MARKER.match(line)
        if marker:
            return _list_item(line[marker.end() :] if marker.group(2) == " " else "", _ORDERED, int(marker.group(1)))
    elif lead == "<" or line.startswith(("```", "~~~")):
        return None, "", 0
    return _TEXT, line, 0


def _rule_like(line: str) -> bool:
    """A thematic break, setext underline or table delimiter row: spaces and tabs aside, one of
    `*_=` repeated, or nothing but `|`, `-` and `:` (and some harmless lines like these)."""
    marks = line.replace(" ", "").replace("\t", "")
    return not marks.strip("|-:") or not marks.strip(marks[0])


def _list_item(content: str, kind: int, value: int) -> tuple[int | None, str, int]:
    """A list item whose content is a plain paragraph's first line, after a one-space marker."""
    if not content.strip(" \t") or _plain_line(content)[0] != _TEXT:
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
    token = _inline_token(kind, content)
    token.level, token.map, token.block = level, lines, True
    return token


def _with_children(token: Token) -> Token:
    token.children = _children(token.content, parser(), {})  # (a plain page defines no references)
    return token


def _unused_blocks(text: str) -> frozenset[str]:
    """The block rules that cannot match anywhere in `text` outside its front matter."""
    front = _FRONT_MATTER.match(text) if "\r" not in text else None
    body = text[front.end() :] if front else text
    # A one-character search is much cheaper than a longer one, and the first characters are rare.
    unused = [rule for rule, markers in _BLOCK_MARKERS.items() if not any(m[0] in body and m in body for m in markers)]
    if "\r" not in text:  # (a CR ends a line too; such pages keep these rules)
        ends = {line.rstrip(" \t")[-1:] for line in body.split("\n")}
        unused += [rule for rule, chars in _LINE_ENDS.items() if ends.isdisjoint(chars)]
    if not text.startswith("---"):  # the rule matches only at the very start of a page
        unused.append("front_matter")
    return frozenset(unused)


def parser() -> MarkdownIt:
    """The parser with all our rules."""
    return _parser(frozenset())


@lru_cache(maxsize=None)  # at most one per subset of the rules above, built when first used
def _parser(unused_blocks: frozenset[str]) -> MarkdownIt:
    """A shared parser; markdown-it instances are reusable across documents."""
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    if _PUSH_FIELDS_MATCH:
        block = _ParserBlock()
        block.ruler = md.block.ruler  # (a new ParserBlock comes with a new ruler of its own)
        md.block = block
    # Nothing kbsleep records depends on emphasis or entities (headings, facts and links are
    # read from the source text), and skipping those rules saves a tenth of every parse.
    # Without emphasis nothing pushes delimiters or splits text, so the pair post-processing
    # (`balance_pairs`, `fragments_join`) has nothing to do.
    md.disable(["emphasis", "entity", "text_join", "balance_pairs", "fragments_join"])
    md.use(front_matter_plugin)
    md.inline.ruler.at("text", _text_rule)
    md.core.ruler.at("normalize", _normalize)
    md.core.ruler.at("inline", _inline_where_needed)
    md.inline.ruler.before("link", WIKILINK, _wikilink_rule)
    md.inline.ruler.before("emphasis", COMMENT, _inline_comment_rule)
    md.inline.ruler.at("link", _positioned(_link_rule))
    md.inline.ruler.at("image", _positioned(_image_rule))
    md.block.ruler.before(
        "paragraph", COMMENT, _block_comment_rule, {"alt": ["paragraph", "blockquote", "list"]}
    )
    _wrap_block_rule(md, "front_matter", _first_line)
    _wrap_block_rule(md, "heading", lambda rule: _first_character(rule, "#"))
    _wrap_block_rule(md, "hr", lambda rule: _first_character(rule, "*-_"))
    _wrap_block_rule(md, "list", lambda rule: _first_character(rule, "*-+0123456789"))
    md.block.ruler.disable(sorted(unused_blocks))
    return md


def _wrap_block_rule(md: MarkdownIt, name: str, wrap) -> None:  # type: ignore[no-untyped-def]
    """Replace an enabled block rule by `wrap(rule)`, in the same place in the same chains."""
    ruler = md.block.ruler
    rule = dict(zip(ruler.get_active_rules(), ruler.getRules("")))[name]
    # (`Ruler.at` would take the rule out of the chains it terminates, unless told them.)
    chains = [chain for chain in ruler.get_all_rules() if rule in ruler.getRules(chain)]
    ruler.at(name, wrap(rule), {"alt": chains})
