"""Question to question (`search.peers`): the pages whose own questions are nearest the asked one
rank higher; and the sentence that asks weighs more in a question of several sentences."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kbsleep.config import EmbeddingsConfig, load_config
from kbsleep.search import peers, vectors
from kbsleep.search.index import Index
from kbsleep.search.question import analyse
from tests.ask.support import COBALT, with_answers

FAQ = """\
# Sync questions

## Data retention

### How long do you keep my data after my subscription expires?

One month after the end of the plan; local vaults are not touched.

### How many devices can I use?

Any number.
"""

BILLING = """\
# Billing

Invoices are sent every month. You can stop paying at any time from the account page.
"""


def questions_wiki() -> dict[str, str]:
    return {"Sync questions.md": FAQ, "Billing.md": BILLING, "projects/Cobalt.md": with_answers(COBALT)}


def test_the_sentence_that_asks_is_the_last_one_ending_in_a_question_mark() -> None:
    text = "I paid for the supporter purchase. Can I get my money back? Thanks."
    start, end = vectors.asking_sentence(text)  # type: ignore[misc]
    assert text[start:end] == "Can I get my money back?"
    assert vectors.asking_sentence("Can I get my money back?") is None  # one sentence: nothing to weigh
    assert vectors.asking_sentence("What does Obsidian.md hold?") is None  # a dot inside a word ends no sentence
    start, end = vectors.asking_sentence("I use Sync. I use Publish.")  # type: ignore[misc]
    assert (start, end) == (12, 26)  # none asks: the last


def test_the_asking_sentence_s_words_count_focus_times_in_the_question_vector() -> None:
    embedder = vectors.embedder(EmbeddingsConfig())
    question = "I paid early. Can I get a refund?"
    words = ["I", "paid", "early", "Can", "I", "get", "a", "refund"]
    expected = embedder.embed_weighted(words, [1.0, 1.0, 1.0] + [vectors.FOCUS] * 5)
    assert np.abs(vectors.question_vector(embedder, question, lambda word: 1.0) - expected).max() < 1e-5
    plain = embedder.embed_weighted(words[3:], [1.0] * 5)  # one sentence: the weights as given
    assert np.abs(vectors.question_vector(embedder, "Can I get a refund?", lambda word: 1.0) - plain).max() < 1e-5


def test_a_heading_that_asks_what_the_question_asks_names_its_page(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo(questions_wiki())
    with Index(root, load_config(root)) as index:
        index.refresh()
        embedder = index.embedder
        pages = ["Billing.md", "Sync questions.md"]
        assert peers.nearest_pages(index, embedder, "How long is my data kept after I cancel?", pages) == ["Sync questions.md"]
        assert peers.nearest_pages(index, embedder, "Which colour is the logo?", pages) == []  # no question near it
        assert peers.nearest_pages(index, embedder, "How long is my data kept after I cancel?", ["Billing.md"]) == []


def test_an_anticipated_question_that_asks_the_same_names_its_page(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo(questions_wiki())
    with Index(root, load_config(root)) as index:
        index.refresh()
        pages = ["Billing.md", "projects/Cobalt.md"]
        assert peers.nearest_pages(index, index.embedder, "Who looks after the Cobalt compiler?", pages) == ["projects/Cobalt.md"]


def test_a_stale_anticipated_question_is_not_compared(make_repo) -> None:  # type: ignore[no-untyped-def]
    edited = with_answers(COBALT).replace("with two part-time contributors", "alone")  # edited after anticipate
    root: Path = make_repo({**questions_wiki(), "projects/Cobalt.md": edited})
    with Index(root, load_config(root)) as index:
        index.refresh()
        assert peers.nearest_pages(index, index.embedder, "Who looks after the Cobalt compiler?", ["projects/Cobalt.md"]) == []


def test_the_page_s_best_fused_section_gets_the_rank_and_its_sections_keep_their_order(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo(questions_wiki())
    with Index(root, load_config(root)) as index:
        index.refresh()
        faq = {hit.heading: hit.id for hit in index.page_sections(["Sync questions.md"])}
        billing = index.page_sections(["Billing.md"])[0].id
        asked = faq["How long do you keep my data after my subscription expires?"]
        devices = faq["How many devices can I use?"]
        fused = {billing: 0.05, devices: 0.04, asked: 0.03}
        out = peers.fuse(index, analyse("How long is my data kept after I cancel?"), fused, {}, 60)
    assert out == {billing: 0.05, devices: 0.04 + peers.WEIGHT / 60, asked: 0.03}


def test_without_the_static_model_nothing_is_compared() -> None:
    class Endpoint:  # an index whose embedder is an endpoint's: FLOOR is on another model's scale
        embedder = object()

    fused = {1: 0.05, 2: 0.04}
    assert peers.fuse(Endpoint(), analyse("How long is my data kept?"), fused, {}, 60) == fused  # type: ignore[arg-type]
