"""Pages of one file name in `ask`: a link from a page opens the one Obsidian's getLinkpathDest
ranks first (under the linking page's folder, then the shortest path: `wiki.linkpath`), not the
shortest path from anywhere; a question, which has no folder, is about the one whose folder its
words name, and when they name none, `ask` says that other pages have that name too (issue 19)."""

from __future__ import annotations

import json

import pytest

from kbsleep.ask import ask
from kbsleep.cli import main
from kbsleep.config import load_config
from kbsleep.search.index import Index
from kbsleep.search.namesakes import by_folder
from kbsleep.wiki import load_wiki
from kbsleep.wiki.linkpath import opens
from tests.ask.support import wiki_files

PAGE = "# Budget\n\ntext\n"


@pytest.mark.parametrize(
    ("files", "source", "link"),
    [
        ({"projects/2026/q1/Budget.md": PAGE, "fin/Budget.md": PAGE}, "projects/Index.md", "Budget"),
        ({"x/y/Budget.md": PAGE, "finance/Budget.md": PAGE}, "Home.md", "Budget"),
        ({"projects/Budget.md": PAGE, "fin/Budget.md": PAGE}, "projects/deep/Plan.md", "Budget"),
        ({"Budget.md": PAGE, "projects/Budget.md": PAGE}, "projects/Plan.md", "Budget"),
        ({"aaa/Budget.md": PAGE, "b/Budget.md": PAGE}, "Home.md", "aaa/Budget"),
        ({"a/Budget.md": PAGE, "b/Budget.md": PAGE}, "Home.md", "Budget"),  # a tie
        ({"a/Budget.md": PAGE, "b/Budget.md": PAGE}, "a/x/Plan.md", "../Budget"),
    ],
)
def test_the_pages_a_link_opens_are_the_ones_the_wiki_resolves_it_to(make_repo, files, source, link) -> None:  # type: ignore[no-untyped-def]
    wiki = load_wiki(make_repo({**files, source: f"# S\n\n[[{link}]]\n"}))
    (resolved,) = wiki.outlinks[source]
    tied = wiki.resolver.tie(source.rpartition("/")[0], resolved.link, resolved.target, resolved.others)
    expected = tuple(sorted(tied)) if tied else (resolved.target,)
    assert opens(link, source.rpartition("/")[0], files) == expected


SECURITY = "# Security\n\n## Keys\n\n{0} keys are {1}.\n"
FILES = {
    # "A/Security.md" is the shorter path: Obsidian opens it only from outside "Sync/"
    "A/Security.md": SECURITY.format("Archive", "kept offline"),
    "Sync/Security.md": SECURITY.format("Sync", "made from your password with scrypt"),
    "Sync/Intro.md": "# Intro\n\nSync encrypts your notes: see [[Security]] and [[Security#Keys]].\n",
    "Home.md": "# Home\n\nRead [[Sync/Security]] first.\n",
}


def test_a_link_from_a_page_opens_the_page_under_its_folder(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(FILES)
    with Index(root, load_config(root)) as index:
        index.refresh()
        assert index.linked(["Sync/Intro.md", "Home.md"]) == {"Sync/Intro.md": ["Sync/Security.md"], "Home.md": ["Sync/Security.md"]}
        intro = [hit.id for hit in index.page_sections(["Sync/Intro.md"])]
        assert [(hit.page, hit.heading) for hit in index.anchored(intro)] == [("Sync/Security.md", "Keys")]
        # a citation written on a page names the section a link from that page opens
        assert index.locate("Security#Keys", "Sync/Intro.md") == ("Sync/Security.md", 3)
        assert index.locate("Security#Keys", "Home.md") == ("A/Security.md", 3)


def test_a_question_s_words_naming_a_folder_decide_which_page_it_means() -> None:
    pages = ["A/Security.md", "Sync/Security.md"]
    assert by_folder("How are Security keys made in Sync?", pages) == "Sync/Security.md"
    assert by_folder("How are Security keys made?", pages) is None
    assert by_folder("How are Security keys made in Sync?", pages, common={"sync"}) is None  # a word of most pages tells nothing


def test_a_question_naming_a_shared_name_and_no_folder_is_told_both(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(FILES)
    answer = ask(root, load_config(root), "How are Security keys made in Sync?", engine="offline", record=False)
    assert (answer.text, answer.namesakes) == ("Sync keys are made from your password with scrypt.", ())
    assert [c.wikilink for c in answer.citations] == ["[[Sync/Security#Keys]]"]  # `[[Security#Keys]]` opens A's from the root
    both = ask(root, load_config(root), "What does Security say about keys?", engine="offline", record=False)
    assert sorted(both.namesakes) == ["A/Security.md", "Sync/Security.md"]
    # two sections "Security#Keys" in one context: each is cited as the page it is on
    quoted = {"Sync keys are made from your password with scrypt.": "Sync/Security.md", "Archive keys are kept offline.": "A/Security.md"}
    assert [c.path for c in both.citations] == [quoted[both.text]]
    assert main(["--wiki", str(root), "ask", "--json", "What does Security say about keys?"]) == 0
    assert sorted(json.loads(capsys.readouterr().out)["namesakes"]) == ["A/Security.md", "Sync/Security.md"]
    assert main(["--wiki", str(root), "ask", "What does Security say about keys?"]) == 0
    assert '2 pages are named "Security"' in capsys.readouterr().out


def test_a_precomputed_answer_cites_the_section_its_own_page_links_to(make_repo) -> None:  # type: ignore[no-untyped-def]
    # "archive/Cobalt.md" is the shorter path, with a Maintainers section of its own: from the root,
    # `[[Cobalt#Maintainers]]` opens it; from the answer's page, "projects/", its own
    root = make_repo({**wiki_files(), "archive/Cobalt.md": "# Cobalt\n\n## Maintainers\n\nNobody: the 2019 fork is archived.\n"})
    got = ask(root, load_config(root), "who maintains the cobalt compiler these days?", engine="offline", record=False)
    assert got.path == "precomputed"
    assert [(c.wikilink, c.location) for c in got.citations] == [("[[projects/Cobalt#Maintainers]]", "projects/Cobalt.md:12")]
