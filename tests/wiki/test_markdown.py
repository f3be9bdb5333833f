"""The parser's shortcuts (see kbsleep/wiki/markdown.py) change no token the fold reads."""

from __future__ import annotations

import dataclasses
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.parser_block import ParserBlock
from markdown_it.rules_core import inline, normalize
from markdown_it.rules_inline import text
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from kbsleep.wiki.markdown import _parser, parse, parser
from kbsleep.wiki.markers import TAG
from kbsleep.wiki.plain import plain_page

CASES = [
    "---\ntitle: T\n---\n\n# Head [[A]]\n\nplain #tag text\nsecond #line  \nthird\n",
    "a `#code [[no]]` #yes \\#no [[B|b]] ![[c.png|9]] [m](M.md) ![i](i.png) <https://x.y>",
    "%% hidden [[C]] %% after 50% of\n\nsee %% only %% #t\n\n%%\nblock [[D]]\n%%\n\n<!-- c -->\n<div>[[E]]</div>",
    "> quote [[F]]\n>\n>     code [[G]]\n\n    indented [[H]]\n\n```\nfenced [[I]]\n```\n~~~\n[[J]]\n~~~",
    "[ref]: R.md\n\n[ref] and [x [[K]] y](L.md) and [[a [[b]] and [[ ]]\n",
    "| a | [[T\\|x]] |\n|---|:-:|\n| *e* &amp; #t | ~~s~~ |\n\nx |\n--\n\n- item #u\n\n  1. n\r\n\r\n\tz\0",
    "only [[A]] and ![[b.png]]x![[c]]#t [[ ]] [[x\ny]] [[[z]]] [y] ! [[open\n#end  \n[[B#h|s]]",
    "[r]: R.md\n\n[r] is a reference link, [[A]] a wikilink\n",
    "x [[a [[b]] y [a](A.md) [[c]]\n\nx [[a [[b]] y\n",
    "```\n    ```\nin [[A]]\n",  # code fences: which lines close one
    "````\n```\nin [[A]]\n````\nafter [[B]]\n\n```\n``` x\nin\n```\nafter [[C]]\n",
    "~~~\n```\n~~~\nafter [[D]]\n\n```\n   ```\nafter [[E]]\n\n```py\n```\t \nafter [[F]]\n",
    # tables: cells, short and long rows, what ends one, what a table ends
    "text [[P]]\n| a | [[T\\|x]] |\n|---|:-:|\n| 1 | [[U]] |\nshort\n| 1 | 2 | 3 |\n\u00a0\nafter\n",
    "| a | b |\n| - | - |\n| c | d |\n- item\n\n# h | i\n|-|-|\n# heading [[V]]\n\n> q\n| a |\n|-|\n",
    "a | b\n:-|-:\n| 1 | x\\|y |\n2. two\n",
    "a | b\n|-||-|\n",
    "a | b\n- | -\n",
    "    a | b\n|-|-|\n",
    # math: no links inside, and a `$$` block ends a paragraph and holds `=` lines
    "see $[[1], [2]]$ and [[A]], $5 and [[B]] $10\n$$\n[[C]]\n=\n$$\n\n$$ [[D]] $$\n---\n- $$\n  [[E]]\n  $$\n",
]


def _stock() -> MarkdownIt:
    """The same parser with markdown-it's own normalize, inline and text rules and pairing."""
    md = _parser.__wrapped__(frozenset())
    md.core.ruler.at("normalize", normalize)
    md.core.ruler.at("inline", inline)
    md.inline.ruler.at("text", text)
    md.enable(["balance_pairs", "fragments_join"])
    return md


def _fields(token: Token) -> tuple:
    return (token.type, token.tag, token.nesting, token.attrs, token.map, token.level, token.content, token.meta)


FOLDED = ("inline", "heading_open", "front_matter", "html_block", "obsidian_comment", "math_block")  # what the fold reads


def _read(children: list[Token] | None, content: str) -> tuple[list[tuple], list[str]]:
    """What the fold reads of an inline token's children: every token but text and line
    breaks, and the tags in the text."""
    if children is None:  # left unparsed: its text is its content
        return [], TAG.findall(content)
    tokens = [_fields(c) for c in children if c.type not in ("text", "softbreak", "hardbreak", "math_inline")]
    return tokens, [tag for c in children if c.type == "text" for tag in TAG.findall(c.content)]


def _reading(tokens: list[Token]) -> tuple:
    """What the fold reads of a page's tokens (see `parse._Folder._walk`)."""
    folded = [(_fields(t), _read(t.children, t.content) if t.type == "inline" else None) for t in tokens if t.type in FOLDED]
    return folded, max((t.level for t in tokens), default=0)


def _tokens(source: str) -> list:
    """The tokens the fold walks: a plain page's, or markdown-it's (see `parse._Folder.page`)."""
    plain = plain_page(source)
    return plain if plain is not None else parse(source)


def _assert_same_reading(source: str) -> None:
    expected, actual = _stock().parse(source), _tokens(source)
    assert _reading(actual) == _reading(expected)
    if plain_page(source) is None:  # markdown-it parsed it: the same tokens, but for children
        assert [_fields(t) for t in actual] == [_fields(t) for t in expected]
        for got, want in zip(actual, expected):
            if got.children is None:  # left unparsed: the stock parse found plain text only
                assert {child.type for child in want.children or ()} <= {"text", "softbreak", "hardbreak"}


@pytest.mark.parametrize("source", CASES)
def test_same_tokens_as_the_stock_rules(source: str) -> None:
    _assert_same_reading(source)


# Pieces of pages to be shuffled: the wikilinks' own, which the shortcut scans alone, and every
# other kind of inline markup, after which the inline parser runs.
WIKILINK_PIECES = [
    "[[A]]", "[[A|b]]", "[[A#h]]", "[[ ]]", "[[", "]]", "![[", "[", "]", "(", ")", "!", "|", "#", "#tag",
    "^id", "%", "a", "word", " ", "  ",
    "\n", "  \n", "\n\n", "- ", "# ", "> ", "A.md",
]  # fmt: skip
OTHER_PIECES = ["](", "[a](A.md)", "![i](i.png)", "%%", "`", "\\", "<", "<b>", "[r]: R.md\n", "[r]", "$", "$$", "$x$", "\n$$\n"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(WIKILINK_PIECES), max_size=40).map("".join))
def test_same_reading_as_the_stock_rules_with_wikilink_markup(source: str) -> None:
    _assert_same_reading(source)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(WIKILINK_PIECES * 3 + OTHER_PIECES), max_size=40).map("".join))
def test_same_reading_as_the_stock_rules_with_any_markup(source: str) -> None:
    _assert_same_reading(source)


def test_wikilinks_alone_are_not_run_through_the_inline_parser() -> None:
    """A paragraph whose only markup is wikilinks gets text and wikilink tokens, no line breaks."""
    (inline,) = [t for t in parse("See [[A]] and\n![[b.png|9]] #t\n\n> a quote") if t.type == "inline" and "[[" in t.content]
    assert [(c.type, c.content) for c in inline.children] == [
        ("text", "See "), ("wikilink", "[[A]]"), ("text", " and\n"), ("wikilink", "![[b.png|9]]"), ("text", " #t"),
    ]  # fmt: skip


def test_shortcuts_know_every_enabled_rule() -> None:
    """`_TEXT_END`, `_INLINE_MARKUP` and `_BLOCK_MARKERS` are written for exactly these rules:
    enabling another one (emphasis, strikethrough, ...) means revisiting them."""
    md = parser()
    assert md.inline.ruler.get_active_rules() == [
        "text", "newline", "escape", "math_inline", "backticks", "obsidian_comment", "wikilink", "link",
        "image", "autolink", "html_inline",
    ]  # fmt: skip
    assert md.inline.ruler2.get_active_rules() == []
    assert md.block.ruler.get_active_rules() == [
        "front_matter", "table", "code", "math_block", "fence", "blockquote", "hr", "list", "reference",
        "html_block", "heading", "lheading", "obsidian_comment", "paragraph",
    ]  # fmt: skip


def test_wrapped_block_rules_keep_their_chains() -> None:
    """The rules `_parser` wraps still end paragraphs, lists and quotes where the stock ones do."""
    stock = MarkdownIt("commonmark", {"html": True}).enable("table").use(front_matter_plugin)
    ours = parser()

    def chains(md: MarkdownIt) -> dict[str, list[int]]:
        ruler = md.block.ruler
        return {chain: [ruler.getRules("").index(rule) for rule in ruler.getRules(chain)] for chain in ("paragraph", "reference", "blockquote", "list")}

    own = ("obsidian_comment", "math_block")
    names = [name for name in ours.block.ruler.get_active_rules() if name not in own]
    assert names == stock.block.ruler.get_active_rules()
    # The same rules by position, leaving out our own `%%` comment and `$$` math rules.
    mine = [ours.block.ruler.get_active_rules().index(name) for name in own]
    ours_chains = {chain: [i - sum(i > m for m in mine) for i in found if i not in mine] for chain, found in chains(ours).items()}
    assert ours_chains == chains(stock)


@pytest.mark.parametrize("source", CASES)
def test_block_tokens_equal_the_stock_block_parsers(source: str) -> None:
    """`_StateBlock.push` builds every field of a token as markdown-it's constructor does."""
    ours, stock = _parser.__wrapped__(frozenset()), _parser.__wrapped__(frozenset())
    block = ParserBlock()
    block.ruler = stock.block.ruler
    stock.block = block
    assert type(ours.block) is not ParserBlock
    # Dataclass equality, every field; children were made alike by the same inline rules.
    assert [dataclasses.replace(t, children=None) for t in ours.parse(source)] == [dataclasses.replace(t, children=None) for t in stock.parse(source)]


# Lines of plain pages (see `_plain_page`), and lines near them that are not plain or that
# change how their neighbours parse.
PLAIN_LINES = [
    "# Head [[A]]", "## Two ##", "### Three #", "###### Six", "####### seven", "#tag line", "#", "# ",
    "text [[A|a]] #t", "more text ![[b.png]]", "**Born:** 1840", "**Bold** and *it*", "x = 1 -> 2",
    "- item [[B]]", "* star item", "+ plus item", "1. one", "2. two", "10) ten [[C]]", "2020. Year",
    "1.5 metres", "-x", "*x*", "+x", "[[D]] starts", "![[e.png]]", ": colon", "a | b", "\u00a0", "\u2003x\u2003",
    "> quote [[Q]]", "> [!note] Title", ">x", ">", "> ", "```", "```python", "~~~~", "````", "   ```",
    " ~~~ ", "``x``", "~~", "| a | b |", "a | [[B\\|b]]", "|---|:-:|", "--|--", "| - | :- |", "|c|", "x|",
    "| [[A]] | \\| |", "\u00a0", "", "", "   ", "\t",
    "text ^block-id", "- [ ] task ^task-id", "![[e.png]]^embed-id", "^own-line", "> quote ^quote-id",
]  # fmt: skip
NOT_PLAIN_LINES = [
    "> # h", "> - i", ">> nested", ">  two", "> q\n>  two", "> ```", ">\tx", "> ===", "> a | b\n> --|--", "```a`b", "- ```", "> ~~~", "    ```", "---", "***", "- - -", "___", "===", "Title\n===", "  |-|-|", "|-|-|\t x", "- | x", "| a |\n|-|-|", 
    "    code", "\tx", "  indented", "-", "+", "1.", "- ", "-  two spaces", "1.\tx",
    "- # h", "- - x", "- 1. x", "- > q", "<div>", "%% c %%", "[r]: R.md", "[r]", "\r", "a\\", "`x`", "x\x1c", "\x85x",
]  # fmt: skip
FRONT = ["", "---\ntitle: T\n---\n", "---\n---\n", "---\na: [[A]]\n---", "---\nunclosed\n", "----\nx\n"]


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(FRONT),
    st.lists(st.sampled_from(PLAIN_LINES), max_size=12),
    st.sampled_from([None, *NOT_PLAIN_LINES]),
    st.integers(min_value=0, max_value=12),
    st.sampled_from(["", "\n"]),
)
def test_plain_pages_read_as_markdown_it_parses_them(front: str, lines: list[str], other: str | None, at: int, end: str) -> None:
    """Plain lines, and at most one other line among them (more would hide each other)."""
    if other is not None:
        lines.insert(at, other)
    _assert_same_reading(front + "\n".join(lines) + end)


def test_a_plain_page_is_read_line_by_line_and_any_other_is_parsed() -> None:
    plain = "---\ntitle: T\n---\n# T\n\nText [[A]]\nlazy\n- item\n2. two\n"
    assert [t.type for t in plain_page(plain)] == ["front_matter", "heading_open", "inline", "inline", "inline", "inline"]
    for other in ("# T\n\n> - quoted list\n", "> q\n| a |\n|-|\n", "text\n---\n", "- - nested\n"):
        assert plain_page(other) is None


def test_deeply_nested_quotes_and_lists_are_not_plain_and_do_not_recurse() -> None:
    for deep in (">" * 10_000 + " x", "- " * 10_000 + "x", "1. " * 5_000 + "x", "> - " * 5_000 + "x"):
        assert plain_page(deep) is None
