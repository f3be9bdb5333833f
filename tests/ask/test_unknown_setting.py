"""A question set in a place the wiki never mentions ("... on macOS", "... in Kubernetes") is not
answered from a page on another: the wiki says nothing of doing it there.

Seen on a public student's Zettelkasten: "How do I install Docker on macOS?" got the Debian
install steps of the Docker page, in a vault that never says "macOS".
"""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.abstain import unknown_setting
from kbsleep.search.question import analyse

BREW = """\
A tool to brew tea in small batches.
# Installation
### Debian
1. `sudo apt install brewtool`
2. `brewtool init`
### Arch
1. `sudo pacman -S brewtool`
"""


def _wiki(make_repo) -> Path:  # type: ignore[no-untyped-def]
    return make_repo({
        "Tools/Brewtool.md": BREW, "Tools/Kettle.md": "A kettle boils water for tea.\n",
        "Notes/Debian.md": "A Linux distribution with the apt package manager.\n",
    })  # fmt: skip


def _ask(root: Path, question: str) -> str:
    return ask(root, load_config(root), question, engine="offline", record=False).text


def _why(root: Path, question: str) -> tuple[bool, str]:
    answer = ask(root, load_config(root), question, engine="offline", record=False)
    return answer.found, answer.why


def test_a_place_the_wiki_never_mentions_is_not_answered_from_another(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = _wiki(make_repo)
    assert _why(root, "How do I install Brewtool on Windows?") == (False, "the wiki never mentions Windows")
    assert _why(root, "What is the command to install Brewtool on Gentoo?") == (False, "the wiki never mentions Gentoo")


def test_a_place_the_wiki_mentions_is_answered(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = _wiki(make_repo)
    assert "sudo apt install brewtool" in _ask(root, "How do I install Brewtool on Debian?")



def test_the_asker_s_own_machine_is_no_place_the_wiki_must_name() -> None:
    never = {"thinkpad": 0, "brewtool": 3}
    assert unknown_setting(analyse("How do I install Brewtool on Thinkpad?"), never) == ["thinkpad"]
    assert unknown_setting(analyse("How do I install Brewtool on my Thinkpad?"), never) == []


def test_a_name_with_a_capital_inside_is_a_name(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = _wiki(make_repo)
    assert _why(root, "How do I install Brewtool on macOS?") == (False, "the wiki never mentions macOS")
    assert analyse("Does it run on an iPhone?").named == ("iphone",)
