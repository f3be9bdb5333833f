"""A vector ranking that ranks nothing counts for nothing in the fusion.

A static English model places every Chinese section about as close to a Chinese question as
every other (on a public Chinese LLM wiki of 2,451 sections the first and the 60th cosine were
0.02 to 0.05 apart; on the English vaults tried, 0.05 to 0.6): fused with BM25, such a ranking
only buried BM25's right first section ("GEICO是哪一年创办的？" lost 盖可保险's profile to
letters that happened to be first among equals). These tests drive `retrieve` with an index
double whose two rankings disagree.
"""

from __future__ import annotations

from kbsleep.search import retrieve as retrieval
from kbsleep.search.question import analyse
from kbsleep.search.queries import Hit

SECTIONS = [Hit(f"p{i}.md", f"p{i}", "", 1, 2, f"text {i}", 0.0, i) for i in range(80)]


class TwoRankings:
    """BM25 ranks p0, p1, p2 first; the vectors rank p70 ... p79 and the rest, `spread` apart."""

    embedder = None  # not the static model: no question-to-question ranking

    def __init__(self, spread: float) -> None:
        self.spread = spread

    def search(self, terms, k=20):  # type: ignore[no-untyped-def]
        return [Hit(h.page, h.title, h.heading, h.start, h.end, h.text, 10.0 - i, h.id) for i, h in enumerate(SECTIONS[:3])]

    def nearest(self, vector, k):  # type: ignore[no-untyped-def]
        order = [*range(70, 80), *range(3, 70)][:k]
        return [(row, 0.6 - self.spread * i / (k - 1)) for i, row in enumerate(order)]

    def sections(self, ids):  # type: ignore[no-untyped-def]
        return [SECTIONS[i] for i in ids]

    def pages_named(self, name, alias=False):  # type: ignore[no-untyped-def]
        return ()

    def shared_names(self, pages):  # type: ignore[no-untyped-def]
        return set()

    def aliases_of(self, pages):  # type: ignore[no-untyped-def]
        return {}

    def page_sections(self, pages):  # type: ignore[no-untyped-def]
        return []

    def linked(self, pages):  # type: ignore[no-untyped-def]
        return {}

    def anchored(self, ids):  # type: ignore[no-untyped-def]
        return []


QUESTION = analyse("Which harbour opened first?")


def test_a_flat_vector_ranking_leaves_bm25_s_order() -> None:
    ranked = retrieval.retrieve(TwoRankings(spread=0.03), QUESTION, vector=object())
    assert [h.page for h in ranked.hits[:3]] == ["p0.md", "p1.md", "p2.md"]
    assert ranked.cosine  # the cosines are still known, for what else reads them


def test_a_vector_ranking_that_tells_sections_apart_is_fused() -> None:
    ranked = retrieval.retrieve(TwoRankings(spread=0.3), QUESTION, vector=object())
    assert "p70.md" in [h.page for h in ranked.hits[:6]]
