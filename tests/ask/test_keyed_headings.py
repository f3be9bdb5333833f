"""A heading naming what a question asks is the key of the list beneath it, on the page the
question names: "- Lantern" under "## Required plugins" answers "Which plugin does the night
reading recipe require?", as "Required plugin: Lantern" would."""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.keyed_headings import keyed_by_heading
from kbsleep.search.units import units
from kbsleep.search.words import stem

RECIPE = """\
# Reading at night

With this recipe you can read your notes comfortably after dark.

## Required plugins

- [Lantern](https://example.org/lantern)

## Instructions

Open the settings of the plugin and pick a warm color.
"""

OVERVIEW = """\
# Plugins overview

Many plugins help with reading; most of them need no setup and work with any theme you pick.
"""


def test_an_item_under_a_heading_holding_what_is_asked_is_keyed() -> None:
    (item,) = [u for u in units("night-reading#Required plugins", RECIPE) if u.kind == "item"]
    assert keyed_by_heading(item, {stem("plugin"), stem("require")}, {})
    assert not keyed_by_heading(item, {stem("plugin"), stem("color")}, {})


def test_a_sentence_is_never_keyed_by_its_heading() -> None:
    sentence = units("night-reading#Instructions", "Open the settings of the plugin.")[0]
    assert not keyed_by_heading(sentence, {stem("instructions")}, {})


def test_the_item_under_the_heading_answers_on_the_page_the_question_names(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"recipes/night-reading.md": RECIPE, "Plugins overview.md": OVERVIEW})
    text = ask(root, load_config(root), "Which plugin does the night reading recipe require?", engine="offline", record=False).text
    assert "Lantern" in text


def test_a_how_to_reads_the_items_under_a_heading_naming_its_task_as_steps(make_repo) -> None:  # type: ignore[no-untyped-def]
    tabs = "# Tabs\n\n## Open a new tab\n\nSelect **New tab** at the top. Or, use a keyboard shortcut:\n\n- **Windows:** `Ctrl+t`\n- **macOS:** `Cmd+t`\n"
    root: Path = make_repo({"Tabs.md": tabs})
    text = ask(root, load_config(root), "How do I open a note in a new tab?", engine="offline", record=False).text
    assert text.startswith("Select New tab at the top.")
