"""A how-to is answered by what says how: a step, a menu path, a shortcut, a command, or "You
can ..." with its means; not by a bare statement that the thing can be done ("You can open
separate pop-out windows.") (issue 19)."""

from __future__ import annotations

import pytest

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.tasks import says_what_to_do


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("You can open separate pop-out windows in Deckhand.", False),
        ("You can open as many decks as you want.", False),
        ("You can reorder decks by dragging them.", True),
        ("You can also right-click a card and select Open in new window.", True),
        ("You can change the font under Settings → Appearance.", True),
        ("You can open the deck list with `Ctrl+D`.", True),
        ("Right-click a deck and select Open in new window.", True),
        ("To archive a deck, drag it to the archive.", True),
        ("Decks can be archived.", False),
    ],
)
def test_a_sentence_says_what_to_do_when_it_says_how(text: str, says: bool) -> None:
    assert says_what_to_do(text) == says


PAGES = {
    "Pop-out windows.md": (
        "# Pop-out windows\n\nYou can open separate pop-out windows in Deckhand. Each pop-out window belongs to its profile window.\n\n"
        "## Open a deck in a new window\n\nIn the deck list, right-click a deck and select **Open in new window**.\n"
    ),
    "Glossary.md": "# Glossary\n\n## Window\n\nA window shows one profile. A pop-out window shows decks of the same profile.\n",
}


def test_a_how_to_is_answered_by_the_step_not_by_what_can_be_done(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(PAGES)
    answer = ask(root, load_config(root), "How do I open a deck in a separate window?", engine="offline", record=False)
    assert answer.text == "In the deck list, right-click a deck and select Open in new window."
