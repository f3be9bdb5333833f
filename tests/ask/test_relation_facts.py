"""A question that names one side of a relation ("Which themes did kepano design?") is answered
by the facts that state it on the other side's pages ("Designed by: kepano" on Minimal's page and
on Flexoki's), each named by its page; a fact that only repeats its own page's name states no
relation."""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.facts import relates
from kbsleep.search.question import analyse
from kbsleep.search.words import stem

THEMES = {
    "Themes/Minimal.md": "# Minimal\n\nDesigned by: [[kepano]]\nModes: dark, light\n\nA distraction-free theme.\n",
    "Themes/Flexoki.md": "# Flexoki\n\nDesigned by: [[kepano]]\nModes: dark, light\n\nAn inky colour scheme.\n",
    "Themes/Things.md": "# Things\n\nDesigned by: [[colineckert]]\nModes: light\n\nA theme after the Things app.\n",
    "People/kepano.md": "# @kepano\n\n- GitHub: [kepano](https://github.com/kepano/)\n- Website: <https://example.org/kepano>\n\nAn Obsidian person.\n",
    "Roundup.md": "# Roundup\n\n- Here's a snippet designed to overlap themes, with popular features from different themes.\n",
}


def _ask(root: Path, question: str) -> str:
    return ask(root, load_config(root), question, engine="offline", record=False).text


def test_which_things_a_person_made_gets_the_fact_on_each_of_their_pages(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(THEMES)
    assert _ask(root, "Which themes did kepano design?") == "Minimal, designed by: kepano. Flexoki, designed by: kepano."


def test_who_made_one_thing_still_gets_its_own_fact(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(THEMES)
    assert _ask(root, "Who designed Things?") == "Things, designed by: colineckert."


def test_a_fact_repeating_its_own_page_s_name_states_no_relation() -> None:
    weights = {stem(t): 1.0 for t in analyse("What is the plugin id of Obsidian Git?").terms}
    assert not relates("Plugin ID: obsidian-git", weights, "obsidian-git")
    assert relates("Developed by: denolehov", {stem(t): 1.0 for t in analyse("Which plugins did denolehov develop?").terms}, "obsidian-git")
    assert not relates("Mobile compatible: Yes", weights, "obsidian-git")
