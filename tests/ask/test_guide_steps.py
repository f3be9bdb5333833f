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


# An LLM wiki's troubleshooting guide: each step a section ("## Step 1 — ...")
CLOGS = """\
---
type: analysis
---

Structured guide for clearing a clogged printer nozzle.

## Step 1 — Heat the nozzle

Raise the hot end to printing temperature.

## Step 2 — Push filament by hand

Feed it until plastic flows.

## Step 3 — Run a cold pull

Cool to 90 degrees and pull the filament out.

## Notes

A clog that returns points to a worn nozzle.
"""


def test_a_page_whose_sections_are_steps_answers_a_how_to_with_their_headings(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"analyses/clogs.md": CLOGS, "parts/nozzle.md": "The nozzle melts filament.\n", "parts/bed.md": "The bed holds the print.\n"})
    text = ask(root, load_config(root), "How do I clear a clogged nozzle?", engine="offline", record=False).text
    assert text == (
        "Structured guide for clearing a clogged printer nozzle.\n- Step 1 — Heat the nozzle\n- Step 2 — Push filament by hand\n"
        "- Step 3 — Run a cold pull"
    )


def test_a_step_section_alone_or_two_steps_are_no_procedure_of_the_page() -> None:
    from kbsleep.search.guides import stepped_sections

    found = [u for source, text in (("clogs", "Structured guide for clearing a clog.\n"), ("clogs#Step 1 — Heat", "Raise it.\n"), ("clogs#Step 2 — Push", "Feed it.\n"), ("clogs#Step 3 — Pull", "Pull it.\n")) for u in units(source, text)]
    assert [u.text for u in stepped_sections(found[0], found, 8)] == ["Structured guide for clearing a clog.", "Step 1 — Heat", "Step 2 — Push", "Step 3 — Pull"]
    assert stepped_sections(found[1], found, 8) == []  # a step's own line answers that step
    assert stepped_sections(found[0], found[:3], 8) == []  # two steps: too few to be the page's procedure
    assert stepped_sections(found[0], [found[0], found[1], found[3]], 8) == []  # steps 1 and 3: not from the start, in a row
