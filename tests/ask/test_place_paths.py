""""Where are my decks stored?" is answered by the sentence giving the path of the decks' folder,
though it says "located" and the question "stored": a path named for the thing asked about is
the place asked for (`search.places`), and a place question's verb of keeping is the form it
asks, not a word an answer must repeat (issue 19)."""

from __future__ import annotations

import pytest

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.places import kept, names_place, path_words
from kbsleep.search.question import analyse
from kbsleep.search.words import stem


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Decks are located in the `.deck/decks` folder.", {stem("decks")}),
        ("Layouts are saved to `.deck/workspace.json`.", {stem("workspace"), "json"}),
        ("Snippets are stored in `/profile/.deck/snippets/`.", {stem("snippets")}),  # not `profile`: where the folder is
        ("Run `deck sync` to upload.", set()),  # a command, no path
    ],
)
def test_a_path_is_named_for_its_last_folder_or_file(text: str, words: set[str]) -> None:
    assert path_words(text) == words


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Where are my decks stored?", {stem("decks")}),
        ("Where does Deckhand keep the settings of my profile?", {stem("settings")}),  # not the profile, nor the name
        ("Where is the layout of my profile saved?", {"layout"}),
    ],
)
def test_what_a_place_question_asks_the_place_of(question: str, asked: set[str]) -> None:
    assert kept(analyse(question)) == asked


def test_a_place_question_asks_no_verb_of_keeping() -> None:
    assert analyse("Where are my decks stored?").terms == ("decks",)
    assert analyse("How are my decks stored?").terms == ("decks", "stored")  # a way, not a place


def test_only_a_path_named_for_the_thing_names_its_place() -> None:
    asked = analyse("Where does Deckhand keep the settings of my profile?")
    assert not names_place(asked, "Profiles live in `C:\\Users\\me\\Profiles`.")
    assert names_place(asked, "Settings are kept in `.deck/settings`.")


PAGES = {
    "Deploy Deckhand.md": (
        "# Deploy Deckhand\n\n## Decks\n\n[[Decks]] are sets of cards you study together. "
        "Decks are located in the `.deckhand/decks` folder within a profile, and can be copied there by hand.\n"
    ),
    "How Deckhand stores data.md": (
        "# How Deckhand stores data\n\nDeckhand stores your cards as plain text. It stores each review in a log, "
        "and stores its settings per profile. Decks and cards are stored as text files you can edit.\n"
    ),
    "Decks.md": (
        "# Decks\n\nA deck is a set of cards you study together. Decks can be shared, and decks are stored as text. "
        "You can rename decks, merge decks and archive decks.\n\n## Backing up decks\n\n"
        "Back up your decks with a sync plugin: your decks may then be stored on a remote server.\n"
    ),
    "Deck store.md": "# Deck store\n\nThe deck store lists decks others shared. Browse decks in the store and install decks.\n",
}


def test_where_a_thing_is_stored_is_answered_by_the_path_named_for_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(PAGES)
    answer = ask(root, load_config(root), "Where are my decks stored?", engine="offline", record=False)
    assert answer.text.startswith("Decks are located in the `.deckhand/decks` folder within a profile")
    assert [c.path for c in answer.citations] == ["Deploy Deckhand.md"]
