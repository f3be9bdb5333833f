"""The vector a question is searched with: its words weighted by how rare they are in the wiki."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kbsleep.ask import retrieve
from kbsleep.config import EmbeddingsConfig, load_config
from kbsleep.search import vectors
from kbsleep.search.index import Index
from kbsleep.search.rarity import SMOOTHING, word_weight


def test_a_word_weighs_less_the_more_pages_hold_it() -> None:
    assert word_weight(0, 100) == 1.0  # a word no page holds: all of its weight
    assert word_weight(1, 100) > word_weight(10, 100) > word_weight(100, 100)
    assert word_weight(100, 100) == pytest.approx(SMOOTHING / (SMOOTHING + 1))


def test_a_stop_word_weighs_as_a_word_every_page_holds() -> None:
    assert word_weight(None, 100) == word_weight(100, 100)
    assert word_weight(None, 0) == word_weight(100, 100)  # an empty wiki: every word is common


def test_with_equal_weights_the_question_vector_is_the_plain_mean_of_its_tokens() -> None:
    embedder = vectors.embedder(EmbeddingsConfig())
    question = "How do I merge two notes into one note"
    weighted = vectors.question_vector(embedder, question, lambda word: 1.0)
    assert np.abs(weighted - embedder.embed([question])[0]).max() < 1e-5


def test_a_word_given_no_weight_does_not_move_the_vector() -> None:
    embedder = vectors.embedder(EmbeddingsConfig())
    weighted = vectors.question_vector(embedder, "merge notes quickly", lambda word: 0.0 if word == "quickly" else 1.0)
    assert np.abs(weighted - embedder.embed(["merge notes"])[0]).max() < 1e-5


def test_an_endpoint_embeds_the_question_as_it_is() -> None:
    class Endpoint:  # an embedder without a token table, as `EndpointEmbedder` is
        name = "endpoint-test/1"

        def embed(self, texts):  # type: ignore[no-untyped-def]
            return np.array([[float(len(t)), 1.0] for t in texts], dtype=np.float32)

    assert vectors.question_vector(Endpoint(), "a question", lambda word: 0.0).tolist() == [10.0, 1.0]


CHATTY = "I keep my notes in my vault and open my notes every day. Can I make my site ask visitors for a secret phrase?"


def notes_wiki() -> dict[str, str]:
    """Pages that say "notes", "vault" and "open" all the time, and one page about a site password."""
    pages = {
        f"Notes {n}.md": f"# Notes {n}\n\nOpen your notes in the vault every day. Notes in the vault open fast; "
        f"your notes and your vault stay on your device, and every note opens in a tab.\n"
        for n in range(1, 7)
    }
    pages["Site password.md"] = (
        "# Site password\n\nVisitors are prompted for a password before they can read a protected site. "
        "Set it under site options.\n"
    )
    return pages


def test_a_chatty_question_finds_the_page_its_rare_words_are_about(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo(notes_wiki())
    with Index(root, load_config(root)) as index:
        index.refresh()
        hits = retrieve(index, CHATTY, k=5)
    assert hits[0].page == "Site password.md"


def test_a_question_with_no_words_has_a_zero_vector_and_gets_not_in_the_wiki(make_repo) -> None:  # type: ignore[no-untyped-def]
    embedder = vectors.embedder(EmbeddingsConfig())
    assert not vectors.question_vector(embedder, "??? !!! ```", lambda word: 1.0).any()
    from kbsleep.ask import NOT_FOUND, ask

    root: Path = make_repo(notes_wiki())
    assert ask(root, load_config(root), "??? !!! ``` [[", engine="offline", record=False).text == NOT_FOUND
