"""BM25: the tokenizer, exact scores against the formula, and properties of the ranking."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from kbsleep.search.bm25 import BM25, Hit
from kbsleep.search.words import tokenize


def test_tokenize_casefolds_normalises_and_drops_stop_words() -> None:
    assert tokenize("The CAFÉ and the Café of Straße") == ["café", "café", "strasse"]
    assert tokenize("Cafe\u0301") == ["café"]  # combining accent composed by NFKC


def test_tokenize_keeps_non_latin_words_and_splits_unspaced_scripts() -> None:
    assert tokenize("Москва — столица") == ["москва", "столица"]
    assert tokenize("東京tower") == ["東", "京", "tower"]
    assert tokenize("it's Ada's wiki_page, v2.0") == ["ada", "wiki_page", "v2", "0"]


def test_scores_follow_the_okapi_formula() -> None:
    index = BM25({"d1": "apple banana", "d2": "apple apple cherry", "d3": "durian"})
    idf = math.log(1 + (3 - 2 + 0.5) / (2 + 0.5))
    avgdl = 2.0

    def term(tf: int, length: int) -> float:
        return idf * tf * 2.5 / (tf + 1.5 * (1 - 0.75 + 0.75 * length / avgdl))

    assert index.scores("apple") == [term(1, 2), term(2, 3), 0.0]
    assert index.search("apple") == [Hit("d2", term(2, 3)), Hit("d1", term(1, 2))]


def test_query_terms_count_once_and_unknown_terms_score_nothing() -> None:
    index = BM25([("a", "kestrel rover"), ("b", "falcon")])
    assert index.scores("kestrel kestrel") == index.scores("kestrel")
    assert index.search("zebra") == []
    assert BM25({}).search("anything") == []


def test_rare_terms_outweigh_common_ones() -> None:
    index = BM25({"a": "rover mission", "b": "rover budget", "c": "rover kestrel"})
    assert index.search("rover kestrel", k=1) == [Hit("c", index.scores("rover kestrel")[2])]


words = st.sampled_from(["ada", "babbage", "engine", "kestrel", "rover", "lake", "ice", "moon"])
documents = st.lists(st.lists(words, max_size=8).map(" ".join), min_size=1, max_size=8)


@given(documents, st.lists(words, min_size=1, max_size=4).map(" ".join))
def test_scores_are_non_negative_and_zero_without_shared_terms(docs: list[str], query: str) -> None:
    index = BM25((str(i), d) for i, d in enumerate(docs))
    for doc, score in zip(docs, index.scores(query)):
        assert score >= 0
        if not set(tokenize(doc)) & set(tokenize(query)):
            assert score == 0


@given(documents, st.lists(words, min_size=1, max_size=4).map(" ".join), st.randoms())
def test_scores_do_not_depend_on_document_order(docs: list[str], query: str, rng) -> None:
    items = [(str(i), d) for i, d in enumerate(docs)]
    shuffled = items[:]
    rng.shuffle(shuffled)
    first = dict(zip((i for i, _ in items), BM25(items).scores(query)))
    second = dict(zip((i for i, _ in shuffled), BM25(shuffled).scores(query)))
    assert first == second


@given(documents, st.lists(words, min_size=1, max_size=4).map(" ".join))
def test_search_is_sorted_positive_and_stable(docs: list[str], query: str) -> None:
    index = BM25((str(i), d) for i, d in enumerate(docs))
    hits = index.search(query, k=len(docs))
    assert all(h.score > 0 for h in hits)
    keys = [(-h.score, int(h.id)) for h in hits]
    assert keys == sorted(keys)
    assert hits == index.search(query, k=len(docs))
