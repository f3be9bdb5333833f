"""The toolbox behind `kbsleep mcp`, in process: the kept model, finding pages and sections, cut lists."""

from __future__ import annotations

import pytest

from kbsleep import toolbox
from kbsleep.errors import KbsleepError
from kbsleep.search.snippet import snippet
from kbsleep.toolbox import Toolbox
from kbsleep.wiki.lookup import find_page
from tests.lint.support import lint_wiki

LIFE = """\
# Ada

## Life

### Early life

Born in London.

### Career

Wrote the first published algorithm.

## Work

### Career

Notes on the Analytical Engine.
"""


def test_the_model_is_kept_while_nothing_changes_and_reloaded_when_a_file_or_the_config_does(make_repo) -> None:
    root = make_repo({"A.md": "# A\n", "B.md": "# B\n\n[[A]]\n"})
    box = Toolbox(root)
    first = box.wiki()
    assert box.wiki() is first
    (root / "A.md").write_text("# A\n\nEdited.\n", encoding="utf-8")
    second = box.wiki()
    assert second is not first and second.pages["A.md"].text == "# A\n\nEdited.\n"
    assert box.wiki() is second
    (root / "kbsleep.toml").write_text('[links]\nresolve = "titles"\n', encoding="utf-8")
    third = box.wiki()
    assert third is not second and third.config.links.resolve == "titles"


def test_a_missing_folder_is_refused(tmp_path) -> None:
    with pytest.raises(KbsleepError, match="wiki folder not found"):
        Toolbox(tmp_path / "nowhere")


def test_a_file_name_opens_the_page_at_the_root_else_the_shortest_path_and_a_partial_path_narrows(make_repo) -> None:
    root = make_repo({"a/Note.md": "# a\n", "b/deep/Note.md": "# b\n", "c/Other.md": "---\ntitle: Pinned\n---\n# c\n"})
    wiki = Toolbox(root).wiki()
    assert find_page(wiki, "Note") == "a/Note.md"
    assert find_page(wiki, "deep/Note") == "b/deep/Note.md"
    assert find_page(wiki, "B/DEEP/note.md") == "b/deep/Note.md"
    assert find_page(wiki, "Pinned") == "c/Other.md"
    with pytest.raises(KbsleepError, match="no page `x/Note`"):
        find_page(wiki, "x/Note")


@pytest.mark.parametrize(
    ("wanted", "line"),
    [("Career", 9), ("Life#Career", 9), ("Work#Career", 15), ("Early life", 5), ("early-life", 5), ("Life", 3),
     ("Ada#Life#Early life", 5), ("Ada#Early life", 5), ("early LIFE", 5), ("Life#Work#Career", 15)],
)  # fmt: skip
def test_a_section_is_found_by_heading_by_nested_path_or_by_slug(make_repo, wanted: str, line: int) -> None:
    root = make_repo({"Ada.md": LIFE})
    got = Toolbox(root).read("Ada", wanted)
    assert got["start_line"] == line


DEEP = """\
# Handbook

## Setup

### On Linux

#### Packages: `apt`

Install with apt.

## Usage

### Running it?

Run it.
"""


@pytest.mark.parametrize(
    ("page", "section", "heading"),
    [("Handbook#Packages apt", None, "Packages: `apt`"), ("[[Handbook#Running it]]", None, "Running it?"),
     ("Handbook", "On Linux", "On Linux"), ("Handbook", "Setup#Packages: `apt`", "Packages: `apt`"),
     ("Handbook", "Handbook#Setup#On Linux#Packages apt", "Packages: `apt`")],
)  # fmt: skip
def test_one_heading_opens_its_section_at_any_depth_as_a_link_to_it_does(make_repo, page: str, section: str | None, heading: str) -> None:
    got = Toolbox(make_repo({"Handbook.md": DEEP})).read(page, section)
    assert got["section"] == heading
    assert got["wikilink"] == f"[[Handbook#{heading}]]"


def test_read_finds_a_section_exactly_when_lint_finds_the_link_to_it(make_repo) -> None:
    wanted = ["Packages apt", "On Linux#Packages apt", "Usage#On Linux", "Setup#Usage#Running it", "Running it#Setup", "Packages", "handbook#usage"]
    links = "".join(f"- [[Handbook#{anchor}]]\n" for anchor in wanted)
    root = make_repo({"Handbook.md": DEEP, "index.md": f"# Index\n\n{links}"})
    broken = {d.source_line.strip() for d in lint_wiki(root, "broken-anchor").diagnostics}
    box = Toolbox(root)
    for anchor in wanted:
        try:
            box.read("Handbook", anchor)
            opened = True
        except KbsleepError:
            opened = False
        assert opened == (f"- [[Handbook#{anchor}]]" not in broken), anchor
    assert len(broken) == 3  # `Usage#On Linux`, `Running it#Setup`, `Packages`: the order counts, and the whole name


@pytest.mark.parametrize(
    ("wanted", "hint"),
    [("Packages", "close headings: `Packages: `apt``"), ("Runing it", "close headings: `Running it?`"),
     ("Usage#On Linux", "`On Linux` (line 5) is not after `Usage`: read it as `On Linux`"),
     ("Licence", "its headings: `Handbook`, `Setup`, `On Linux`, `Packages: `apt``, `Usage`, `Running it?`")],
)  # fmt: skip
def test_a_heading_that_opens_nothing_is_an_error_naming_the_close_headings(make_repo, wanted: str, hint: str) -> None:
    with pytest.raises(KbsleepError, match=f"no section `{wanted}` in Handbook.md") as raised:
        Toolbox(make_repo({"Handbook.md": DEEP})).read("Handbook", wanted)
    assert raised.value.hint == hint


def test_a_nested_section_runs_to_the_next_heading_of_its_level(make_repo) -> None:
    got = Toolbox(make_repo({"Ada.md": LIFE})).read("Ada", "Life")
    assert (got["start_line"], got["end_line"]) == (3, 12)
    assert got["text"].splitlines()[-1] == "Wrote the first published algorithm."


def test_a_section_under_another_heading_is_not_found_there(make_repo) -> None:
    with pytest.raises(KbsleepError, match="no section `Work#Early life` in Ada.md"):
        Toolbox(make_repo({"Ada.md": LIFE})).read("Ada", "Work#Early life")


def test_a_long_page_is_cut_and_says_so(make_repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(toolbox, "MAX_TEXT_CHARS", 20)
    got = Toolbox(make_repo({"Ada.md": LIFE})).read("Ada")
    assert (got["text"], got["truncated"]) == (LIFE[:20], True)
    assert "read one section at a time" in got["note"]


def test_status_lists_are_cut_to_a_few_with_the_count(make_repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(toolbox, "MAX_LISTED", 2)
    root = make_repo({f"P{n}.md": f"# P{n}\n" for n in range(5)})
    assert Toolbox(root).status()["unanswered"] == {"count": 5, "first": ["P0.md", "P1.md"]}


def test_the_snippet_is_the_line_with_most_query_words_cut_around_the_first() -> None:
    text = "# Pumps\n\nThe pump was serviced.\n\nIn 2024 the Orion pump was serviced after the storm, then " + "x " * 200 + "end."
    assert snippet(text, ["orion", "servicing"]).startswith("In 2024 the Orion pump")
    long = "words " * 100 + "the Orion pump " + "more " * 100
    cut = snippet(long, ["orion"], width=60)
    assert cut.startswith("…") and cut.endswith("…") and "Orion" in cut and len(cut) <= 62
    assert cut.removeprefix("…").removesuffix("…").split() == cut.removeprefix("…").removesuffix("…").split(" ")  # whole words
    assert snippet("x" * 50 + " pump " + "y" * 50, ["pump"], width=30) == "…pump…"  # no half a word, however long
    assert snippet("## Heading\n\nPlain text.", ["zeppelin"]) == "Plain text."
    assert snippet("## Heading\n", ["zeppelin"]) == "Heading"  # a section with nothing but its heading


def test_the_snippet_is_what_the_section_says_not_its_heading_the_hit_names_already() -> None:
    text = "#### Font size\n\nFont size in pixels that affects editing and reading views."
    assert snippet(text, ["font", "size"]) == "Font size in pixels that affects editing and reading views."
    assert snippet("# Pumps\n#pump #orion\n", ["orion"]) == "#pump #orion"  # tags are text, not a heading
    assert snippet("---\naliases:\n  - Orion\n---\n\n%% a comment %%\nThe pump.", ["zeppelin"]) == "The pump."
    # nothing but properties: the page's name (title, aliases) is no text of the section's
    assert snippet("---\ntitle: Orion\naliases:\n  - Orion pump\n---\n", ["pump"]) == ""
    assert snippet("---\naliases: [Orion pump]\ntags:\n  - pump\n  - storm\n---\n", ["pump"]) == "tags: pump, storm"
    assert snippet("---\ntags: [pump, storm\n---\n", ["pump"]) == ""  # properties that do not load show nothing, and raise nothing


def test_the_snippet_reads_as_obsidian_shows_the_line() -> None:
    said = "> **Summary**: Burns's name for [[replicated-sharded-service|sharded services]] under [load](https://x.org)."
    assert snippet(said, ["burns"]) == "Summary: Burns's name for sharded services under load."
    assert snippet("- [ ] Replace the `pump` seal", ["pump"]) == "Replace the `pump` seal"  # a code span as written
    table = "| Pattern | Scope |\n| --- | :-: |\n| **Hot sharding** | per shard |\n"
    assert snippet(table, ["hot"]) == "Hot sharding | per shard"
    assert snippet(table, ["zeppelin"]) == "Pattern | Scope"  # never the delimiter row
    assert snippet("> [!warning] If the vault has notes, they merge.", ["vault"]) == "If the vault has notes, they merge."
    assert snippet("> [!tip]+\n> Use tags to group notes.", ["zeppelin"]) == "Use tags to group notes."  # the box's title names it, as a heading does
    assert snippet("Select Zoom to fit ![[lucide-maximize.svg#icon]]. Or press `Shift+1`.", ["zoom"]) == "Select Zoom to fit. Or press `Shift+1`."  # an icon shows no words


def test_search_offers_a_section_of_nothing_but_properties_only_for_a_property_other_than_the_name(make_repo) -> None:
    root = make_repo({
        "Sidecar pattern.md": "---\naliases: [Sidecar]\n---\n# Sidecar pattern\n\nA sidecar runs next to the app.\n\n## Uses\n\nThe sidecar ships logs.\n",
        "Ambassador.md": "---\ntitle: Ambassador\naliases:\n  - Envoy proxy\nstatus: draft\n---\n# Ambassador\n\nA proxy in front of the app.\n",
        "Pump.md": "---\ntags: [kubernetes]\n---\n# Pump\n\nThe pump moves water.\n",
    })  # fmt: skip
    box = Toolbox(root)
    for query in ("sidecar", "Envoy proxy", "ambassador"):
        results = box.search(query)["results"]
        assert results and all(r["heading"] for r in results), query  # each a section with its own text
        assert not any(r["snippet"].startswith(("aliases", "title", "- ", "---")) for r in results), query
    draft = box.search("draft")["results"]
    assert [(r["page"], r["line"], r["snippet"]) for r in draft] == [("Ambassador.md", 1, "status: draft")]
    tagged = box.search("kubernetes")["results"]
    assert [(r["page"], r["snippet"]) for r in tagged] == [("Pump.md", "tags: kubernetes")]


def test_read_lists_a_link_in_a_comment_among_links_and_backlinks_and_says_it_is_hidden(make_repo) -> None:
    """Obsidian's backlinks pane lists a link inside a `%%` comment; reading view hides it."""
    root = make_repo({"Ada.md": LIFE, "Notes.md": "# Notes\n\nSee [[Ada]].\n\n%% also [[Ada#Career]] and [[Babbage]] %%\n"})
    box = Toolbox(root)
    notes = box.read("Notes")
    assert notes["links"] == [
        {"link": "[[Ada]]", "line": 3, "target": "Ada.md", "status": "resolved"},
        {"link": "[[Ada#Career]]", "line": 5, "target": "Ada.md", "status": "resolved", "in_comment": True},
        {"link": "[[Babbage]]", "line": 5, "target": None, "status": "missing", "in_comment": True},
    ]
    assert box.read("Ada")["backlinks"] == [
        {"page": "Notes.md", "line": 3, "link": "[[Ada]]"},
        {"page": "Notes.md", "line": 5, "link": "[[Ada#Career]]", "in_comment": True},
    ]
