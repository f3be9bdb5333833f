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


# -- members of different owners, and folder pages ----------------------------------------------

SIGNATURE = (
    "Sets the tooltip shown when the pointer rests on the component, replacing any tooltip set "
    "before, and returns the component so that calls can be chained one after another."
)


def member(owner: str, name: str = "setTooltip", alias: str | None = None) -> str:
    alias = f"{owner}.{name}" if alias is None else alias
    return (
        f"---\naliases: \"{alias}\"\n---\n\n[`{owner}`]({owner}) › [`{name}`]({owner}/{name})\n\n"
        f"## {owner}.{name}() method\n\n{SIGNATURE}\n\n## Parameters\n\n| Parameter | Type |\n| --- | --- |\n| tooltip | string |\n"
    )


def duplicate_pairs(root: Path) -> list[tuple[str, str]]:
    from kbsleep.lint import Selection, lint

    report = lint(open_wiki(root), Selection(select=("duplicate-page",)))
    return sorted((d.path, d.related[0].path) for d in report.diagnostics)


def test_members_of_different_owners_are_two_things_neither_merged_nor_listed(make_repo) -> None:  # type: ignore[no-untyped-def]
    files = {
        "API/ButtonComponent/setTooltip.md": member("ButtonComponent"),
        "API/ExtraButtonComponent/setTooltip.md": member("ExtraButtonComponent"),
        "API/Setting/setTooltip.md": member("Setting", alias="Setting::setTooltip"),
    }
    root: Path = make_repo(files)
    assert duplicate_pairs(root) == []
    assert evidence.candidates(open_wiki(root)) == evidence.Candidates((), ())
    merge(root)
    assert all((root / path).is_file() for path in files)


def test_one_owner_named_twice_is_still_one_thing(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({
        "API/ButtonComponent/setTooltip.md": member("ButtonComponent"),
        "Old/ButtonComponent/setTooltip.md": member("ButtonComponent"),
        "Drafts/setTooltip.md": member("ButtonComponent", alias="Tooltip setter"),  # no owner given: nothing told apart
    })  # fmt: skip
    assert duplicate_pairs(root) == [
        ("Drafts/setTooltip.md", "API/ButtonComponent/setTooltip.md"),
        ("Old/ButtonComponent/setTooltip.md", "API/ButtonComponent/setTooltip.md"),
        ("Old/ButtonComponent/setTooltip.md", "Drafts/setTooltip.md"),
    ]


GUIDE = (
    "This folder holds all of my notes and study material, written while studying for the {exam} "
    "certification. These are my own notes, made for my own learning, and any outside reference is "
    "linked where it is used. Some links are relative to the whole vault, not to this folder."
)


def test_two_folders_readme_pages_are_two_things_neither_merged_nor_listed(make_repo) -> None:  # type: ignore[no-untyped-def]
    files = {
        "OSCP/README.md": f"# OSCP Study Guide\n\n{GUIDE.format(exam='OSCP')}\n",
        "CWP/README.md": f"# CWP Study Guide\n\n{GUIDE.format(exam='CWP')}\n",
        "Networking/index.md": f"# Networking\n\n{GUIDE.format(exam='OSCP')}\n",
    }
    root: Path = make_repo(files)
    assert duplicate_pairs(root) == []
    assert evidence.candidates(open_wiki(root)) == evidence.Candidates((), ())
    merge(root)
    assert all((root / path).is_file() for path in files)


def test_a_folder_page_and_a_page_of_its_title_can_still_be_one_thing(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({
        "OSCP/README.md": f"---\ntitle: OSCP Study Guide\n---\n\n{GUIDE.format(exam='OSCP')}\n",
        "OSCP Study Guide.md": f"# OSCP Study Guide\n\n{GUIDE.format(exam='OSCP')}\n",
    })  # fmt: skip
    assert duplicate_pairs(root) == [("OSCP/README.md", "OSCP Study Guide.md")]
