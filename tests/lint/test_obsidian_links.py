"""broken-link and broken-anchor on the link forms of Obsidian's own help vault: what opens in
Obsidian is not reported, what Obsidian shows broken is."""

from __future__ import annotations

import pytest

from kbsleep.cli import main
from tests.conftest import git
from tests.lint.support import describe, lint_wiki

# The cases of obsidianmd/obsidian-help (en/) that lint once reported falsely, next to ones that
# are truly broken there, in pages of the same shape.
HELP_VAULT = {
    "Attachments/bases-noshadow.png": b"\x89PNG",
    "Attachments/version-history-collaboration.png": b"\x89PNG",
    "Bases/Introduction to Bases.md": "# Introduction\n\n![Example of a base](bases-noshadow.png#interface)\n",
    "Bases/Functions.md": "# Functions\n\n### `hasTag()`\n\nA function.\n",
    "Editing and formatting/Tags.md": "# Tags\n\n[[Functions#hasTag|`hasTag`]] and [[Functions#hasTags]]\n",
    "Obsidian Sync/Frequently asked questions.md": "# FAQ\n\n### How large can each remote vault be?\n\n10 GB.\n",
    "Obsidian Sync/Status.md": "# Status\n\nOver the [[Frequently asked questions#How large can each remote vault be|maximum]].\n",
    "Obsidian Sync/Collaborate on a shared vault.md": "# Collaborate\n\n![[version-history-collaboration.png]]^version-history-image\n",
    "Obsidian Sync/Version history.md": (
        "# Version history\n\n![[Collaborate on a shared vault#^version-history-image]]\n"
        "![[Collaborate on a shared vault#^version-history]]\n"
    ),
    "Linking notes and files/Internal links.md": (
        "# Internal links\n\n"
        "- `[[Example]]` displays as [[Example]]\n"
        "- `[Custom name](Example.md)` appears as [Custom name](Example.md)\n"
    ),
}

EXPECTED = """\
Editing and formatting/Tags.md:3:35: KB102 heading `hasTags` not found in Bases/Functions.md
    hint: did you mean `#`hasTag()``?
Linking notes and files/Internal links.md:3:29: KB101 broken link: `[[Example]]` matches no page or attachment
Linking notes and files/Internal links.md:4:42: KB101 broken Markdown link: `Example.md` matches no page or attachment
Obsidian Sync/Version history.md:4:1: KB102 block `^version-history` not found in Obsidian Sync/Collaborate on a shared vault.md
"""


def test_the_help_vault_link_forms_report_only_what_obsidian_shows_broken(make_repo) -> None:
    report = lint_wiki(make_repo(HELP_VAULT), "KB101", "KB102")
    assert describe(report.diagnostics) == EXPECTED


def test_a_staged_delete_reports_markdown_links_by_file_name_it_breaks(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    """A Markdown link by file name opens a file in another folder: deleting that file breaks
    it, and a pre-commit run (`--staged`) reports the page, which the commit does not touch."""
    root = make_repo({
        "img/orion-pump.png": b"\x89PNG",
        "people/Mara Ilves.md": "# Mara Ilves\n\nDrives the [[Rover]].\n",
        "Rover.md": "# Rover\n\nDriven by [Mara](<Mara Ilves.md>).\n",
        "guides/Gallery.md": "# Gallery\n\n![Pump](orion-pump.png) of the [[Rover]]\n",
    })  # fmt: skip
    git(root, "rm", "-q", "img/orion-pump.png", "people/Mara Ilves.md")
    assert main(["--wiki", str(root), "lint", "--staged", "--output-format", "concise", "--select", "KB101"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "Rover.md:3:11: KB101 broken Markdown link: `Mara Ilves.md` matches no page or attachment",
        "guides/Gallery.md:3:1: KB101 broken Markdown link: `orion-pump.png` matches no page or attachment",
    ]


def test_a_markdown_link_by_a_shared_file_name_is_ambiguous_like_a_wikilink(make_repo) -> None:
    root = make_repo({
        "guides/Overview.md": "# Guides\n\n[up](../Home.md)\n",
        "places/Overview.md": "# Places\n\n[up](/Home.md)\n",
        "Home.md": "# Home\n\n[o](Overview.md) [[Overview]] [g](guides/Overview.md)\n",
    })  # fmt: skip
    assert describe(lint_wiki(root, "KB104").diagnostics) == """\
Home.md:3:1: KB104 `Overview.md` matches 2 pages; Obsidian opens guides/Overview.md or places/Overview.md (as near, paths as long: which one, the files do not decide)
    hint: write the path of the page meant: `guides/Overview.md` or `places/Overview.md`
    related: places/Overview.md:1: another page of the same name
Home.md:3:18: KB104 `[[Overview]]` matches 2 pages; Obsidian opens guides/Overview.md or places/Overview.md (as near, paths as long: which one, the files do not decide)
    hint: write the path of the page meant: `[[guides/Overview]]` or `[[places/Overview]]`
    related: places/Overview.md:1: another page of the same name
"""
