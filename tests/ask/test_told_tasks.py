"""A how-to is answered from a page that says its task: when the best-matching sentence sits on a
page that never says the question's verb, a sentence on a page that does, scoring half as well,
answers instead of "Not in the wiki"."""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config

TOOL = """\
# Quill command-line tool

The Quill command-line tool lets you work with your notes from the terminal.

It prints its output as text or as JSON.
"""

SETUP = """\
# Setting up

Quill runs on any computer with Node.

## Optional extras

Its command-line tool can be installed from npm: `npm install -g quill-cli`
"""


def _ask(root: Path, question: str) -> str:
    return ask(root, load_config(root), question, engine="offline", record=False).text


def test_a_how_to_is_answered_from_the_page_that_says_its_task(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Quill command-line tool.md": TOOL, "Setting up.md": SETUP})
    assert "npm install -g quill-cli" in _ask(root, "How do I install the Quill command-line tool?")


def test_a_how_to_no_page_says_stays_unanswered(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Quill command-line tool.md": TOOL, "Setting up.md": SETUP.replace("can be installed from npm", "is on npm")})
    assert _ask(root, "How do I uninstall the Quill command-line tool?").startswith("Not in the wiki")


def test_a_sentence_that_shows_no_way_does_not_answer_for_the_page_that_never_says_the_task(make_repo) -> None:  # type: ignore[no-untyped-def]
    described = SETUP.replace("Its command-line tool can be installed from npm: `npm install -g quill-cli`", "The Quill command-line tool was installed on every lab computer in 2020.")
    root: Path = make_repo({"Quill command-line tool.md": TOOL, "Setting up.md": described})
    assert _ask(root, "How do I install the Quill command-line tool?").startswith("Not in the wiki")
