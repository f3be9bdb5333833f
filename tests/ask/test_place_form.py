""""Where are my plugins stored?", "Where do deleted notes go?" ask a place: they are answered by
a sentence that names one (a path, a folder, the trash, "kept in ..."), not by a sentence that
merely shares the question's words ("the plugin store", "To delete a note, select ...")."""

from __future__ import annotations

import pytest

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.question import FORMS, analyse


@pytest.mark.parametrize(
    ("question", "form"),
    [
        ("Where are my backups stored?", "place"),
        ("Where do my cards go when I delete them?", "place"),
        ("Where does the app keep its database by default?", "place"),
        ("Where on my laptop does the app suggest keeping the archive?", "place"),  # a place narrowing the "where"
        ("Where in the app are backups being stored?", "place"),
        ("Where is the settings page?", None),
        ("Where in the menu is the export command?", None),
        ("Where can I see how long a sync took?", None),
    ],
)
def test_a_where_question_about_keeping_asks_a_place(question: str, form: str | None) -> None:
    assert analyse(question).form == form


@pytest.mark.parametrize(
    ("text", "names_place"),
    [
        ("Backups are saved in the `backups` folder of your profile.", True),
        ("Deleted cards end up in the trash.", True),
        ("The index lives at `~/.config/deck/index.db`.", True),
        ("The server holds each half-open connection in a backlog queue.", True),
        ("You can also delete a card or folder from the menu.", False),
        ("The team also maintains themes available through the theme store.", False),
    ],
)
def test_a_place_is_a_path_a_folder_or_where_a_thing_is_kept(text: str, names_place: bool) -> None:
    assert (FORMS["place"].search(text) is not None) == names_place


def test_where_deleted_things_go_is_answered_by_the_sentence_naming_the_place(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({
        "Manage cards.md": (
            "# Manage cards\n\n## Delete a card\n\nTo delete a card, select **Delete card** in the card menu.\n\n"
            "You can also delete a card from the deck list.\n\nDeleted cards end up in the trash folder of your deck, where you can restore them.\n"
        ),
        "Decks.md": "# Decks\n\nA deck is a set of cards you study together. Cards you know well go to the back of the deck.\n",
    })  # fmt: skip
    answer = ask(root, load_config(root), "Where do my cards go when I delete them?", engine="offline", record=False)
    assert answer.text == "Deleted cards end up in the trash folder of your deck, where you can restore them."
