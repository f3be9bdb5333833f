"""What `anticipate` writes offline for a list of tasks: reading view shows a checkbox, never
`[x]`, and any mark in the box means the task is complete (help, *Basic formatting syntax*,
"Task lists"). Seen on kepano's vault: "What is Minimal Theme's to-do?" was answered
"[x] Color schemes; [x] E-ink mode; [x] Mobile support"."""

from __future__ import annotations

from kbsleep.llm.model import Passage
from kbsleep.passes.offline_questions import generate

THEME = """\
# Minimal Theme

A theme for Obsidian.

## To-do

- [x] Color schemes
- [ ] Mobile support
- [-] E-ink mode
"""


def test_a_task_is_quoted_as_reading_view_shows_it_with_its_state_in_words() -> None:
    [answer] = [qa.answer for qa in generate([Passage("Minimal Theme", THEME)]) if "to-do" in qa.question]
    assert "[x]" not in answer and "[ ]" not in answer and "[-]" not in answer
    assert answer.startswith("Color schemes (done); mobile support; E-ink mode (done).")
