"""Offline, "What is the difference between A and B?" is answered by what each is, one after the
other, with both pages cited; when the wiki does not say what one of them is, the question is
answered as it stands (or is not in the wiki)."""

from __future__ import annotations

import pytest

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.question import compared

PAGES = {
    "Concepts/Tags.md": "# Tags\n\nTags are keywords that help you find the notes you want.\n\n## Nested tags\n\nUse a slash to nest tags.\n",
    "Concepts/Properties.md": "# Properties\n\nProperties store facts about a note, such as its author and its due date.\n",
    "Concepts/Folders.md": "# Folders\n\nFolders group your notes on disk. Tags and properties work across folders.\n",
}


@pytest.mark.parametrize(
    ("question", "pair"),
    [
        ("What is the difference between a tag and a property?", ("tag", "property")),
        ("What's the main difference between Obsidian Sync and Obsidian Publish?", ("Obsidian Sync", "Obsidian Publish")),
        ("How does a canvas differ from a note?", ("canvas", "note")),
        ("How are tags different from folders?", ("tags", "folders")),
        ("What is the difference between a tag and a tag?", None),
        ("What is a tag?", None),
    ],
)
def test_a_comparison_names_the_two_things_it_compares(question: str, pair: tuple[str, str] | None) -> None:
    assert compared(question) == pair


def test_the_difference_is_what_each_is_with_both_pages_cited(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(PAGES)
    answer = ask(root, load_config(root), "What is the difference between a tag and a property?", engine="offline", record=False)
    assert answer.text == (
        "Tags are keywords that help you find the notes you want.\n\n"
        "Properties store facts about a note, such as its author and its due date."
    )
    assert [c.path for c in answer.citations] == ["Concepts/Tags.md", "Concepts/Properties.md"]


def test_a_comparison_with_a_thing_the_wiki_never_defines_is_asked_as_it_stands(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(PAGES)
    answer = ask(root, load_config(root), "What is the difference between a zettel and a tag?", engine="offline", record=False)
    assert not answer.found
