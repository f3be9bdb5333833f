"""A nested list item is quoted with the item it is nested under, and that item's other nested
items: alone, "3. A network share ..." hides that it is the last of "Windows: Recommended places,
best first:" (issue 19, measured with a sentence-embedding model, which finds the nested item
closest in meaning and quoted it alone)."""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.adjacent import nested
from kbsleep.search.units import units

PLACES = """\
# Archive storage

Keep the nightly archive somewhere the sync client never touches. We suggest these places:

- **Linux**: any local disk outside the home folder.
- **Windows**: Recommended places, best first:
    1. An external USB drive that stays plugged in
    2. A second internal disk
    3. A network share, when its drive letter never changes
- **Phones**: the app's own folder.

## Retention

The archive keeps fourteen nightly copies.
"""

RESTORE = """\
# Copies

Copies lets you bring back an earlier state of a note.

## Restore a copy

1. Open **Settings**.
2. Select **Copies** under **Core plugins**.
3. Select the copy you want back.
    1. To copy its text into a new note, select **Copy**.
    2. To replace the note with it, select **Restore**.
4. Close the window.
"""


def _parents(text: str) -> list[tuple[str, str | None]]:
    found = units("P", text)
    at = {u.order: u.text for u in found}
    return [(u.text, at.get(u.parent) if u.parent is not None else None) for u in found if u.kind in ("item", "step")]


def test_a_nested_item_records_the_item_it_is_nested_under() -> None:
    assert _parents(PLACES) == [
        ("Linux: any local disk outside the home folder.", None),
        ("Windows: Recommended places, best first:", None),
        ("An external USB drive that stays plugged in", "Windows: Recommended places, best first:"),
        ("A second internal disk", "Windows: Recommended places, best first:"),
        ("A network share, when its drive letter never changes", "Windows: Recommended places, best first:"),
        ("Phones: the app's own folder.", None),
    ]  # fmt: skip


def test_an_item_records_its_nearest_enclosing_item_and_a_new_list_starts_with_none() -> None:
    text = "- a\n    - b\n        - c\n    - d\n- e\n\nBetween.\n\n    - f\n"
    assert _parents(text) == [("a", None), ("b", "a"), ("c", "b"), ("d", "a"), ("e", None), ("f", None)]


def test_a_nested_item_is_quoted_with_its_item_and_its_sibling_items(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Archive storage.md": PLACES})
    got = ask(root, load_config(root), "Can I keep the nightly archive on a network share with a drive letter?", engine="offline", record=False)
    assert got.text.splitlines() == [
        "- Windows: Recommended places, best first:",
        "    1. An external USB drive that stays plugged in",
        "    2. A second internal disk",
        "    3. A network share, when its drive letter never changes",
    ]


def test_nested_steps_are_numbered_among_themselves_and_indented_under_their_step(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Copies.md": RESTORE})
    got = ask(root, load_config(root), "How do I restore a copy?", engine="offline", record=False)
    assert got.text.splitlines() == [
        "1. Open Settings.",
        "2. Select Copies under Core plugins.",
        "3. Select the copy you want back.",
        "    1. To copy its text into a new note, select Copy.",
        "    2. To replace the note with it, select Restore.",
        "4. Close the window.",
    ]


def test_an_item_asking_a_question_is_not_quoted_with_the_items_answering_it() -> None:
    found = units("P", "- How do I pause the job?\n    - Press Ctrl+Z.\n    - Then type `bg`.\n")
    answer = next(u for u in found if u.text == "Press Ctrl+Z.")
    assert nested([answer], found, 8) == [answer]


def test_a_long_run_of_nested_items_brings_only_its_item() -> None:
    text = "- Colours:\n" + "".join(f"    - colour {n}\n" for n in range(12))
    found = units("P", text)
    answer = next(u for u in found if u.text == "colour 7")
    assert [u.text for u in nested([answer], found, 8)] == ["Colours:", "colour 7"]
