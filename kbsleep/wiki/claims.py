"""Claim sentences: prose that may state an entity's attribute as a number, found once at parse time.

`contradicting-claims` judges only these sentences. Most pages have none, so a lint reads
neither the text nor the prose blocks of most pages, and a cached page keeps them packed.
"""

from __future__ import annotations

import re
from typing import Iterable

from kbsleep.wiki.page import Fence, Field, Sentence, TextBlock

SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z\[])")

# Words that state an attribute in prose, by the structured key they speak for.
ATTRIBUTE_WORDS: dict[str, tuple[str, ...]] = {
    "born": ("born", "birth"),
    "died": ("died", "death"),
    "founded": ("founded", "established", "set up"),
    "population": ("population", "inhabitants", "residents"),
    "opened": ("opened",),
    "launched": ("launched",),
    "built": ("built", "constructed"),
    "length_m": ("long", "length"),
    "depth_m": ("deep", "depth"),
}

_DIGIT = re.compile(r"\d")
_ATTRIBUTE_WORDS = tuple(word for words in ATTRIBUTE_WORDS.values() for word in words)


def mentions_attribute(text: str) -> bool:
    """A fast, loose test (a digit, then substrings in any case); `claimed_number` is exact."""
    if not _DIGIT.search(text):
        return False  # a claim this rule can judge always has a number
    lowered = text.lower()
    return any(word in lowered for word in _ATTRIBUTE_WORDS)


def claim_sentences(text: str, blocks: Iterable[TextBlock], fields: Iterable[Field], fences: Iterable[Fence]) -> tuple[Sentence, ...]:
    """The sentences of a page's prose that mention an attribute, each with the line it starts on.

    Not judged, so not kept: text inside kbsleep fences (a pass derived it from the page, it
    only repeats it) and a one-line structured field (`conflicting-facts` judges that).
    """
    worded = _lines_with_words(text)
    if worded is None:
        return ()
    generated = {line for fence in fences for line in range(fence.start, fence.end + 1)}
    field_lines = {field.line for field in fields if field.kind != "frontmatter"}
    found = []
    for block in blocks:
        prose = block.text
        if not worded[block.line : block.line + prose.count("\n") + 1].strip(b"\0"):
            continue  # no attribute word on its lines
        if not mentions_attribute(prose) or block.line in generated:
            continue  # every sentence of it fails the test too: each is a piece of the block
        if block.line in field_lines and "\n" not in prose:
            continue
        start = 0
        for sentence in SENTENCE_END.split(prose):
            # A paragraph spans several lines: a sentence is on the line where it starts.
            start = prose.find(sentence, start)
            line = block.line + prose.count("\n", 0, start)
            start += len(sentence)
            if mentions_attribute(sentence):
                found.append(Sentence(line, sentence))
    return tuple(found)


def _lines_with_words(text: str) -> bytes | None:
    """Byte N is 1 when line N of `text` holds an attribute word (in any case); None: no line does.

    A block's text is pieces of its page's lines joined by newlines, so a word in a block (ASCII,
    never spanning a newline) is on one of these lines: the page is searched once, and blocks on
    no such line are not tested at all.
    """
    lowered = text.lower()  # newlines stay where they were, whatever else lowercasing changes
    if "\r" in lowered:  # lines as the parser numbers them: a lone CR ends one too
        lowered = lowered.replace("\r\n", "\n").replace("\r", "\n")
    starts = sorted(at for word in _ATTRIBUTE_WORDS if word in lowered for at in _occurrences(lowered, word))
    if not starts:
        return None
    marks = bytearray(lowered.count("\n") + 2)
    line, previous = 1, 0
    for at in starts:
        line += lowered.count("\n", previous, at)
        previous = at
        marks[line] = 1
    return bytes(marks)


def _occurrences(text: str, word: str) -> list[int]:
    found, at = [], text.find(word)
    while at != -1:
        found.append(at)
        at = text.find(word, at + 1)
    return found
