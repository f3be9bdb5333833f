"""The rules' fast paths give exactly what the slow ones gave: they only skip work, never findings."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kbsleep.lint.rules.facts import ATTRIBUTE_WORDS, _folded
from kbsleep.lint.rules.pages import _lines
from kbsleep.wiki.page import split_lines
from kbsleep.wiki.parse import parse_page

WORDS = tuple(word for words in ATTRIBUTE_WORDS.values() for word in words)
# Every character that ends a line for `str.splitlines` or for the Markdown parser, and a few that don't.
LINE_TEXT = st.text(alphabet=list("ab \t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029é"), max_size=12)
# The words in any case, with the four non-ASCII letters `re.IGNORECASE` takes for ASCII ones.
PROSE = st.lists(st.sampled_from([*WORDS, "Born", "POPULATION", "ſet up", "bırth", "BİRTH", "\u212aelvin", "İ", " ", "x"]), max_size=6).map("".join)
# Markdown whose blocks the parser could cut, unescape or re-indent: markers, tables with
# escaped pipes, tabs, entities, CR and NUL line ends, and words split around all of these.
MARKDOWN = st.lists(
    st.tuples(
        st.sampled_from(["", "- ", "1. ", "> ", "# ", "## ", "\t", "    ", "  - ", "| ", "| a | b |\n|---|---|\n| ", "---", "```", "%%", "<!-- ", "Title\n==="]),
        st.lists(st.sampled_from([*WORDS, "Born", "ſet up", "b", "orn", "bo", "rn", "\\|", "|", " ", "\t", "&#98;", "\\", "*", "[[", "]]", "`", "1954", "İ"]), max_size=6),
        st.sampled_from(["\n", "\n\n", "\r\n", "\r", "\0\n"]),
    ),
    max_size=8,
).map(lambda lines: "".join(prefix + "".join(body) + end for prefix, body, end in lines))


@settings(max_examples=2000)
@given(LINE_TEXT)
def test_lines_are_the_lines_the_parser_counts(text: str) -> None:
    assert _lines(text) == split_lines(text)


@given(PROSE)
def test_folded_text_holds_every_word_a_case_blind_search_finds(text: str) -> None:
    for word in WORDS:
        if re.search(re.escape(word), text, re.IGNORECASE):
            assert word in _folded(text), (word, text)


@settings(max_examples=500)
@given(MARKDOWN)
def test_a_word_in_a_prose_block_is_in_its_page_text(text: str) -> None:
    # contradicting-claims reads a page's blocks only when its whole text holds a word.
    page = parse_page("Page.md", text.encode("utf-8"))
    for block in page.blocks:
        for word in WORDS:
            if word in _folded(block.text):
                assert word in _folded(page.text), (word, block.text)
