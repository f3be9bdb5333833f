"""The rules' fast paths give exactly what the slow ones gave: they only skip work, never findings."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from kbsleep.lint.rules.facts import ATTRIBUTE_WORDS, _folded

WORDS = tuple(word for words in ATTRIBUTE_WORDS.values() for word in words)
# The words in any case, with the four non-ASCII letters `re.IGNORECASE` takes for ASCII ones.
PROSE = st.lists(st.sampled_from([*WORDS, "Born", "POPULATION", "ſet up", "bırth", "BİRTH", "\u212aelvin", "İ", " ", "x"]), max_size=6).map("".join)


@given(PROSE)
def test_folded_text_holds_every_word_a_case_blind_search_finds(text: str) -> None:
    for word in WORDS:
        if re.search(re.escape(word), text, re.IGNORECASE):
            assert word in _folded(text), (word, text)
