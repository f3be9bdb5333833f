"""Facts a template filled in say nothing when their value is blank or is the page's own name.

Seen on a public D&D campaign vault (every NPC page starts `name: <its own name>`, blank fields
are `species:` or an infobox cell holding `-` behind an IQ-plugin comment): "What kind of
creature is Toodle?" was answered "Toodle, name: Toodle.", and a question the vault cannot
answer ("What is the name of Thornhaven's blacksmith?") got "Thornhaven, name: Thornhaven.".
"""

from __future__ import annotations

from kbsleep.search.blocks import plain
from kbsleep.search.units import units

NPC = """\
---
name: Toodle
status: Unconscious
species: Construct
occupation:
---
> | Type | Stat |
> | ---- | ---- |
> | **Player** | <!-- IQ: =this.player -->Marco<!-- /IQ --> |
> | **Class** | <!-- IQ: =this.class -->-<!-- /IQ --> |

## Notes
- Summoned by [[Mr Mayfair]] 300 years ago
"""


def texts(name: str, text: str) -> list[str]:
    return [u.text for u in units(name, text)]


def test_a_name_field_that_is_the_page_s_own_name_is_no_fact() -> None:
    found = texts("Toodle", NPC)
    assert "name: Toodle" not in found
    assert found[:2] == ["status: Unconscious", "species: Construct"]


def test_a_name_field_in_other_words_is_a_fact() -> None:
    assert "name: Toodle the Tireless" in texts("Toodle", NPC.replace("name: Toodle", "name: Toodle the Tireless"))


def test_another_key_whose_value_is_the_file_name_stays_a_fact() -> None:
    # a plugin's id is its file name, and readers ask for it
    assert texts("obsidian-git", "---\nplugin-id: obsidian-git\n---\nBack up a vault with git.\n")[0] == "plugin-id: obsidian-git"


def test_a_cell_holding_only_a_dash_is_blank() -> None:
    found = texts("Toodle", NPC)
    assert "Player: Marco" in found
    assert not any(t.startswith("Class") for t in found)


def test_a_wider_row_leaves_its_blank_cells_out() -> None:
    table = "| Player | Character | Class | Species |\n| --- | --- | --- | --- |\n| Marco | [[Kass]] | - | — |\n| Zarah | [[Aeris]] | Bard | Elf |\n"
    assert texts("Party", table) == ["Player: Marco; Character: Kass", "Player: Zarah; Character: Aeris; Class: Bard; Species: Elf"]


def test_an_html_comment_inside_a_line_is_not_shown() -> None:
    assert plain("Marco <!-- IQ: =this.player --> plays <!-- hidden -->Kass") == "Marco plays Kass"
