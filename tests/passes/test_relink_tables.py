"""consolidate's relinking (`pagetext.relink`, a merge's inbound links) in a table: a rewritten
link keeps its row's cells, and the edit replaces the bytes the file holds (`[[T\\|x]]` in a
cell, where the parser's `Link.raw` is `[[T|x]]`; help vault, "Advanced formatting syntax" >
"Vertical bars in tables")."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.cli import main
from kbsleep.passes.consolidate.pagetext import relink
from kbsleep.wiki.parse import parse_page
from tests.conftest import git

ROWS = (
    "| Ship | Notes |\n"
    "| --- | --- |\n"
    "| [[The Orion]] | by alias |\n"
    "| [[a/Orion\\|the ship]] | with display text |\n"
    "| [[a/Orion#Crew\\|crew]] | with an anchor |\n"
    "| ![[a/Orion]] | an embed |\n"
    "| [[a/Orion]] | by path |\n"
)
FLEET = "# Fleet\n\n" + ROWS + "\nIn prose: [[The Orion]] and [[a/Orion|the ship]].\n"


@pytest.mark.parametrize(
    ("line", "display", "old", "new"),
    [
        (5, "The Orion", "[[The Orion]]", "[[Orion\\|The Orion]]"),
        (6, "the ship", "[[a/Orion\\|the ship]]", "[[Orion\\|the ship]]"),
        (7, "crew", "[[a/Orion#Crew\\|crew]]", "[[Orion#Crew\\|crew]]"),
        (8, None, "![[a/Orion]]", "![[Orion]]"),
        (9, None, "[[a/Orion]]", "[[Orion]]"),
        (11, "The Orion", "[[The Orion]]", "[[Orion|The Orion]]"),  # in a paragraph: as before
    ],
)
def test_relink_replaces_the_written_link_with_one_for_where_it_is(line: int, display: str | None, old: str, new: str) -> None:
    page = parse_page("Fleet.md", FLEET.encode())
    link = next(link for link in page.links if link.line == line)
    assert relink(page, link, "b/Orion.md", "Orion", display) == (line, link.column, old, new)


def test_relink_of_a_link_not_where_the_page_says_is_none() -> None:
    page = parse_page("Fleet.md", FLEET.encode())
    link = next(link for link in page.links if link.line == 6)
    assert relink(page, link._replace(column=link.column + 1), "b/Orion.md", "Orion", "the ship") is None


PROSE = "Orion is a survey ship of the northern fleet, built in 2031 at the Evra yards. It carries a crew of twelve and two landers.\n\n## Crew\n\nTwelve people.\n"


def test_a_merge_relinks_a_table_without_splitting_its_rows(make_repo, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({
        "a/Orion.md": "---\naliases: [The Orion]\n---\n# Orion\n\n" + PROSE,
        "b/Orion.md": "# Orion\n\n" + PROSE,
        "Index.md": "# Index\n\n[[b/Orion]] [[Fleet]]\n",
        "Other.md": "# Other\n\n[[b/Orion]] [[Index]]\n",
        "Fleet.md": FLEET,
    })  # fmt: skip
    assert main(["--wiki", str(repo), "consolidate", "--only", "duplicates", "--engine", "offline"]) == 0
    capsys.readouterr()

    assert not (repo / "a/Orion.md").exists()
    fleet = (repo / "Fleet.md").read_text(encoding="utf-8")
    assert fleet == (
        "# Fleet\n\n"
        "| Ship | Notes |\n"
        "| --- | --- |\n"
        "| [[Orion\\|The Orion]] | by alias |\n"
        "| [[Orion\\|the ship]] | with display text |\n"
        "| [[Orion#Crew\\|crew]] | with an anchor |\n"
        "| ![[Orion]] | an embed |\n"
        "| [[Orion]] | by path |\n"
        "\nIn prose: [[Orion|The Orion]] and [[Orion|the ship]].\n"
    )
    page = parse_page("Fleet.md", fleet.encode())
    rows = [[b.text for b in page.blocks if b.line == line] for line in range(5, 10)]
    assert [row[1] for row in rows] == ["by alias", "with display text", "with an anchor", "an embed", "by path"]
    assert all(len(row) == 2 for row in rows)
    assert [(link.target, link.display) for link in page.links if link.in_table] == [
        ("Orion", "The Orion"), ("Orion", "the ship"), ("Orion", "crew"), ("Orion", None), ("Orion", None),
    ]  # fmt: skip
    assert git(repo, "status", "--porcelain") == ""
