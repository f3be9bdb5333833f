"""A sentence saying its page shows how ("This guide shows how to archive a project.") answers a
how-to with the steps the page gives, not alone."""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.guides import with_procedure
from kbsleep.search.units import units

GUIDE = """\
# Archive a project

This guide shows how to archive a project.

## Before you start

Close every note of the project first, and check that no sync is running.

## Instructions

1. Create a folder named `Archive`.
2. Drag the project's folder into it.
3. Add the tag `archived` to its index note.
"""


def test_a_sentence_saying_its_page_shows_how_brings_the_page_steps() -> None:
    found = units("Archive a project", GUIDE)
    chosen = with_procedure(found[0], found, 8)
    assert [u.text for u in chosen] == [
        "This guide shows how to archive a project.",
        "Create a folder named `Archive`.",
        "Drag the project's folder into it.",
        "Add the tag `archived` to its index note.",
    ]


def test_another_sentence_brings_nothing() -> None:
    found = units("Archive a project", GUIDE)
    assert with_procedure(found[1], found, 8) == []


def test_the_how_to_gets_the_steps(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Archive a project.md": GUIDE})
    text = ask(root, load_config(root), "How do I archive a project?", engine="offline", record=False).text
    assert "Drag the project's folder into it" in text
