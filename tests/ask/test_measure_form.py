""""How large should a cover image be?", "How big can a deck get?", "How long may a card's front
be?" ask a limit or a recommended measure: an amount of data, a length (characters, pixels ...)
or two dimensions; the measure word is the form asked, not a word an answer repeats (issue 19).
"How big is the blast?" asks what a thing measures, which may be a radius or an area: no form."""

from __future__ import annotations

import pytest

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.question import FORMS, analyse


@pytest.mark.parametrize(
    ("question", "form"),
    [
        ("How large should a cover image be?", "measure"),
        ("How big can a shared deck get in total?", "measure"),
        ("How small must an icon be?", "measure"),
        ("How long may a card's front be?", "extent"),
        ("How long should a summary be?", "extent"),
        ("How long should I wait before a review?", "duration"),  # no "be": a time
        ("How big is the blast of a Fireball?", None),  # what it measures: a radius, an area ...
        ("How large can each file be?", "size"),  # a file's limit is an amount of data
    ],
)
def test_a_modal_how_big_or_how_long_asks_a_measure(question: str, form: str | None) -> None:
    assert analyse(question).form == form


def test_the_measure_word_of_a_modal_question_is_no_word_to_match() -> None:
    assert analyse("How large should a cover image be?").terms == ("cover", "image")
    assert "long" not in analyse("How long should a summary be?").terms


@pytest.mark.parametrize(
    ("text", "measures"),
    [
        ("Keep it to 150 characters or fewer.", True),
        ("Recommended dimensions: 1920 x 1080.", True),
        ("Each deck may hold up to 4 GB of media.", True),
        ("A 256-bit key.", True),
        ("Decks were added in version 2.", False),
        ("Keep it short and clear.", False),
    ],
)
def test_a_measure_is_an_amount_of_data_a_length_or_two_dimensions(text: str, measures: bool) -> None:
    assert (FORMS["measure"].search(text) is not None) == measures


PAGES = {
    "Style guide.md": (
        "# Style guide\n\n## Summaries\n\nEvery deck has a summary, shown in the deck list and in search. "
        "The summary should be 150 characters or fewer and say what the deck covers.\n\n"
        "## Tone\n\nWrite summaries for a reader new to the deck: say what it covers, not how long it took to make.\n"
    ),
    "Decks.md": "# Decks\n\nA deck has a title, a summary and cards. The summary says what the deck is about.\n",
}


def test_how_long_a_text_should_be_is_answered_by_its_length(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(PAGES)
    answer = ask(root, load_config(root), "How long should a deck summary be?", engine="offline", record=False)
    assert "150 characters" in answer.text
