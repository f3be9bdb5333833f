"""A citation is a link that opens the section it cites, also when the heading holds a link."""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import Citation, ask
from kbsleep.config import load_config
from kbsleep.lint import lint
from kbsleep.wiki import open_wiki
from kbsleep.wiki.wikilink import section_target, sole_wikilink


def test_a_heading_that_holds_a_link_is_cited_with_its_punctuation_as_spaces() -> None:
    assert section_target("Intro#An Introduction to [[dataview|Dataview]]") == "Intro#An Introduction to dataview Dataview"
    assert section_target("FAQ#Is it free? Yes ^maybe") == "FAQ#Is it free? Yes maybe"
    assert section_target("Page#Plain heading") == "Page#Plain heading"
    assert section_target("Page") == "Page"


def test_the_citation_reads_back_as_one_link_to_that_page(make_repo) -> None:
    root: Path = make_repo({"Intro.md": "# An Introduction to [[Dataview|the Dataview plugin]]\n\nDataview lets you query your vault.\n", "Dataview.md": "# Dataview\n"})
    got = ask(root, load_config(root), "What lets you query your vault?", engine="offline", record=False)
    (cite,) = got.citations
    link = sole_wikilink(cite.wikilink)
    assert cite.wikilink == "[[Intro#An Introduction to Dataview the Dataview plugin]]"
    assert link is not None and (link.target, link.anchor) == ("Intro", "An Introduction to Dataview the Dataview plugin")


def test_the_cited_heading_is_one_lint_finds(make_repo) -> None:
    link = Citation("P#See [[Other|x]]", "P.md", 1).wikilink
    assert link == "[[P#See Other x]]"
    root: Path = make_repo({"P.md": "## See [[Other|x]]\n\nText.\n", "Other.md": "# Other\n", "Q.md": f"Cited: {link}.\n"})
    assert [d.name for d in lint(open_wiki(root)).diagnostics if d.path == "Q.md" and d.name != "orphan-page"] == []


def test_a_fact_names_its_page_by_the_title_as_shown(make_repo) -> None:
    page = "# An Introduction to [[Dataview|the Dataview plugin]]\n\nPresenter: Ada Lovelace\nLength: 40 minutes\n"
    root: Path = make_repo({"Intro.md": page, "Dataview.md": "# Dataview\n\nA plugin.\n"})
    got = ask(root, load_config(root), "How long is the introduction to the Dataview plugin?", engine="offline", record=False)
    assert got.text.startswith("An Introduction to the Dataview plugin, ")
