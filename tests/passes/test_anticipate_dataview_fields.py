"""What anticipate quotes is said, not set: Dataview reads an inline field (`key:: value`,
`[key:: value]`, `(key:: value)`) anywhere in a page, so an answer that quoted a daily note's
`wake-up:: 06:31` gave the page a second `wake-up`, and every Dataview query in the vault read a
list of times where the note holds one (the Dataview example vault, 315 such lines). The section
writes `wake-up: 06:31`; code spans (`` `a:: b` ``) and `std::vector` are quoted as they are."""

from __future__ import annotations

import re
from pathlib import Path

from kbsleep.answers import QA, render, said_not_set
from kbsleep.llm import select_engine
from kbsleep.passes.anticipate import Options, anticipate
from kbsleep.state import ensure_state_dir
from kbsleep.wiki import open_wiki
from kbsleep.wiki.parse import parse_page

DAILY = """\
# Daily Note 2022-01-02

Today I ate [icecream:: 0] and [buns:: 1].

## Appointments

My next appointment with (person:: [[Lisa]]) is on (appointment:: 2022-09-20).

## Metadata

**Daily Routine**
wake-up:: 06:31
lunch:: 12:00
dinner:: 21:03

**Workout**
training:: 1h 27m
situps:: 19
"""
# Dataview's readings, loosely: a line's leading `key::`, or a bracketed field anywhere.
DATAVIEW_FIELD = re.compile(r"^[ \t]*(?:[-*+][ \t]+)?[^\s:`][^:`]*::|[\[(][^\[\]()`:]+::", re.MULTILINE)


def fields(text: str) -> list[tuple[str, str]]:
    return sorted((f.key, f.value) for f in parse_page("Daily.md", text.encode()).fields if f.kind == "inline")


def test_anticipate_adds_no_field_to_a_page(make_repo) -> None:
    root = make_repo({"2022-01-02.md": DAILY})
    wiki = open_wiki(root)
    anticipate(wiki, select_engine(wiki.config.llm, "offline", state_dir=ensure_state_dir(root)), Options())
    written = (root / "2022-01-02.md").read_text()
    section = written[written.index("<!-- kbsleep:anticipate") :]
    assert "## Anticipated questions" in section and "06:31" in section  # the routine is quoted...
    assert DATAVIEW_FIELD.search(section) is None, section  # ...as words, not as fields
    assert fields(written) == fields(DAILY)


def test_code_and_names_with_two_colons_are_quoted_as_they_are() -> None:
    assert said_not_set("wake-up:: 06:31 lunch:: 12:00") == "wake-up: 06:31 lunch: 12:00"
    assert said_not_set("(person:: [[Lisa]]) on [due:: 2022-09-20]") == "(person: [[Lisa]]) on [due: 2022-09-20]"
    assert said_not_set("Write `rating:: 5` in a note; std::vector holds them.") == "Write `rating:: 5` in a note; std::vector holds them."
    block = render([QA("When does the routine start?", "wake-up:: 06:31 [[Daily#Metadata]]")], {"source": "x"})
    assert "wake-up: 06:31" in block and "::" not in block
