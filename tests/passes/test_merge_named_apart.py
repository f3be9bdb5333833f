"""Pages whose file names tell them apart are neither duplicates nor merged, and a merge keeps
tables and callouts whole.

A D&D vault keeps each magic item of the 2014 rules beside its 2024 version: "Amulet of Health
(DMG).md" and "Amulet of Health (XDMG).md", one title, nearly one text, two things. File names
that add different qualifiers to one name were chosen to tell two things apart, as Wikipedia's
"Mercury (planet)" and "Mercury (element)" are; a page named without one ("Cobalt.md" beside
"Cobalt (pipeline).md") tells nothing apart. When pages do merge, a table or a callout of the
other page is added whole or not at all: its new row without its header row is no table.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from kbsleep.cli import main
from kbsleep.llm import select_engine
from kbsleep.passes.consolidate import Options, consolidate, evidence
from kbsleep.wiki import open_wiki

DESCRIPTION = (
    "Your Constitution score is 19 while you wear this amulet. It has no effect on you if your "
    "Constitution score is already 19 or higher without it, and it never lowers a score that a "
    "spell or another magic item has raised above that number for as long as it lasts."
)


TABLE = "| Attribute | Value |\n|---|---|\n| Rarity | Rare |\n| Requires Attunement | Yes |\n| Source | {source} |"


def item(source: str, table: str = TABLE) -> str:
    return f"# Amulet of Health\n\n## Item Summary\n\n{table.format(source=source)}\n\n## Description\n\n{DESCRIPTION}\n"


def merge(root: Path) -> None:
    wiki = open_wiki(root)
    consolidate(wiki, select_engine(wiki.config.llm, "offline"), Options(only=("duplicates",), today=datetime.date(2026, 3, 20)))


def test_file_names_with_different_qualifiers_are_two_things_neither_merged_nor_listed(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Items/Amulet of Health (DMG).md": item("DMG"), "Items/Amulet of Health (XDMG).md": item("XDMG")})
    assert evidence.candidates(open_wiki(root)) == evidence.Candidates((), ())
    assert main(["--wiki", str(root), "lint", "--output-format", "concise"]) == 0  # (no duplicate-page either)
    merge(root)
    assert sorted(p.name for p in (root / "Items").iterdir()) == ["Amulet of Health (DMG).md", "Amulet of Health (XDMG).md"]


def test_a_qualifier_on_one_name_only_tells_nothing_apart(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Amulet of Health.md": item("DMG"), "Amulet of Health (copy).md": item("DMG")})
    assert [members for members, _ in evidence.candidates(open_wiki(root)).groups] == [("Amulet of Health (copy).md", "Amulet of Health.md")]


def test_a_table_row_the_survivor_lacks_comes_with_its_table(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({
        "Amulet of Health.md": item("DMG"),
        "Notes/Amulet of Health.md": item("DMG", TABLE + "\n| Weight | 1 lb. |") + "\n> [!note] Found in\n> Found in the vault under the old keep, with a second amulet beside it.\n",
        "Index.md": "[[Amulet of Health]]\n",
    })  # fmt: skip
    merge(root)
    assert not (root / "Notes/Amulet of Health.md").exists()
    merged = (root / "Amulet of Health.md").read_text(encoding="utf-8")
    summary = merged.split("## Item Summary\n\n", 1)[1].split("\n## ", 1)[0]
    assert [block.strip() for block in summary.split("\n\n") if block.strip()] == [TABLE.format(source="DMG"), TABLE.format(source="DMG") + "\n| Weight | 1 lb. |"]
    assert "> [!note] Found in\n> Found in the vault under the old keep" in merged
