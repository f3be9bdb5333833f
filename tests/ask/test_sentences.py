"""Sentence splitting of Markdown, and choosing the sentences that support an answer."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kbsleep.llm.model import Passage
from kbsleep.search.blocks import ABBREVIATIONS
from kbsleep.search.sentences import Sentence, best_sentences, split_sentences

PAGE = """---
title: Ada Lovelace
---
# Ada Lovelace

Ada was born in 1815. She worked with Dr. Babbage on the engine, e.g. the Analytical Engine.
It cost 3.5 million pounds. Did it run? No!

> A quoted line that
> continues. And ends.

- First item. Second sentence
  continues here.
- [[people/babbage|Babbage]] met [Ada](ada.md) in **London**.

| year | event |
|------|-------|
| 1843 | notes |

```python
code. Not a sentence.
```
J. Smith wrote it. 東京は大きい。とても。
"""


def test_split_sentences_of_a_markdown_page() -> None:
    assert split_sentences(PAGE) == [
        "Ada Lovelace",
        "Ada was born in 1815.",
        "She worked with Dr. Babbage on the engine, e.g. the Analytical Engine.",
        "It cost 3.5 million pounds.",
        "Did it run?",
        "No!",
        "A quoted line that continues.",
        "And ends.",
        "First item.",
        "Second sentence continues here.",
        "Babbage met Ada in London.",
        "year event",
        "1843 notes",
        "J. Smith wrote it.",
        "東京は大きい。",
        "とても。",
    ]


PASSAGES = (
    Passage("people/bob.md", "# Bob\n\nBob was born in 1900. He liked trains."),
    Passage("people/ada.md", "# Ada\n\nShe was born in 1815. Her notes describe an algorithm."),
    Passage("places/london.md", "London is a city. Many people were born there."),
)


def test_best_sentences_prefers_the_page_about_the_subject() -> None:
    evidence = best_sentences("When was Ada born?", PASSAGES, k=2)
    assert evidence[0].sentence == Sentence("people/ada.md", 1, "She was born in 1815.")
    assert evidence[1].sentence.source != "people/ada.md"  # the "Ada" heading is no evidence
    assert "born" in evidence[1].sentence.text
    assert evidence[0].score > evidence[1].score > 0


def test_best_sentences_returns_nothing_without_overlap() -> None:
    assert best_sentences("quantum chromodynamics", PASSAGES) == []
    assert best_sentences("anything", ()) == []


def test_best_sentences_drops_duplicate_sentences() -> None:
    passages = (Passage("a.md", "The rover landed."), Passage("b.md", "The rover landed."))
    assert [e.sentence.source for e in best_sentences("rover", passages)] == ["a.md"]


word = st.from_regex(r"[a-z]{2,8}", fullmatch=True).filter(lambda w: w not in ABBREVIATIONS)
sentence = st.builds(
    lambda words, end: " ".join(words).capitalize() + end,
    st.lists(word, min_size=1, max_size=7),
    st.sampled_from(".!?"),
)  # abbreviations like "Jr." would make the split ambiguous


@given(st.lists(sentence, min_size=1, max_size=8))
def test_plain_sentences_split_back_apart(sentences: list[str]) -> None:
    assert split_sentences(" ".join(sentences)) == sentences
