"""`kbsleep lint --fix` in a table: a fixed link keeps its row's cells.

In a table cell a link's `|` is written `\\|` (help vault, "Advanced formatting syntax" >
"Vertical bars in tables"). A fix that writes a bare `|` there ends the cell inside the link:
Obsidian shows `[[Kestrel Rover` and `Kestrel]]` and drops the row's last cell.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kbsleep.cli import main
from kbsleep.wiki.parse import parse_page

KESTREL = b"---\naliases: [Kestrel]\n---\n# Kestrel Rover\n\n## Specs\n\nSix wheels.\n"
FLEET_BEFORE = (
    b"# Fleet\n"
    b"\n"
    b"| Vehicle | Notes |\n"
    b"| --- | --- |\n"
    b"| [[Kestrel]] | by alias |\n"
    b"| [[Kestrel Rovr]] | misspelt |\n"
    b"| [[Kestrel Rovr\\|the rover]] | with display text |\n"
    b"| [[Kestrel Rovr#Specs\\|specs]] | with an anchor |\n"
    b"| ![[Kestrel Rovr]] | an embed |\n"
    b"| [[Kestrel#Specs]] \\| [[Kestrel]] | two in a cell, a bar between |\n"
    b"\n"
    b"Saw [[Kestrel]] and [[Kestrel Rovr|the rover]].\n"
)
FLEET_AFTER = (
    b"# Fleet\n"
    b"\n"
    b"| Vehicle | Notes |\n"
    b"| --- | --- |\n"
    b"| [[Kestrel Rover\\|Kestrel]] | by alias |\n"
    b"| [[Kestrel Rover]] | misspelt |\n"
    b"| [[Kestrel Rover\\|the rover]] | with display text |\n"
    b"| [[Kestrel Rover#Specs\\|specs]] | with an anchor |\n"
    b"| ![[Kestrel Rover]] | an embed |\n"
    b"| [[Kestrel Rover#Specs\\|Kestrel]] \\| [[Kestrel Rover\\|Kestrel]] | two in a cell, a bar between |\n"
    b"\n"
    b"Saw [[Kestrel Rover|Kestrel]] and [[Kestrel Rover|the rover]].\n"  # a paragraph's bar: as before
)


@pytest.fixture
def fleet(make_repo) -> Path:  # type: ignore[no-untyped-def]
    return make_repo({"index.md": b"# Index\n\n[[Fleet]] [[Kestrel Rover]]\n", "Kestrel Rover.md": KESTREL, "Fleet.md": FLEET_BEFORE})


def cells(text: bytes) -> dict[int, list[str]]:
    """Each table row's cells, by line, as the parser reads them."""
    page = parse_page("Fleet.md", text)
    rows: dict[int, list[str]] = {}
    for block in page.blocks:
        if 3 <= block.line <= 10:
            rows.setdefault(block.line, []).append(block.text)
    return rows


def test_fixed_links_in_a_table_keep_their_cells(fleet: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--wiki", str(fleet), "lint", "--fix", "--output-format", "concise"])
    out, err = capsys.readouterr()

    assert (fleet / "Fleet.md").read_bytes() == FLEET_AFTER
    assert err == "Fixed 9 problems in 1 page.\n"
    assert (code, out) == (0, "")
    after = cells(FLEET_AFTER)
    assert {line: len(row) for line, row in after.items()} == {line: 2 for line in range(3, 11) if line != 4}
    assert after[5] == ["[[Kestrel Rover|Kestrel]]", "by alias"]  # the cell as Obsidian reads it
    page = parse_page("Fleet.md", FLEET_AFTER)
    assert [(link.line, link.target, link.anchor, link.display, link.kind) for link in page.links if link.in_table] == [
        (5, "Kestrel Rover", "", "Kestrel", "wikilink"),
        (6, "Kestrel Rover", "", None, "wikilink"),
        (7, "Kestrel Rover", "", "the rover", "wikilink"),
        (8, "Kestrel Rover", "Specs", "specs", "wikilink"),
        (9, "Kestrel Rover", "", None, "embed"),
        (10, "Kestrel Rover", "Specs", "Kestrel", "wikilink"),
        (10, "Kestrel Rover", "", "Kestrel", "wikilink"),
    ]


def test_a_second_fix_changes_nothing(fleet: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--wiki", str(fleet), "lint", "--fix"])
    capsys.readouterr()
    assert main(["--wiki", str(fleet), "lint", "--fix"]) == 0
    assert (fleet / "Fleet.md").read_bytes() == FLEET_AFTER


def test_the_json_fix_replaces_the_bytes_the_file_holds(fleet: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A tool that applies the JSON edits itself (as ruff's consumers do) gets the same file."""
    main(["--wiki", str(fleet), "lint", "--select", "broken-link", "--select", "alias-link", "--output-format", "json"])
    records = json.loads(capsys.readouterr().out)
    lines = FLEET_BEFORE.decode().split("\n")
    edits = sorted(((e["location"]["row"], e["location"]["column"], e["end_location"]["column"], e["content"]) for r in records for e in r["fix"]["edits"]), reverse=True)
    assert len(edits) == 9
    for row, start, end, content in edits:  # right to left
        lines[row - 1] = lines[row - 1][: start - 1] + content + lines[row - 1][end - 1 :]
    assert "\n".join(lines).encode() == FLEET_AFTER
    hints = {(r["location"]["row"], r["hint"]) for r in records if r["name"] == "alias-link"}
    assert (5, "write `[[Kestrel Rover\\|Kestrel]]`") in hints  # what to type in the cell
    assert (12, "write `[[Kestrel Rover|Kestrel]]`") in hints
