"""A sentence that refers back to the one before it ("... in the same way.", "Similarly, ...") is
quoted with it: alone it names the way without saying it (issue 19, measured with a
sentence-embedding model, which finds the referring sentence closest in meaning)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.adjacent import referred
from kbsleep.search.units import units

STAMPS = """\
# Stamps

Stamps insert the current moment into a note.

## Stamp variables

To pick a layout for a stamp, add a slash (`/`) and a pattern of layout letters after its name, for example `{{stamp/DD.MM}}`.

You can give `{{clock}}` and `{{weekday}}` a pattern in the same way, for example `{{clock/HH}}`.

The default pattern is set under Settings.
"""


def test_a_sentence_saying_in_the_same_way_is_quoted_after_the_sentence_saying_the_way(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Stamps.md": STAMPS})
    got = ask(root, load_config(root), "Can I give the clock variable a pattern of its own, like `{{clock/HH}}`?", engine="offline", record=False)
    assert got.text.startswith("To pick a layout for a stamp, add a slash (`/`) and a pattern of layout letters after its name, for example `{{stamp/DD.MM}}`. You can give")


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("- Tabs open on the left.\n- Similarly, panes open on the right.\n", ["Tabs open on the left.", "Similarly, panes open on the right."]),
        ("Red marks an error.\n\nYellow marks a warning likewise.\n", ["Red marks an error.", "Yellow marks a warning likewise."]),
        # a comparison that names what it compares with refers to nothing before
        ("Red marks an error.\n\nOpen it the same way as any other app.\n", ["Open it the same way as any other app."]),
        ("Red marks an error.\n\nResize panes similarly to tabs.\n", ["Resize panes similarly to tabs."]),
        # a list before a paragraph is no one sentence it refers to
        ("- Red marks an error.\n\nSimilarly, yellow marks a warning.\n", ["Similarly, yellow marks a warning."]),
    ],
)
def test_the_unit_referred_back_to(text: str, quoted: list[str]) -> None:
    found = units("P", text)
    assert [u.text for u in referred([found[-1]], found)] == quoted

