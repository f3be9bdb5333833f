"""A merge relinks a link in a `%% comment %%` as it relinks any other: Obsidian's metadata
cache keeps the comment's link, so the survivor keeps it as a backlink (docs/obsidian.md,
"Comments, code, and kbsleep's fences"). Nothing else in the comment changes."""

from __future__ import annotations

import pytest

from kbsleep.cli import main

PROSE = "Orion is a survey ship of the northern fleet, built in 2031 at the Evra yards. It carries a crew of twelve and two landers.\n\n## Crew\n\nTwelve people.\n"


def test_a_merge_relinks_the_links_in_comments_to_the_survivor(make_repo, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({
        "a/Orion.md": "# Orion\n\n" + PROSE,
        "b/Orion.md": "# Orion\n\n" + PROSE,
        "Index.md": "# Index\n\n[[b/Orion]] [[Notes]] [[Other]]\n",
        "Other.md": "# Other\n\n[[b/Orion]]\n",
        "Notes.md": "# Notes\n\nSee [[a/Orion]].\n\n%% check [[a/Orion#Crew]] %%\n\n%%\nTo do: [[a/Orion|the ship]]\n%%\n",
    })  # fmt: skip
    assert main(["--wiki", str(repo), "consolidate", "--only", "duplicates", "--engine", "offline"]) == 0
    capsys.readouterr()
    assert not (repo / "a/Orion.md").exists()
    assert (repo / "Notes.md").read_text(encoding="utf-8") == "# Notes\n\nSee [[Orion]].\n\n%% check [[Orion#Crew]] %%\n\n%%\nTo do: [[Orion|the ship]]\n%%\n"
