"""Which H1 is a page's title: the one atop the page, alone, that names what the file name names.

Obsidian names a note by its file name; an H1 title is an LLM wiki's convention. Zettelkasten and
course-notes vaults use H1s as section headings (see `kbsleep.wiki.properties.heading_title`) (`# Software` halfway down `MacOS.md`, `# Todo`
and `# Thoughts` in every daily note), and reading those as titles made `[[Software]]` an
alias-link with a rewrite to `[[MacOS|Software]]`, and every daily note a duplicate of the others.
A `title` property always wins; a page with no title heading is named by its file name.
What the rule still takes for a title: a lone H1 atop the page that repeats a word of the file
name but names a part (`# Method` atop `CDF Method.md`).
"""

from __future__ import annotations

import pytest

from kbsleep.lint import Selection, lint
from kbsleep.wiki import open_wiki
from kbsleep.wiki.parse import parse_page


def title_of(make_repo, name: str, text: str) -> str:
    return open_wiki(make_repo({name: text})).pages[name].title


@pytest.mark.parametrize(
    ("name", "text", "title"),
    [
        ("people/mara-ilves.md", "# Mara Ilves\n\nBorn 1952.\n", "Mara Ilves"),
        ("Kestrel Rover.md", "---\naliases: [Kestrel]\n---\n\n# Kestrel Rover\n\nSix wheels.\n", "Kestrel Rover"),
        ("Dev Arunachalam.md", "# Devendra Arunachalam\n\n## Work\n\nTides.\n", "Devendra Arunachalam"),
        ("model_flops_utilization_mfu.md", "# Model FLOPs Utilization (MFU)\n\nA ratio.\n", "Model FLOPs Utilization (MFU)"),
        ("ComputationModel.md", "# Computation model\n\nText.\n", "Computation model"),  # camelCase file names split
        ("index.md", "# Evra Coast wiki — index\n\n- [[A]]\n", "Evra Coast wiki — index"),
        ("Tides.md", "Setext title\n============\n\nText.\n", "Tides"),  # shares no word: a section
        ("Tide notes.md", "Tide notes\n==========\n\nText.\n", "Tide notes"),
        ("people/connerohnesorge.md", "# Conner Ohnesorge\n\n- GitHub\n", "Conner Ohnesorge"),  # a handle: words run together
        # obsidian-hub: a footer H1 after a comment is no sibling section
        ("Tern.md", "# Tern\n\nA boat.\n\n%% Hub footer: Please don't edit anything below this line %%\n\n# This note in GitHub\n\nEdit\n", "Tern"),
        ("boats/RV Tern.md", "# Tern\n\nA boat.\n\n<!-- footer -->\n# This note in GitHub\n", "Tern"),
    ],
)
def test_an_h1_atop_the_page_alone_and_sharing_a_word_with_the_file_name_is_its_title(make_repo, name: str, text: str, title: str) -> None:
    assert title_of(make_repo, name, text) == title


@pytest.mark.parametrize(
    ("name", "text"),
    [
        # below other content: a section heading
        ("IT/MacOS.md", "---\ntags: [apple]\n---\nMacOS only runs on Apple hardware.\n# Software\n- [[Finder]]\n"),
        ("Scarcity.md", "A resource is scarce when it is used faster than it renews.\n\n# Scarcity of water\n\nOnly 3% is fresh.\n"),
        # one of several H1s: sections (a daily note)
        ("Daily/2025-01-15.md", "---\ntags: [daily]\n---\n# Todo\n- [ ] Practice\n# Thoughts\n- Why?\n"),
        ("Lambda.md", "# Lambda calculus\n\nText.\n\n# Lambda in Python\n\nMore.\n"),
        ("Supply & Demand.md", "# Supply\nWhat is sold.\n# Demand\nWhat is bought.\n# Market\n"),  # sibling H1 sections
        ("Economics/Supply & Demand.md", "# Supply\n### Shifts\nPrice.\n# Demand\n### Shifts\nTaste.\n"),  # with subsections
        # atop and alone, but naming a part of the page, not the page
        ("DLL Hollowing.md", "# Process\n1. Load a DLL\n2. Overwrite it\n"),
        ("latin1.md", "# Café\n\nText.\n"),
        # an empty heading names nothing
        ("Group session notes.md", "# \n\nText.\n"),
    ],
)
def test_any_other_h1_is_a_section_and_the_file_name_is_the_title(make_repo, name: str, text: str) -> None:
    assert title_of(make_repo, name, text) == name.rsplit("/", 1)[-1].removesuffix(".md")


def test_a_title_property_wins_over_any_heading(make_repo) -> None:
    assert title_of(make_repo, "x.md", "---\ntitle: Harbour survey\n---\n# Process\n\nText.\n") == "Harbour survey"


ZETTELKASTEN = {
    # `# Software`, `# Water`, `# Process` and `# Todo` are sections of these notes, as in a real zettelkasten
    "IT/MacOS.md": "MacOS only runs on Apple hardware.\n# Software\n- [[Finder]]\n",
    "Network/SFTP.md": "File transfer over SSH.\n# Software\n- FileZilla\n",
    "Economics/Scarcity.md": "A resource used faster than it renews.\n\n# Water\nOnly 3% is fresh.\n",
    "Malware/DLL Hollowing.md": "# Process\n1. Load a DLL\n2. Overwrite it\n",
    "Chain/Proof of Stake.md": "# Process\n1. Stake\n2. Validate\n",
    "Daily/2025-01-14.md": "# Todo\n- [ ] Finish the homework for MATA22 and read the chapter\n# Thoughts\n- none\n",
    "Daily/2025-01-15.md": "# Todo\n- [ ] Finish the homework for MATA22 and read the chapter\n# Thoughts\n- some\n",
    "Firmware.md": "Firmware is [[Software]] in ROM. Ice is frozen [[Water]]. A [[Process]]. See [[Finder]].\n",
    "Finder.md": "The file browser.\n",
}


def test_section_h1s_of_a_zettelkasten_are_not_titles_to_lint(make_repo) -> None:
    wiki = open_wiki(make_repo(ZETTELKASTEN))
    report = lint(wiki, Selection(select=("alias-link", "ambiguous-link", "ambiguous-alias", "duplicate-page", "broken-link")))
    found = sorted((d.code, d.path, d.message) for d in report.diagnostics)
    # `[[Software]]`, `[[Water]]` and `[[Process]]` name no note: broken, never "the title of MacOS.md"
    assert found == [
        ("KB101", "Firmware.md", "broken link: `[[Process]]` matches no page or attachment"),
        ("KB101", "Firmware.md", "broken link: `[[Software]]` matches no page or attachment"),
        ("KB101", "Firmware.md", "broken link: `[[Water]]` matches no page or attachment"),
    ]
    assert all(not d.fix for d in report.diagnostics)


LLM_WIKI = {
    "people/mara-ilves.md": "# Mara Ilves\n\nHarbour master, born 1952.\n",
    "index.md": "# Index\n\n- [[Mara Ilves]]\n",
}


def test_a_link_written_as_an_llm_wiki_page_s_title_is_still_an_alias_link_with_its_fix(make_repo) -> None:
    report = lint(open_wiki(make_repo(LLM_WIKI)), Selection(select=("alias-link",)))
    (finding,) = report.diagnostics
    assert finding.message == "`[[Mara Ilves]]` is the title of people/mara-ilves.md, not a file name: Obsidian will not open it"
    assert [new for _, _, _, new in finding.fix] == ["[[mara-ilves|Mara Ilves]]"]


def test_comments_and_a_row_of_badges_before_the_h1_leave_it_the_title() -> None:
    badges = (
        "---\nplugin-id: templater-obsidian\n---\n\n%% ----- Badges ----- %%\n\n"
        "![GitHub all releases](https://img.shields.io/x.svg)   \n![GitHub stars](https://img.shields.io/y.svg)\n\n"
        "%% ----- Badges ----- %%\n\n%% ----- Do not edit this section ----- %%\n\n# Templater\n\nPlugin ID: `templater-obsidian`\n"
    )
    assert parse_page("Plugins/templater-obsidian.md", badges.encode()).title == "Templater"
    assert parse_page("a.md", b"%%\na comment\nover lines\n%%\n![[cover.png]]\n# A title\n").title == "A title"
    assert parse_page("MacOS.md", b"Some words first.\n\n# MacOS notes\n").title == "MacOS"  # text before it: a section
    # a comment never closed hides the rest of the page in Obsidian: its H1 is no title, and nothing breaks
    assert parse_page("notes-2024.md", b"%% a comment\n%%\n# Notes\n").title == "Notes"
    assert parse_page("notes-2024.md", b"%% draft, never closed\n\n# Notes\n").title == "notes-2024"
    assert parse_page("notes-2024.md", b"<!-- open\n# Notes\n").title == "notes-2024"
    assert parse_page("notes-2024.md", b"\xff\xfe text\n# Notes\n").title == "notes-2024"  # invalid UTF-8 text before it
