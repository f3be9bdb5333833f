"""Every link form resolves as Obsidian resolves it (fixture: tests/fixtures/links_wiki)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.config import Config, LinksConfig
from kbsleep.wiki import Wiki, load_wiki

MARA = "people/Mara Ilves.md"
KESTREL = "vehicles/Kestrel Rover.md"

# (raw link as written in Home.md, line, status, target, shadowed others)
EXPECTED = [
    ("[[people/Mara Ilves]]", 4, "resolved", MARA, ()),  # quoted frontmatter value
    ("[[Nowhere In Frontmatter]]", 4, "missing", None, ()),
    ("[[Mara Ilves]]", 9, "resolved", MARA, ()),
    ("[[Mara Ilves|Mara]]", 9, "resolved", MARA, ()),
    ("[[mara ilves]]", 9, "resolved", MARA, ()),
    ("[[Mara Ilves.md]]", 9, "resolved", MARA, ()),
    ("[[Mara Ilves#Early life]]", 10, "resolved", MARA, ()),
    ("[[Mara Ilves#Early life#School]]", 10, "resolved", MARA, ()),
    ("[[Mara Ilves#^quote-1]]", 10, "resolved", MARA, ()),
    ("[[#Home]]", 11, "resolved", "Home.md", ()),
    ("[[#Links]]", 11, "resolved", "Home.md", ()),
    ("[[people/Mara Ilves]]", 11, "resolved", MARA, ()),
    ("[[vehicles/Kestrel Rover]]", 11, "resolved", KESTREL, ()),
    ("![[map.png]]", 12, "resolved", "attachments/map.png", ()),
    ("![[map.png|100]]", 12, "resolved", "attachments/map.png", ()),
    ("![[attachments/map.png]]", 12, "resolved", "attachments/map.png", ()),
    ("[[Nobody]]", 13, "missing", None, ()),
    ("[[Kestrel]]", 13, "meant-for", KESTREL, ()),  # an alias: Obsidian does not open it
    ("[[Kestrel the Rover]]", 13, "meant-for", KESTREL, ()),  # a frontmatter title: neither
    ("[[Mara Ilves#Later life]]", 13, "missing-anchor", MARA, ()),
    ("[[Mara Ilves#^nope]]", 14, "missing-anchor", MARA, ()),
    ("[[Mara Ilves#School#Early life]]", 14, "missing-anchor", MARA, ()),  # wrong nesting
    ("[[Notes]]", 15, "shadowed", "a/Notes.md", ("b/Notes.md",)),  # as near and as long: Obsidian's tie, ours the first by path
    ("people/Mara%20Ilves.md#early-life", 15, "resolved", MARA, ()),  # GitHub slug anchor
    ("people/Nobody.md", 15, "missing", None, ()),
    ("[[Café]]", 17, "resolved", "Café.md", ()),
    ("[[Cafe\u0301]]", 17, "resolved", "Café.md", ()),  # decomposed accent, NFC-normalised
    ("[[Mara Ilves|the biologist]]", 21, "resolved", MARA, ()),  # `\|` inside a table
    ("[[Obsidian Comment]]", 25, "missing", None, ()),  # in a `%%` comment: Obsidian's metadata cache keeps it
    ("[[Block Comment]]", 34, "missing", None, ()),
]


@pytest.fixture
def wiki(make_repo) -> Wiki:
    return load_wiki(make_repo(fixture="links_wiki"))


def test_every_link_in_home_resolves_as_obsidian_does(wiki: Wiki) -> None:
    got = [(r.link.raw, r.link.line, r.status, r.target, r.others) for r in wiki.outlinks["Home.md"]]
    assert got == EXPECTED


def test_nothing_in_code_html_comments_or_unquoted_frontmatter_is_a_link(wiki: Wiki) -> None:
    targets = {r.link.target for r in wiki.links()}
    for hidden in ("Inline Code", "HTML Comment", "Fenced Code", "Indented Code", "Not A Frontmatter Link"):
        assert hidden not in targets


def test_a_link_in_a_percent_comment_is_a_link_in_a_comment(wiki: Wiki) -> None:
    in_comment = {r.link.target: r.link.in_comment for r in wiki.links() if r.source == "Home.md"}
    assert in_comment["Obsidian Comment"] and in_comment["Block Comment"]
    assert not in_comment["Mara Ilves"]


def test_external_urls_are_not_wiki_links(wiki: Wiki) -> None:
    assert not [r for r in wiki.links() if "example.com" in r.link.raw]


def test_the_same_file_name_in_the_linking_folder_wins(wiki: Wiki) -> None:
    (item,) = wiki.outlinks["b/Notes.md"]
    assert (item.status, item.target, item.others) == ("resolved", "b/Notes.md", ())


def test_relative_markdown_links_resolve_from_the_linking_folder(wiki: Wiki) -> None:
    (item,) = wiki.outlinks[KESTREL]
    assert (item.link.kind, item.status, item.target) == ("markdown", "resolved", MARA)


def test_links_carry_kind_anchor_display_and_position(wiki: Wiki) -> None:
    links = {r.link.raw: r.link for r in wiki.outlinks["Home.md"]}
    nested = links["[[Mara Ilves#Early life#School]]"]
    assert (nested.kind, nested.target, nested.heading_path, nested.column) == ("wikilink", "Mara Ilves", ("Early life", "School"), 43)
    assert links["[[Mara Ilves#^quote-1]]"].block_id == "quote-1"
    sized = links["![[map.png|100]]"]
    assert (sized.kind, sized.display) == ("embed", "100")
    assert links["[[Mara Ilves|the biologist]]"].display == "the biologist"
    first = wiki.outlinks["Home.md"][0].link
    assert (first.raw, first.in_frontmatter) == ("[[people/Mara Ilves]]", True)


def test_backlinks_are_the_inverse_of_resolved_outlinks(wiki: Wiki) -> None:
    sources = {r.source for r in wiki.backlinks[MARA]}
    assert sources == {"Home.md", KESTREL}
    assert all(r.target == MARA for r in wiki.backlinks[MARA])


def test_the_pages_linking_to_some_pages_are_found_with_or_without_the_backlink_index(make_repo) -> None:
    root = make_repo(fixture="links_wiki")
    pages = [MARA, KESTREL, "a/Notes.md", "attachments/map.png", "Nowhere.md"]
    scanned = load_wiki(root).backlinks.linking(pages)  # a fresh load: no index yet
    wiki = load_wiki(root)
    expected = {r.source for path in pages for r in wiki.backlinks.get(path, ())}
    assert scanned == expected == wiki.backlinks.linking(pages)  # the second from the index, built by `get`
    assert "Home.md" in expected  # links to Kestrel by its alias count too: they were meant for it


def test_titles_mode_resolves_titles_and_aliases(make_repo) -> None:
    root = make_repo(fixture="links_wiki")
    wiki = load_wiki(root, Config(links=LinksConfig(resolve="titles")))
    status = {r.link.raw: (r.status, r.target) for r in wiki.outlinks["Home.md"]}
    assert status["[[Kestrel]]"] == ("resolved", KESTREL)
    assert status["[[Kestrel the Rover]]"] == ("resolved", KESTREL)
    assert status["[[Nobody]]"] == ("missing", None)


def test_page_records(wiki: Wiki) -> None:
    home = wiki.pages["Home.md"]
    assert (home.title, home.aliases) == ("Home page", ("Start",))
    mara = wiki.pages[MARA]
    assert [(h.level, h.text, h.line, h.slug) for h in mara.headings] == [
        (1, "Mara Ilves", 5, "mara-ilves"),
        (2, "Early life", 7, "early-life"),
        (3, "School", 11, "school"),
    ]
    assert dict(mara.block_ids) == {"quote-1": 9}
    assert [(s.heading.text if s.heading else None, s.start, s.end) for s in mara.sections] == [
        ("Mara Ilves", 5, 13),
        ("Early life", 7, 13),
        ("School", 11, 13),
    ]
    assert mara.section_text(mara.sections[2]) == "### School\n\nWent to school."
    assert wiki.pages["a/Notes.md"].title == "Notes A"  # first H1 when no frontmatter title
    assert wiki.pages[KESTREL].title == "Kestrel the Rover"


def test_attachments_are_known_and_never_pages(wiki: Wiki) -> None:
    assert wiki.attachments == {"attachments/map.png"}
    assert all(p.endswith(".md") for p in wiki.pages)


def test_wiki_root_may_be_a_subfolder_of_the_repository(make_repo, tmp_path: Path) -> None:
    root = make_repo({"README.md": "# Repo\n\n[[Elsewhere]]\n", "wiki/Page.md": "# Page\n\n[[Other]]\n", "wiki/Other.md": "# Other\n"})
    wiki = load_wiki(root / "wiki")
    assert sorted(wiki.pages) == ["Other.md", "Page.md"]
    assert wiki.outlinks["Page.md"][0].target == "Other.md"
