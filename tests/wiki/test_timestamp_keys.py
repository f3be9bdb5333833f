"""A frontmatter key that records when the file was made or changed is a fact about the file,
never about its subject: the Linter plugin writes `date created` and `date modified` (its YAML
Timestamp rule's default keys), other plugins `created_at`, `lastmod`, `updated`.

- ask quotes no such line, anticipate asks no question about it ("What is the date modified of
  Signals?"), and `conflicting-facts` compares no two of them;
- a key that only holds a date word but names something else ("release date", "date of birth")
  is the subject's fact as before.
"""

from __future__ import annotations

from kbsleep.passes.citable_units import Passage
from kbsleep.passes.offline_questions import generate
from kbsleep.search.units import units
from kbsleep.wiki.properties import timestamp_key
from tests.lint.support import lint_wiki

STAMPED = """\
---
Week: 9
date created: Wed., Mar. 12, 2025, 1:57:53 pm
Date modified: Thu., Mar. 13, 2025, 12:40:00 am
release date: 2024-05-01
---
# Signals

A signal interrupts a running process.
"""


def test_keys_that_record_when_the_file_changed() -> None:
    keys = ["date created", "Date modified", "createdAt", "created_at", "last_updated", "lastmod", "file mtime", "updated"]
    others = ["date", "release date", "date of birth", "Week", "last reviewed", "created by"]
    assert [k for k in keys + others if timestamp_key(k)] == keys


def test_ask_quotes_no_timestamp_line() -> None:
    assert [u.text for u in units("Signals", STAMPED) if u.kind == "field"] == ["Week: 9", "release date: 2024-05-01"]


def test_anticipate_asks_nothing_about_a_timestamp() -> None:
    questions = [qa.question for qa in generate([Passage("Signals", STAMPED)])]
    assert not any("created" in q or "modified" in q for q in questions)
    assert "What is the week of Signals?" in questions


def test_two_timestamps_of_one_subject_are_no_conflicting_facts(make_repo) -> None:
    root = make_repo({
        "Mara Ilves.md": "---\ndate modified: 2025-01-01\nborn: 1952\n---\n# Mara Ilves\n\nMarine biologist.\n",
        "Crew.md": "# Crew\n\n- [[Mara Ilves]] (date modified:: 2024-06-01)\n- [[Mara Ilves]] (born:: 1953)\n",
    })  # fmt: skip
    assert [(d.code, d.path, d.location.line) for d in lint_wiki(root, "conflicting-facts").diagnostics] == [
        ("KB401", "Crew.md", 4),  # the birth year only
    ]  # fmt: skip


# `updated:: 2022-04-07` in front matter (a Dataview inline field's habit) is the YAML key
# `updated:`; marks around the words do not change what the key says.
MARKED = """\
---
title: Folder lists
updated:: 2022-04-07 16:23:42
created:: 2022-04-07 16:13:42
date.modified: 2022-04-08
season: spring
---
# Folder lists

A folder list is a note that links every note in its folder.
"""


def test_a_timestamp_key_with_marks_around_its_words() -> None:
    assert [k for k in ["updated:", "created:", "date.modified", "(lastmod)", "season:", "release date:"] if timestamp_key(k)] == [
        "updated:", "created:", "date.modified", "(lastmod)",
    ]  # fmt: skip
    questions = [qa.question for qa in generate([Passage("Folder lists", MARKED)])]
    assert not any("created" in q or "updated" in q or "modified" in q for q in questions)
    assert "What is the season of Folder lists?" in questions
