"""duplicate-page's similarity test: namesakes, their prose as word shingles, template text discounted.

The rule's fixture (tests/fixtures/lint/duplicate-page) shows the cases; these pin the rule's
policy: the threshold from both sides, what counts as a template's text, and that a wiki whose
pages share no name never has its prose read. What prose and shingles are is shared with
consolidate: tests/wiki/test_prose.py.
"""

from __future__ import annotations

import pytest

from kbsleep.lint import Selection, lint
from kbsleep.lint.namesakes import COMMON_PAGES, SIMILAR, groups, names
from kbsleep.wiki import open_wiki, prose
from kbsleep.wiki.prose import shingles, words

WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima".split()
OTHER = "mike november oscar papa quebec romeo sierra".split()


def duplicates(root) -> list[tuple[str, str, str]]:
    report = lint(open_wiki(root), Selection(select=("duplicate-page",)))
    return [(d.path, d.related[0].path, d.hint or "") for d in report.diagnostics]


def test_the_threshold_is_half_of_the_shorter_pages_shingles(make_repo) -> None:
    assert SIMILAR == 0.5
    # a/Note.md: 12 words, 10 shingles. b/Note.md: its first 7 words then 5 others: 10 shingles,
    # 5 of them a's ("alpha bravo charlie" ... "echo foxtrot golf"). Exactly half: duplicates.
    half = make_repo({"a/Note.md": " ".join(WORDS) + "\n", "b/Note.md": " ".join(WORDS[:7] + OTHER[:5]) + "\n"})
    assert duplicates(half) == [("b/Note.md", "a/Note.md", "the pages share 50% of the shorter one's text: merge them, or rename one")]


def test_below_the_threshold_namesakes_are_not_duplicates(make_repo) -> None:
    # The first 6 words then 6 others: 4 shingles of 10 in common, 40%.
    below = make_repo({"a/Note.md": " ".join(WORDS) + "\n", "b/Note.md": " ".join(WORDS[:6] + OTHER[:6]) + "\n"})
    wiki = open_wiki(below)
    assert len(shingles(words(wiki.pages["a/Note.md"])) & shingles(words(wiki.pages["b/Note.md"]))) == 4
    assert duplicates(below) == []


def test_the_shorter_page_decides_so_a_copied_stub_is_a_duplicate(make_repo) -> None:
    stub = " ".join(WORDS[:5])  # 3 shingles, all in the long page
    root = make_repo({"Tide.md": "---\ntitle: Tides\n---\n" + " ".join(WORDS + OTHER) + "\n", "tide-stub.md": f"---\ntitle: tides\n---\n{stub}\n"})
    assert duplicates(root) == [("tide-stub.md", "Tide.md", "the pages share 100% of the shorter one's text: merge them, or rename one")]


def test_copies_without_a_shared_name_are_out_of_reach(make_repo) -> None:
    root = make_repo({"One.md": " ".join(WORDS) + "\n", "Two.md": " ".join(WORDS) + "\n"})
    assert duplicates(root) == []


TEMPLATE = "- Website: {site}\n\n## Author of\n\n{own}\n\n## Follow this author\n\nWatch the repository, join the forum thread and read the release notes.\n"


def person(site: str, own: str) -> str:
    return TEMPLATE.format(site=site, own=own)


def test_text_that_namesakes_of_other_names_share_is_template_text(make_repo) -> None:
    two_alexes = {
        "one/Alex.md": person("alex.example", "Wrote the tide tables plugin."),
        "two/Alex.md": person("moreau.example", "Designed the blue theme."),
    }
    # Alone, the two pages are mostly the template, and nothing tells a template from a copy.
    assert [d[:2] for d in duplicates(make_repo(two_alexes, name="alone"))] == [("two/Alex.md", "one/Alex.md")]
    # With namesakes of another name made from the same template, its text is known for one.
    two_sams = {"one/Sam.md": person("sam.example", "Keeps the calendar plugin."), "two/Sam.md": person("samuel.example", "Translated the help.")}
    assert duplicates(make_repo({**two_alexes, **two_sams}, name="both")) == []


def test_text_on_more_namesakes_than_common_pages_is_template_text(make_repo) -> None:
    assert COMMON_PAGES == 8
    readmes = {f"project{n}/Overview.md": person(f"p{n}.example", f"Project number {n} measures {WORDS[n]} things.") for n in range(COMMON_PAGES + 1)}
    assert duplicates(make_repo(readmes, name="nine")) == []
    eight = dict(list(readmes.items())[:COMMON_PAGES])
    assert len(duplicates(make_repo(eight, name="eight"))) == COMMON_PAGES * (COMMON_PAGES - 1) // 2


def test_a_placeholder_is_no_name(make_repo) -> None:
    root = make_repo({
        "templates/A.md": '---\ntitle: "{{title}}"\naliases: ["<% tp.file.title %>", "{{date}} daily"]\n---\nSame text.\n',
        "templates/B.md": '---\ntitle: "{{title}}"\naliases: ["<% tp.file.title %>", "{{date}} daily"]\n---\nSame text.\n',
    })  # fmt: skip
    wiki = open_wiki(root)
    assert names(wiki.pages["templates/A.md"]) == {"a": ("templates/A.md", "file name", "A")}
    assert groups(wiki) == {}


def test_a_page_claims_each_name_once_as_the_first_kind_it_has(make_repo) -> None:
    root = make_repo({"Kestrel.md": "---\ntitle: Kestrel\naliases: [kestrel, The Rover]\n---\nText.\n"})
    claims = names(open_wiki(root).pages["Kestrel.md"])
    assert claims == {"kestrel": ("Kestrel.md", "title", "Kestrel"), "the rover": ("Kestrel.md", "alias", "The Rover")}


def test_a_page_with_no_prose_is_no_duplicate(make_repo) -> None:
    assert duplicates(make_repo({"a/Stub.md": "# Stub\n", "b/Stub.md": "# Stub\n\n<!-- only a comment -->\n"})) == []


def test_prose_is_read_only_of_pages_that_share_a_title_or_file_name(make_repo, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo({
        "a/One.md": "Text one.\n", "b/One.md": "Text one.\n", "Two.md": "Text two.\n",
        "Three.md": "---\naliases: [Trio]\n---\nText three.\n", "Four.md": "---\naliases: [Trio]\n---\nText four.\n",
    })  # fmt: skip
    read: list[str] = []
    monkeypatch.setattr(prose, "words", lambda page: read.append(page.path) or [])
    wiki = open_wiki(root)
    rules = Selection(select=("duplicate-page", "ambiguous-alias"))
    # Pre-commit runs on a page with no namesake and on one that shares only an alias.
    assert lint(wiki, rules, scope=["Two.md"]).diagnostics == ()
    assert [d.code for d in lint(wiki, rules, scope=["Three.md"]).diagnostics] == ["KB206"]
    assert read == []
    lint(wiki, rules)  # the whole wiki: only the two pages named One
    assert read == ["a/One.md", "b/One.md"]


def test_a_page_of_fewer_words_than_a_shingle_is_in_a_page_that_has_them_in_a_row(make_repo) -> None:
    root = make_repo({
        "a/Alpha.md": "# Alpha\n\nSee [[Beta]] and [site](https://example.org).\n",
        "b/Alpha.md": "# Alpha\n\nSee [[Beta]].\n",
        "c/Alpha.md": "# Alpha\n\nBeta see.\n",
    })  # fmt: skip
    assert duplicates(root) == [("b/Alpha.md", "a/Alpha.md", "the pages share 100% of the shorter one's text: merge them, or rename one")]
