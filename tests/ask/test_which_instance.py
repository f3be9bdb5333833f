"""A "which <kind>" question asks for a thing of that kind by name: an answer quoted from the page
of one such thing, filed under a folder of that kind, opens with the page's title."""

from __future__ import annotations

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.titled import filed_under_kind, kind_asked
from kbsleep.search.question import analyse

PAGES = {
    "Plugins/Calendar.md": "# Calendar\n\nCalendar view of your daily notes, one dot a note.\n",
    "Plugins/Kanban.md": "# Kanban\n\nCreate markdown-backed boards of cards and lanes.\n",
    "Plugins/Dataview.md": "# Dataview\n\nDataview is a plugin that queries your notes like a database.\n",
    "Guides/Daily notes.md": "# Daily notes\n\nA daily note is a note named for the day, opened each morning.\n",
}


def test_the_kind_a_which_question_asks_for() -> None:
    assert kind_asked(analyse("Which plugin shows a calendar of my daily notes?")) == "plugin"
    assert kind_asked(analyse("What themes support dark mode?")) == "theme"
    assert kind_asked(analyse("What is a daily note?")) is None
    assert kind_asked(analyse("Which Obsidian installer version do I need?")) is None  # a name, not a kind


def test_the_answer_names_the_thing_of_the_kind_asked(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(PAGES)
    got = ask(root, load_config(root), "Which plugin lets me make boards of cards and lanes?", engine="offline", record=False)
    assert got.text == "Kanban: Create markdown-backed boards of cards and lanes."


def test_an_answer_that_says_what_the_page_is_or_comes_from_another_folder_is_as_written() -> None:
    asked = analyse("Which plugin queries my notes like a database?")
    assert filed_under_kind(asked, "Dataview is a plugin that queries your notes.", [("Plugins/Dataview.md", "Dataview")]).startswith("Dataview is")
    assert filed_under_kind(asked, "A daily note is a note named for the day.", [("Guides/Daily notes.md", "Daily notes")]).startswith("A daily note")
    assert filed_under_kind(asked, "- Calendar\n- Kanban", [("Plugins/Lists.md", "Lists")]) == "- Calendar\n- Kanban"  # a list names its own
