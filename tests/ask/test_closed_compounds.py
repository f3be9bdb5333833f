"""A phrasal verb the question asks with ("times out", "log in", "set up") is the one word the
page writes ("timeout", "login", "setup"): the sentence holding that word answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.compounds import closed_compounds
from kbsleep.search.units import units
from kbsleep.search.words import stem

SESSIONS = """\
# Sessions

A session is kept on the server for 7 days.

A session hits the timeout after 30 minutes of silence.
"""

@pytest.mark.parametrize(
    ("question", "word", "verb"),
    [
        ("How long before a session times out?", "timeout", "times"),
        ("Where do I log in?", "login", "log"),
        ("How do I set up sync?", "setup", "set"),
        ("Which file do I back-up?", "backup", "back"),
    ],
)
def test_the_page_word_written_closed_stands_for_the_question_verb(question: str, word: str, verb: str) -> None:
    found = units("Page", f"The {word} is described here.")
    assert closed_compounds(question, found) == {stem(word): stem(verb)}


def test_a_word_that_only_ends_like_the_particle_stands_for_nothing() -> None:
    found = units("Page", "Open the main plugin window within the app.")
    assert closed_compounds("How do I sign in to the app?", found) == {}


def test_a_duration_question_asked_with_a_phrasal_verb_gets_the_timeout(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Sessions.md": SESSIONS})
    text = ask(root, load_config(root), "How long before a session times out?", engine="offline", record=False).text
    assert "30 minutes" in text
