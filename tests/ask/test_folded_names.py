"""A link names its page whatever the case of its letters, accented or not, as Obsidian compares
file names (it lowercases with JavaScript's Unicode `toLowerCase`; kbsleep casefolds, as lint's
resolver does): `[[über]]` opens `Über.md` in `ask`'s index too, not only in lint. SQLite's LIKE
and NOCASE fold ASCII letters alone, so the index keeps each file name casefolded."""

from __future__ import annotations

import pytest

from kbsleep.answers import QA
from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.index import Index
from kbsleep.search.namesakes import same_name
from kbsleep.search.question import analyse
from kbsleep.search.retrieve import expand
from kbsleep.toolbox import Toolbox
from kbsleep.wiki import load_wiki
from tests.ask.support import with_answers

KESTREL = """\
# Kestrel

The Kestrel rover winters in the [[über#Garage|garage]]. Its wheels come from [[ärger]], and its
crew trained at the [[école]].
"""
GARAGE_QA = QA(
    "Where does the Kestrel rover spend the winter?",
    "In the garage, kept at 12 degrees through January. [[über#Garage]]",
    ("über#Garage",),
)
FILES = {
    "Kestrel.md": with_answers(KESTREL, (GARAGE_QA,)),
    "Über.md": "# Über\n\n## Fleet\n\nÜber runs four rovers.\n\n## Garage\n\nThe garage keeps 12 degrees through January.\n",
    "places/Ärger.md": "# Ärger\n\nÄrger ships wheels from Bremen.\n",
    "ÉCOLE.md": "# ÉCOLE\n\nThe course lasts six weeks in Lyon.\n",
    "archive/über.md": "# über\n\nAn older page of the same name, in lower case.\n",
}


@pytest.fixture
def root(make_repo):  # type: ignore[no-untyped-def]
    return make_repo(FILES)


def test_the_index_opens_a_link_to_the_page_lint_resolves_it_to(root) -> None:  # type: ignore[no-untyped-def]
    resolved = list(dict.fromkeys(link.target for link in load_wiki(root).outlinks["Kestrel.md"]))
    assert resolved == ["Über.md", "places/Ärger.md", "ÉCOLE.md"]  # lint's own resolver
    with Index(root, load_config(root)) as index:
        index.refresh()
        assert index.linked(["Kestrel.md"]) == {"Kestrel.md": resolved}
        sections = [hit.id for hit in index.page_sections(["Kestrel.md"])]
        assert [(hit.page, hit.heading) for hit in index.anchored(sections)] == [("Über.md", "Garage")]
        assert index.locate("über#Garage", "Kestrel.md") == ("Über.md", 7)
        assert index.locate("ÄRGER", "Kestrel.md") == ("places/Ärger.md", 1)
        assert index.locate("PLACES/ärger", "") == ("places/Ärger.md", 1)  # a path, case aside
        assert index.locate("école", "archive/x.md") == ("ÉCOLE.md", 1)


def test_the_second_hop_reaches_the_sections_of_pages_linked_in_another_case(root) -> None:  # type: ignore[no-untyped-def]
    question = analyse("How many degrees does the Kestrel rover's winter home keep in January?")
    with Index(root, load_config(root)) as index:
        index.refresh()
        found = expand(index, question, index.page_sections(["Kestrel.md"]))
        assert [(hit.page, hit.heading) for hit in found][:1] == [("Über.md", "Garage")]


def test_a_precomputed_answer_cites_the_page_its_link_opens_in_another_case(root) -> None:  # type: ignore[no-untyped-def]
    got = ask(root, load_config(root), "where does the kestrel rover spend the winter?", engine="offline", record=False)
    assert got.path == "precomputed"
    assert [(c.wikilink, c.location) for c in got.citations] == [("[[Über#Garage]]", "Über.md:7")]


def test_pages_whose_file_names_differ_in_case_alone_are_namesakes(root) -> None:  # type: ignore[no-untyped-def]
    with Index(root, load_config(root)) as index:
        index.refresh()
        assert index.shared_names(["Über.md", "archive/über.md", "ÉCOLE.md"]) == {"Über.md", "archive/über.md"}
    assert same_name(["archive/über.md", "ÉCOLE.md", "Über.md"]) == ("archive/über.md", "Über.md")
    toolbox = Toolbox(root)
    assert toolbox.read("ÜBER")["page"] == "Über.md"  # the vault path, from the root
    assert toolbox.read("école")["page"] == "ÉCOLE.md"
    assert toolbox.read("ärger")["page"] == "places/Ärger.md"
