"""A fact whose key is an acronym of what the question writes out answers it ("AC: 16" for "What
is Jinx's armor class?"), quoted with its key as written (issue 19, answers that answer)."""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.alike import shared, stands_for
from kbsleep.search.units import units
from kbsleep.search.words import stem

JINX = """\
---
class: Sorcerer
---
# Jinx

She wears traveler's clothes over light armour and keeps a dagger strapped to her forearm.

## Notes

**HP:** 50 | **AC:** 16 (Draconic Resilience: 13 + DEX +3)
**Speed:** 30 ft | **Initiative:** +3

**Equipment:** Traveler's clothes, light armor, dagger

- Draconic Resilience: +6 max HP, unarmored AC = 13 + DEX
"""


def test_an_acronym_stands_for_the_words_whose_initials_it_spells() -> None:
    found = units("Jinx#Notes", "**HP:** 50 | **AC:** 16\n")
    alike = stands_for(("jinx", "armor", "class"), found, None)
    assert shared("AC: 16", alike) >= {stem("armor"), stem("class")}
    assert "jinx" not in shared("HP: 50", alike)  # "HP" spells no words of the question


def test_a_fact_keyed_by_what_is_asked_answers_and_keeps_its_key_as_written(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Party/Jinx.md": JINX, "Toodle.md": "# Toodle\n\nJinx took her powered-down body with him.\n"})
    got = ask(root, load_config(root), "What is Jinx's armor class?", engine="offline", record=False)
    assert got.text == "Jinx, HP: 50 | AC: 16 (Draconic Resilience: 13 + DEX +3)."


def test_a_fact_whose_key_is_what_is_asked_answers_though_it_is_in_the_frontmatter(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({
        "projects/Cobalt.md": "---\nlicense: Apache-2.0\n---\n# Cobalt\n\nCobalt is a data pipeline.\n\n## Licensing\n\nCobalt was initially internal-only.\n\nlicense_decided:: 2023-11-14\n",
        "sources/Cobalt Design Memo.md": "# Cobalt Design Memo\n\n## Ingest notes\n\nThe memo predates the licensing decision; it assumed Cobalt would stay internal.\n",
        **{f"places/Site {n}.md": f"# Site {n}\n\nA field station used by Cobalt's users.\n" for n in range(4)},
    })  # fmt: skip
    got = ask(root, load_config(root), "Which license does Cobalt use?", engine="offline", record=False)
    assert got.text == "Cobalt, license: Apache-2.0."


def test_an_acronym_a_page_spells_out_stands_for_the_words_of_it_the_question_writes() -> None:
    # "Boundary Element Method (BEM)": a question saying "boundary element" asks about BEM
    found = units("bem", "Workflow using the Boundary Element Method (BEM) for sound.\n\n## Sizing\n\n- BEM Acoustics needs 8 elements.\n")
    alike = stands_for(["fine", "boundary", "element", "acoustic"], found, None)
    assert alike[stem("bem")] == f"{stem('boundary')} {stem('element')}"
    assert {stem("boundary"), stem("element")} <= shared("BEM Acoustics Sizing", alike)
    # one word of the three is no run of them; words that spell another acronym are none of it
    assert stem("bem") not in stands_for(["boundary", "mesh"], found, None)
    assert stem("bem") not in stands_for(["fine", "boundary", "element"], units("x", "The Finite Element Method (BEM) is odd.\n"), None)
