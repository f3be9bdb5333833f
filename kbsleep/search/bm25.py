"""Okapi BM25 ranking with a small Unicode-aware tokenizer: the offline engine's retrieval."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_WORD = re.compile(r"\w+")
# Scripts written without spaces between words: each character is a token of its own.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

STOP_WORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves s t d ll m re ve
    """.split()
)


def tokenize(text: str, stop_words: frozenset[str] = STOP_WORDS) -> list[str]:
    """Casefolded NFKC word tokens, without stop words; CJK characters count one token each."""
    text = unicodedata.normalize("NFKC", text).casefold()
    tokens: list[str] = []
    for word in _WORD.findall(text):
        if _UNSPACED.search(word):
            tokens.extend(_split_unspaced(word))
        elif word not in stop_words and word != "_" * len(word):
            tokens.append(word)
    return tokens


def _split_unspaced(word: str) -> list[str]:
    """'東京tower' -> ['東', '京', 'tower']: unspaced characters alone, other runs together."""
    parts: list[str] = []
    run = ""
    for char in word:
        if _UNSPACED.match(char):
            if run:
                parts.append(run)
                run = ""
            parts.append(char)
        else:
            run += char
    if run:
        parts.append(run)
    return parts


@dataclass(frozen=True)
class Hit:
    id: str
    score: float


class BM25:
    """An index over (id, text) documents; `search` ranks them for a query.

    idf(t) = ln(1 + (N - n(t) + 0.5) / (n(t) + 0.5)), the always-positive variant, and
    score(d, q) = sum over distinct query terms t of
        idf(t) * tf(t, d) * (k1 + 1) / (tf(t, d) + k1 * (1 - b + b * |d| / avgdl)).
    """

    def __init__(
        self,
        documents: Mapping[str, str] | Iterable[tuple[str, str]],
        k1: float = 1.5,
        b: float = 0.75,
    ) -> None:
        items = documents.items() if isinstance(documents, Mapping) else documents
        self.k1, self.b = k1, b
        self.ids: list[str] = []
        self.term_counts: list[Counter[str]] = []
        self.lengths: list[int] = []
        self.document_frequency: Counter[str] = Counter()
        for doc_id, text in items:
            counts = Counter(tokenize(text))
            self.ids.append(doc_id)
            self.term_counts.append(counts)
            self.lengths.append(sum(counts.values()))
            self.document_frequency.update(counts.keys())
        self.average_length = sum(self.lengths) / len(self.lengths) if self.lengths else 0.0

    def __len__(self) -> int:
        return len(self.ids)

    def idf(self, term: str) -> float:
        n = self.document_frequency.get(term, 0)
        return math.log(1 + (len(self.ids) - n + 0.5) / (n + 0.5))

    def scores(self, query: str) -> list[float]:
        """One score per document, in the order the documents were given."""
        terms = [t for t in dict.fromkeys(tokenize(query)) if t in self.document_frequency]
        weights = {term: self.idf(term) for term in terms}
        avgdl = self.average_length or 1.0
        result = []
        for counts, length in zip(self.term_counts, self.lengths):
            norm = self.k1 * (1 - self.b + self.b * length / avgdl)
            score = 0.0
            for term in terms:
                tf = counts.get(term, 0)
                if tf:
                    score += weights[term] * tf * (self.k1 + 1) / (tf + norm)
            result.append(score)
        return result

    def search(self, query: str, k: int = 10) -> list[Hit]:
        """The `k` best documents with a positive score, best first; ties keep document order."""
        scored = [(score, i) for i, score in enumerate(self.scores(query)) if score > 0]
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        return [Hit(self.ids[i], score) for score, i in scored[:k]]
