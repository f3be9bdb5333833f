"""Sentences out of Markdown passages, and the ones that best support an answer to a question."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kbsleep.search.bm25 import BM25
from kbsleep.llm.model import Passage
from kbsleep.wiki.wikilink import Wikilink, replace_wikilinks

ABBREVIATIONS = frozenset(
    """
    e.g i.e etc vs cf al fig figs no nos vol pp p ca approx dept est mr mrs ms dr prof sr jr
    st mt ft inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec
    """.split()
)
_FENCE = re.compile(r"^\s*(```|~~~)")
_QUOTE = re.compile(r"^\s*(>\s?)+")
LIST_ITEM = re.compile(r"^([-*+]|\d{1,9}[.)])\s")  # also used by the offline question generator
_MARKER = re.compile(r"^\s*(#{1,6}\s+|[-*+]\s+(\[[ xX]\]\s+)?|\d{1,9}[.)]\s+)")
_TABLE_RULE = re.compile(r"^\s*\|?[\s:|-]*-[\s:|-]*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|`|~~)")
# A terminator, closing quotes or brackets, then space; or a CJK terminator (no space needed).
_BOUNDARY = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*\s+|[\u3002\uff01\uff1f]+")
_OPENERS = "\"'\u201c\u2018([*_"


@dataclass(frozen=True)
class Sentence:
    source: str  # the passage's id
    position: int  # 0-based index among the passage's sentences
    text: str
    heading: bool = False  # a heading names a topic; it is no evidence of anything


@dataclass(frozen=True)
class Evidence:
    sentence: Sentence
    score: float


def split_sentences(text: str) -> list[str]:
    """The sentences of Markdown text; headings, list items and table rows stand alone; no code."""
    return [text for text, _ in _sentences(text)]


def sentences(passages: Iterable[Passage]) -> list[Sentence]:
    return [
        Sentence(p.source, i, text, heading)
        for p in passages
        for i, (text, heading) in enumerate(_sentences(p.text))
    ]


def _sentences(text: str) -> list[tuple[str, bool]]:
    found: list[tuple[str, bool]] = []
    for block in _blocks(text):
        heading = block.startswith("#")
        found.extend((s, heading) for s in _split_block(_plain(block)))
    return [(s, heading) for s, heading in found if any(ch.isalnum() for ch in s)]


def best_sentences(question: str, passages: Iterable[Passage], k: int = 3) -> list[Evidence]:
    """The `k` sentences that best support an answer to `question`, best first.

    A sentence scores its BM25 score against the question, boosted by up to 2x by how well its
    whole passage (with the passage id, usually the page title) matches: "She was born in 1815"
    wins for "When was Ada born?" when it sits on Ada's page.
    """
    passages = list(passages)
    candidates = [s for s in sentences(passages) if not s.heading]
    if not candidates:
        return []
    passage_scores = BM25((p.source, f"{p.source}\n{p.text}") for p in passages).scores(question)
    top = max(passage_scores) or 1.0
    boost = {p.source: 1 + score / top for p, score in zip(passages, passage_scores)}
    sentence_scores = BM25((str(i), s.text) for i, s in enumerate(candidates)).scores(question)
    ranked: list[tuple[float, int]] = []
    seen: set[str] = set()
    for i, (sentence, score) in enumerate(zip(candidates, sentence_scores)):
        key = " ".join(sentence.text.casefold().split())
        if score > 0 and key not in seen:
            seen.add(key)
            ranked.append((score * boost[sentence.source], i))
    ranked.sort(key=lambda pair: (-pair[0], pair[1]))
    return [Evidence(candidates[i], score) for score, i in ranked[:k]]


def _blocks(text: str) -> list[str]:
    """Paragraphs joined from their lines; each heading, list item and table row on its own."""
    blocks: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(" ".join(paragraph))
            paragraph.clear()

    lines = text.splitlines()
    if lines and lines[0].strip() == "---":  # YAML front matter
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), 0)
        lines = lines[end + 1 :]
    in_code = False
    for line in lines:
        if _FENCE.match(line):
            in_code = not in_code
            flush()
            continue
        stripped = _QUOTE.sub("", line).strip()
        if in_code or not stripped or _TABLE_RULE.match(stripped):
            flush()
        elif stripped.startswith("|"):
            flush()
            blocks.append(" ".join(cell.strip() for cell in stripped.split("|") if cell.strip()))
        elif stripped.startswith("#"):
            flush()
            blocks.append(stripped)
        else:
            if LIST_ITEM.match(stripped):
                flush()  # a list item starts a block; its continuation lines join it
            paragraph.append(stripped)
    flush()
    return blocks


def _plain(block: str) -> str:
    block = _MARKER.sub("", block)
    block = replace_wikilinks(block, _link_text)
    block = _LINK.sub(r"\1", block)
    block = _EMPHASIS.sub("", block)
    return " ".join(block.split())


def _link_text(link: Wikilink) -> str:
    """A link as plain text: its display text, else its page (an embed keeps its `!`)."""
    return "!" * link.embed + (link.display or link.target).strip()


def _split_block(block: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(block):
        end = match.end()
        if end < len(block) and not _is_boundary(block, match.start(), end):
            continue
        parts.append(block[start:end].strip())
        start = end
    if start < len(block):
        parts.append(block[start:].strip())
    return [p for p in parts if p]


def _is_boundary(text: str, stop: int, after: int) -> bool:
    """Whether the terminator at `stop` ends a sentence, judged by the words around it."""
    if text[stop] in "\u3002\uff01\uff1f":
        return True
    following = text[after]
    starts = following.isdigit() or following in _OPENERS
    if not (starts or (following.isalpha() and not following.islower())):
        return False  # "e.g. the", "3 p.m. and": lower case goes on
    if text[stop] != ".":
        return True
    word = (
        text[:stop].rsplit(None, 1)[-1].lstrip(_OPENERS).casefold() if text[:stop].strip() else ""
    )
    if word in ABBREVIATIONS:
        return False
    return not (len(word) == 1 and word.isalpha())  # an initial: "J. Smith"
