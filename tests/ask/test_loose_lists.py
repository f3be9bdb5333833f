"""A list stays one list across blank lines and the paragraphs inside its items (a loose list),
and a how-to's list is named by the purpose its lead sentence states (issue 19)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.blocks import plain
from kbsleep.search.units import units

LOOSE = """\
To publish a note:

1. Open the note.

2. Select **Publish**.

   The note is sent to your site. It shows up within a minute.

3. Close the dialog.

That is all.
"""


def _read(text: str) -> list[tuple[str, str, int]]:
    return [(u.text, u.kind, u.block) for u in units("P", text)]


def test_the_steps_of_a_loose_list_are_one_list_with_their_item_s_paragraphs_in_it() -> None:
    assert _read(LOOSE) == [
        ("To publish a note:", "sentence", 1),
        ("Open the note.", "step", 2), ("Select Publish.", "step", 2),
        ("The note is sent to your site.", "sentence", 2), ("It shows up within a minute.", "sentence", 2),
        ("Close the dialog.", "step", 2),
        ("That is all.", "sentence", 3),
    ]  # fmt: skip


def test_every_step_keeps_the_sentence_that_introduces_the_list() -> None:
    assert {u.lead for u in units("P", LOOSE) if u.kind == "step"} == {"To publish a note:"}


def test_a_loose_list_in_a_callout_is_one_list_too() -> None:
    callout = "> [!todo] Steps\n> 1. One.\n>\n>    Inside one.\n>\n> 2. Two.\n"
    assert _read(callout) == [("Steps", "sentence", 1), ("One.", "step", 2), ("Inside one.", "sentence", 2), ("Two.", "step", 2)]


def test_a_quote_indented_under_an_item_is_in_the_item() -> None:
    text = "1. Paste this text:\n\n   > Sharpen your thinking.\n\n   The hash turns a line into a heading.\n\n2. Press Ctrl+B.\n"
    assert _read(text) == [
        ("Paste this text:", "step", 1), ("Sharpen your thinking.", "sentence", 1),
        ("The hash turns a line into a heading.", "sentence", 1), ("Press Ctrl+B.", "step", 1),
    ]  # fmt: skip


def test_a_heading_after_an_item_s_paragraph_ends_the_list_and_what_follows_is_a_paragraph_again() -> None:
    text = "1. Step one.\n\n   Inside step one.\n\n## Next\n\nAfter the heading.\n\nAnother paragraph.\n"
    assert _read(text) == [("Step one.", "step", 1), ("Inside step one.", "sentence", 1), ("After the heading.", "sentence", 2), ("Another paragraph.", "sentence", 3)]


def test_an_unindented_line_after_a_blank_ends_the_list() -> None:
    assert _read("- a\n\nb\n\n- c\n") == [("a", "item", 1), ("b", "sentence", 2), ("c", "item", 3)]


def test_a_link_to_a_heading_of_its_own_page_shows_the_heading() -> None:
    assert plain("[[#Set your template folder]] before inserting a template.") == "Set your template folder before inserting a template."
    assert plain("See [[Page#Part]] and [[#Part|this part]].") == "See Page and this part."


DAILY = """\
Daily notes opens a note named after today's date.

To open today's daily note, either:

- Click **Open today's daily note** in the ribbon.
- Run **Open today's daily note** from the Command palette.

## Create a daily note from a template

1. Create a note named "Daily template".

2. Open **Settings**.

3. Next to **Template file location**, select the note.
"""


@pytest.mark.parametrize(
    ("question", "lines"),
    [
        # the list whose lead sentence names the task, not the numbered list under another heading
        ("How do I open today's daily note?", ["To open today's daily note, either:", "- Click Open today's daily note in the ribbon.",
                                               "- Run Open today's daily note from the Command palette."]),
        # the other task still gets its whole loose list
        ("How do I create a daily note from a template?", ['1. Create a note named "Daily template".', "2. Open Settings.",
                                                           "3. Next to Template file location, select the note."]),
    ],
)  # fmt: skip
def test_a_how_to_gets_the_list_of_its_task(make_repo, question: str, lines: list[str]) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Daily notes.md": DAILY})
    assert ask(root, load_config(root), question, engine="offline", record=False).text.splitlines() == lines


ALIASES = """\
An alias is an alternative name for a note.

## Add an alias to a note

To add an alias for a note, add the `aliases` property to the note's properties. Aliases are a list in YAML.

## Link to a note using an alias

To link to a note using an alias:

1. Start typing the alias in an internal link. Any alias shows up among the suggestions.
2. Press Enter to select the alias.
"""


def test_a_sentence_under_the_heading_that_names_the_task_beats_a_sibling_task_s_list(make_repo) -> None:
    root: Path = make_repo({"Aliases.md": ALIASES})
    got = ask(root, load_config(root), "How do I add an alias to a note?", engine="offline", record=False)
    assert got.text == "To add an alias for a note, add the `aliases` property to the note's properties. Aliases are a list in YAML."
    linking = ask(root, load_config(root), "How do I link to a note using an alias?", engine="offline", record=False)
    assert linking.text.splitlines()[0] == "To link to a note using an alias:"


BREAKS = """\
## Line breaks

Pressing Enter once continues the same paragraph in reading view. To insert a line break inside a paragraph, you can either:

- Add two spaces at the end of the line.
- Press Shift+Enter.

## Aliases

To link to a note using an alias:

1. Start typing the alias in an internal link.
2. Press Enter to select the alias.
"""


def test_a_sentence_that_announces_a_list_is_quoted_with_it(make_repo) -> None:
    root: Path = make_repo({"Formatting.md": BREAKS})
    got = ask(root, load_config(root), "Which name shows when I link to a note using an alias?", engine="offline", record=False)
    assert got.text.splitlines() == ["To link to a note using an alias:", "1. Start typing the alias in an internal link.", "2. Press Enter to select the alias."]


def test_an_added_sentence_that_announces_what_is_not_quoted_is_left_out(make_repo) -> None:
    root: Path = make_repo({"Formatting.md": BREAKS})
    got = ask(root, load_config(root), "Why does pressing Enter once continue the same paragraph in reading view?", engine="offline", record=False)
    assert got.text == "Pressing Enter once continues the same paragraph in reading view."


CLIPPER = """\
# Web Clipper

Obsidian Web Clipper is a free browser extension that lets you save web pages to your vault.

## Install Web Clipper

Get the extension from the official directory for your browser:

- Chrome Web Store, for Chrome, Brave, Arc and other Chromium-based browsers.
- Firefox Add-Ons, for Firefox and Firefox Mobile.
- Safari Extensions, for macOS and iOS.
"""


def test_a_question_asking_for_several_things_gets_the_list_of_them(make_repo) -> None:
    root: Path = make_repo({"Web Clipper.md": CLIPPER, "Logic.md": "# Logic\n\nWeb Clipper supports template logic for loops.\n"})
    got = ask(root, load_config(root), "Which browsers does Web Clipper support?", engine="offline", record=False)
    # (a second part may follow for a word the list lacks: "supports" on the Logic page)
    assert got.text.splitlines()[:4] == [
        "Get the extension from the official directory for your browser:",
        "- Chrome Web Store, for Chrome, Brave, Arc and other Chromium-based browsers.",
        "- Firefox Add-Ons, for Firefox and Firefox Mobile.",
        "- Safari Extensions, for macOS and iOS.",
    ]
