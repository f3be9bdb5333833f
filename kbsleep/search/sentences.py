"""Sentences out of Markdown passages, and the ones that best support an answer to a question:
the offline engine's evidence (`kbsleep.llm.offline`) and the offline question generator's text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kbsleep.llm.model import Passage
from kbsleep.search.blocks import LIST_ITEM, TABLE_RULE, plain, split_block, table_cells, walk
from kbsleep.search.bm25 import BM25

__all__ = ["Evidence", "LIST_ITEM", "Sentence", "best_sentences", "sentences", "split_sentences"]


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
        found.extend((s, heading) for s in split_block(plain(block)))
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
    """Paragraphs joined from their lines; each heading, list item and table row on its own
    (frontmatter and code left out). A list item's following lines join it, indented or not."""
    blocks: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(" ".join(paragraph))
            paragraph.clear()

    for line in walk(text)[1]:
        stripped = line[1] if line is not None else ""
        if not stripped or TABLE_RULE.match(stripped):
            flush()
        elif stripped.startswith("|"):
            flush()
            blocks.append(" ".join(cell for cell in table_cells(stripped) if cell))
        elif stripped.startswith("#"):
            flush()
            blocks.append(stripped)
        else:
            if LIST_ITEM.match(stripped):
                flush()  # a list item starts a block; its continuation lines join it
            paragraph.append(stripped)
    flush()
    return blocks
