"""The Markdown parser: markdown-it-py with front matter, tables and our Obsidian rules.

Obsidian syntax is added as real parser rules, so code spans, code blocks and HTML comments
shield their content the way they do in Obsidian:

- `wikilink` (inline): `[[T]]`, `[[T|shown]]`, `[[T#H#H2]]`, `[[T#^block]]`, `![[embed|100]]`.
- `obsidian_comment` (block and inline): `%% ... %%`, which hides everything inside it.
- `math_block` and `math_inline` (`texmath.py`): `$$ ... $$` and `$...$`, which hold LaTeX.
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
- Block and inline tokens are built field by field (`mdstate`),
  not by Token's constructor.
- `text` stops only at the characters that start one of our enabled inline rules.
- Inline tokens that could only become plain text (no `[`, `<`, `` ` ``, `\\`, `%%` or `$`) are not
  inline-parsed: their `children` are `None`, and their text is their content.
- Inline tokens in which only the wikilink rule can match (no `<`, `` ` ``, `\\`, `%%`, `](` or `$`,
  on a page without link reference definitions) are scanned for wikilinks directly: their
  `children` are text and wikilink tokens only, the text being the source between wikilinks,
  line breaks included (most paragraphs and list items hold only wikilinks).
"""

from __future__ import annotations

import re
from functools import lru_cache, partial
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_core import normalize as _normalize_rule
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.html_inline import html_inline as _html_inline_rule
from markdown_it.rules_inline.image import image as _image_rule
from markdown_it.rules_inline.link import link as _link_rule
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from kbsleep.wiki.plain import (
    COMMENT,
    FRONT_MATTER,
    WIKILINK,
    fill_wikilink,
    children,
)
from kbsleep.wiki.mdstate import FIELDS_MATCH, BlockParser, InlineParser
from kbsleep.wiki.texmath import MATH_BLOCK, MATH_INLINE, math_block_rule, math_inline_rule
from kbsleep.wiki.wikilink import closes

if TYPE_CHECKING:
    from markdown_it.utils import EnvType

# The characters at which an enabled inline rule other than `text` can match: newline, escape,
# backticks, `%%` comments, wikilinks/links/images (`[`, `![`), autolinks and inline HTML (`<`),
# math (`$`).
# `]` is here too because link labels are scanned token by token looking for it. Enabling
# another inline rule (emphasis, entity, ...) means adding its first characters here.
_TEXT_END = re.compile(r"[\n\\`%!<\[\]$]")
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
    MATH_BLOCK: ("$$",),
}
# Block rules told by the last character of some line, trailing spaces and tabs aside: a
# thematic break (`***`, `- - -`) and a setext underline (`===`, `---`) end their line, in a
# quote or a list item too.
_LINE_ENDS: dict[str, str] = {"hr": "-*_", "lheading": "-="}


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    src, start = state.src, state.pos
    embed = src.startswith("![[", start)
    if not embed and not src.startswith("[[", start):
        return False
    open_end = start + (3 if embed else 2)
    close = _next_close(state, open_end)
    if close < 0 or close > state.posMax:
        return False
    if not closes(src, open_end, close):  # (the one grammar: `wikilink.py`)
        return False
    if not silent:
        fill_wikilink(state.push(WIKILINK, "", 0), src, start, close, embed)
    state.pos = close + 2
    return True


def _next_close(state: StateInline, start: int) -> int:
    """The first `]]` at or after `start` in the inline source (-1: none). It is the same for
    every `[[` before it, so it is remembered on the state: a line of `[[`s would otherwise
    search to the same far `]]` from each."""
    searched, close = getattr(state, "kbsleep_close", (len(state.src) + 1, -1))  # (`close`: the first at or after `searched`)
    if not searched <= start <= (close if close >= 0 else len(state.src)):
        searched, close = start, state.src.find("]]", start)
        state.kbsleep_close = (searched, close)
    return close


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
        _append_pending(state, state.src[state.pos : pos])
    state.pos = pos
    return True


def _add_pending(state: StateInline, text: str) -> None:
    state.pending += text


# Adding to the pending text: markdown-it-py 4's `append_pending` buffers it (there, `pending +=`
# joins the buffer and makes a new one each time); 3 has only `+=`.
_append_pending = getattr(StateInline, "append_pending", _add_pending)


def _normalize(state: StateCore) -> None:
    """markdown-it's `normalize` (CR and CRLF to LF, NUL to U+FFFD), run only if there is
    something to replace: its two regex passes over the whole text cost 2% of a parse."""
    if "\r" in state.src or "\0" in state.src:
        _normalize_rule(state)


def _inline_where_needed(state: StateCore) -> None:
    """The core `inline` rule, except that tokens which could only become plain text are left
    with `children = None` (most headings, list items and table cells hold no markup), and
    tokens whose only markup can be wikilinks are scanned for them alone (`plain.children`)."""
    references, parse = bool(state.env.get("references")), partial(inline_parse, md=state.md, env=state.env)
    for token in state.tokens:
        if token.type == "inline":
            token.children = children(token.content, parse, references)


def _positioned(rule, kinds: tuple[str, ...] = ("link_open", "image")):  # type: ignore[no-untyped-def]
    """Wrap a markdown-it inline rule so the first token of `kinds` it pushes records where its
    source starts and ends in the inline source (`pos`, `end`)."""

    def wrapped(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        matched = rule(state, silent)
        if matched and not silent:
            # Pushing a token first flushes pending text, so the link is not always at `count`.
            for token in state.tokens[count:]:
                if token.type in kinds:
                    token.meta = {**(token.meta or {}), "pos": start, "end": state.pos}
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


# A footnote definition's opening, `[^label]:` with a label of no spaces (the rule of
# markdown-it-footnote's `footnote_def`, which Obsidian's syntax matches: help, *Basic formatting
# syntax*, Footnotes). Obsidian reads such a line as a footnote, never a link reference definition.
_FOOTNOTE_DEFINITION = re.compile(r"\[\^[^\] \n]+\]:")


def _not_a_footnote(rule):  # type: ignore[no-untyped-def]
    """Wrap the `reference` rule so a footnote definition (`[^1]: 周树人`) is not read as a link
    reference definition whose destination is the footnote's text, and `[^1]` as a link to it."""

    def gated(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        pos = state.bMarks[start_line] + state.tShift[start_line]
        if _FOOTNOTE_DEFINITION.match(state.src, pos, state.eMarks[start_line]):
            return False
        return rule(state, start_line, end_line, silent)

    return gated


def _first_line(rule):  # type: ignore[no-untyped-def]
    """Wrap the `front_matter` rule, which fails on any line but the first."""

    def gated(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        return start_line == 0 and rule(state, start_line, end_line, silent)

    return gated


def parse(text: str) -> list[Token]:
    """The tokens of one page, from a parser without the block rules it cannot use."""
    return _parser(_unused_blocks(text)).parse(text)


def inline_parse(content: str, md: MarkdownIt | None = None, env: EnvType | None = None) -> list[Token]:
    """The inline tokens of `content` (by default on a page without link reference definitions)."""
    md = md or parser()
    tokens: list[Token] = []
    md.inline.parse(content, md, {} if env is None else env, tokens)
    return tokens


def _unused_blocks(text: str) -> frozenset[str]:
    """The block rules that cannot match anywhere in `text` outside its front matter."""
    front = FRONT_MATTER.match(text) if "\r" not in text else None
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
    # maxNesting: the "commonmark" preset stops at 20 token levels, which a list nested ten deep
    # (each level a list, an item and a paragraph) reaches; Obsidian renders any depth. 100 is
    # markdown-it's own default preset's, still far inside Python's recursion limit.
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": 100}).enable("table")
    if FIELDS_MATCH:
        block = BlockParser()
        block.ruler = md.block.ruler  # (a new ParserBlock comes with a new ruler of its own)
        md.block = block
        inline = InlineParser()
        inline.ruler, inline.ruler2 = md.inline.ruler, md.inline.ruler2
        md.inline = inline
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
    md.inline.ruler.before("backticks", MATH_INLINE, math_inline_rule)
    md.inline.ruler.at("link", _positioned(_link_rule))
    md.inline.ruler.at("image", _positioned(_image_rule))
    md.inline.ruler.at("html_inline", _positioned(_html_inline_rule, ("html_inline",)))
    md.block.ruler.before(
        "paragraph", COMMENT, _block_comment_rule, {"alt": ["paragraph", "blockquote", "list"]}
    )
    md.block.ruler.before("fence", MATH_BLOCK, math_block_rule, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    _wrap_block_rule(md, "front_matter", _first_line)
    _wrap_block_rule(md, "reference", _not_a_footnote)
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
