"""The fast path's matcher: paraphrases match, different questions do not (precision first)."""

from __future__ import annotations

import pytest

from kbsleep.search.paraphrase import concepts, groups, similarity

COBALT = ("Cobalt", "Cobalt pipeline", "cobaltc")
CACHED = "Who maintains the Cobalt compiler?"


@pytest.mark.parametrize(
    "asked",
    [
        "who looks after cobalt these days?",
        "Who is the maintainer of Cobalt?",
        "Who is in charge of the Cobalt pipeline?",
        "who runs cobaltc",
        "Who maintains the Cobalt compiler?",
    ],
)
def test_paraphrases_match(asked: str) -> None:
    assert similarity(asked, CACHED, COBALT).score >= 0.5


@pytest.mark.parametrize(
    ("asked", "reason"),
    [
        ("Who maintains Tidewatch?", "the page's entity is not named"),
        ("When did Cobalt start?", "a when question against a who question"),
        ("Where is Cobalt maintained?", "a where question against a who question"),
        ("Cobalt?", "no predicate asked"),
        ("What licence does Cobalt use?", "the precomputed question asks about more"),
        ("Who maintains Cobalt's calibration files?", "match"),  # asks about more: scores below
    ],
)
def test_different_questions_do_not_match(asked: str, reason: str) -> None:
    match = similarity(asked, CACHED, COBALT)
    assert match.score < 0.5 and match.reason == reason


def test_concepts_fold_synonyms_stems_and_filler() -> None:
    assert concepts("Who looks after Cobalt these days?") == ["maintain", "cobalt"]
    assert concepts("Who is Cobalt's maintainer nowadays?") == ["cobalt", "maintain"]
    assert concepts("What licence? What license? Licensed?") == ["licence"]


def test_groups_keep_the_asked_word_and_add_its_synonyms() -> None:
    found = groups("Who looks after Tokyo?")
    assert found[0][:3] == ["maintain", "maintainer", "maintenance"] and found[1] == ["tokyo"]
