"""The rules' fast paths give exactly what the slow ones gave: they only skip work, never findings."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kbsleep.lint.rules.facts import ATTRIBUTE_WORDS, _folded
from kbsleep.lint.rules.pages import _lines
from kbsleep.wiki.page import split_lines

WORDS = tuple(word for words in ATTRIBUTE_WORDS.values() for word in words)
# Every character that ends a line for `str.splitlines` or for the Markdown parser, and a few that don't.
LINE_TEXT = st.text(alphabet=list("ab \t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029é"), max_size=12)
# The words in any case, with the four non-ASCII letters `re.IGNORECASE` takes for ASCII ones.
PROSE = st.lists(st.sampled_from([*WORDS, "Born", "POPULATION", "ſet up", "bırth", "BİRTH", "\u212aelvin", "İ", " ", "x"]), max_size=6).map("".join)


@settings(max_examples=2000)
@given(LINE_TEXT)
def test_lines_are_the_lines_the_parser_counts(text: str) -> None:
    assert _lines(text) == split_lines(text)


@given(PROSE)
def test_folded_text_holds_every_word_a_case_blind_search_finds(text: str) -> None:
    for word in WORDS:
        if re.search(re.escape(word), text, re.IGNORECASE):
            assert word in _folded(text), (word, text)
