"""Okapi BM25 ranking in memory, over `kbsleep.search.words.tokenize`'s tokens: the offline engine's retrieval."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kbsleep.search.words import tokenize


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
