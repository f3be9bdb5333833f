"""Numbers a page states: its own numeric facts and the prose claims that may contradict
another page's, found once at parse time.

`contradicting-claims` compares only these: a page's frontmatter facts with a number
(`Page.numbers`) and the sentences of prose that name an attribute and a number
(`Page.claims`). Most pages have neither, so a lint reads neither the frontmatter, the fields,
the text nor the prose blocks of most pages.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from kbsleep.wiki.page import Fence, Field, Sentence, TextBlock
from kbsleep.wiki.wikilink import sole_wikilink

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

YEAR_KEYS = frozenset({"born", "died", "founded", "opened", "launched", "built"})
NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w]|[.,]\d)")
YEAR = re.compile(r"(?<!\d)([12]\d{3})(?!\d)")
THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_DIGIT = re.compile(r"\d")
_ATTRIBUTE_WORDS = tuple(word for words in ATTRIBUTE_WORDS.values() for word in words)


def mentions_attribute(text: str) -> bool:
    """A fast, loose test (a digit, then substrings in any case); `claimed_number` is exact."""
    if not _DIGIT.search(text):
        return False  # a claim this rule can judge always has a number
    lowered = text.lower()
    return any(word in lowered for word in _ATTRIBUTE_WORDS)


def normalize_value(value: str) -> str:
    """A field's value as facts are compared: unquoted, casefolded, a link as its page's name,
    thousands separators dropped, whitespace collapsed."""
    text = value.strip().strip("\"'").casefold()
    link = sole_wikilink(text) if text.startswith("[[") and text.endswith("]]") else None
    if link is not None and link.target:
        text = link.target.rsplit("/", 1)[-1].removesuffix(".md")
    text = THOUSANDS.sub("", text)
    return " ".join(text.split())


def stated_numbers(fields: Iterable[Field]) -> tuple[tuple[str, float, str, int], ...]:
    """The page's numeric facts about itself: each frontmatter field of an attribute whose value
    holds one number (a year key: its first year), as (key, number, value, line)."""
    found = []
    for field in fields:
        if field.kind != "frontmatter" or field.key not in ATTRIBUTE_WORDS:
            continue
        value = normalize_value(field.value)
        numbers = YEAR.findall(value)[:1] if field.key in YEAR_KEYS else NUMBER.findall(value)
        if len(numbers) == 1:
            found.append((field.key, float(numbers[0].replace(",", "")), field.value, field.line))
    return tuple(found)


def claim_sentences(text: str, blocks: Iterable[TextBlock], fields: Iterable[Field], fences: Iterable[Fence]) -> tuple[Sentence, ...]:
    """The sentences of a page's prose that mention an attribute, each with the line it starts on.

    Not judged, so not kept: text inside kbsleep fences (a pass derived it from the page, it
    only repeats it) and a one-line Dataview field (`conflicting-facts` judges that). A bold
    label (`**Born:** 1954`) is prose, kept as a sentence of its own (on its own line, it is a
    claim about its page's entity, or the entity its trailing `([[link]])` names), unless the
    page repeats the label without naming a subject: `**Example:**` under each heading is a
    list of cases, not claims about the page.
    """
    worded = _lines_with_words(text)
    if worded is None:
        return ()
    generated = {line for fence in fences for line in range(fence.start, fence.end + 1)}
    field_lines: set[int] = set()
    labels: dict[int, Field] = {}
    counts: Counter[str] = Counter()
    for field in fields:
        if field.kind == "inline":
            field_lines.add(field.line)
        elif field.kind == "label":
            labels[field.line] = field
            counts[field.key] += not field.subjects
    own = {line for line, label in labels.items() if label.subjects or counts[label.key] == 1}
    found = []
    for block in blocks:
        prose = block.text
        lines = prose.count("\n") + 1
        if not worded[block.line : block.line + lines].strip(b"\0"):
            continue  # no attribute word on its lines
        if not mentions_attribute(prose) or block.line in generated:
            continue  # every sentence of it fails the test too: each is a piece of the block
        if lines == 1 and (block.line in field_lines or block.line in labels):
            if block.line in own:
                found.append(Sentence(block.line, prose))
            continue
        start = 0
        for sentence in SENTENCE_END.split(prose):
            # A paragraph spans several lines: a sentence is on the line where it starts.
            start = prose.find(sentence, start)
            line = block.line + prose.count("\n", 0, start)
            start += len(sentence)
            if mentions_attribute(sentence):
                found.append(Sentence(line, sentence))
        if lines > 1 and own:  # labels on lines of a paragraph: each a claim of its own too
            for offset, piece in enumerate(prose.split("\n")):
                if block.line + offset in own and mentions_attribute(piece):
                    found.append(Sentence(block.line + offset, piece))
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
