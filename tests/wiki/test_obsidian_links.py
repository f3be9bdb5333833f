"""Links open what Obsidian opens: heading subpaths as `stripHeading` normalises them, block ids
wherever Obsidian finds them, Markdown links relative, then vault-absolute, then by file name."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import kbsleep.wiki.parse as parse_module
from kbsleep.wiki import load_wiki
from kbsleep.wiki.cache import PARSER_MODULES, RESOLVER_MODULES
from kbsleep.wiki.page import Link
from kbsleep.wiki.parse import parse_page
from kbsleep.wiki.plain import plain_page
from kbsleep.wiki.resolve import anchor_exists

# -- heading subpaths ---------------------------------------------------------------------------

# (heading as written, the link's subpath): the link opens the heading.
HEADING_MATCHES = [
    ("What does the pump cost?", "What does the pump cost"),
    ("What does the pump cost?", "what does the pump cost?"),  # both sides normalised, any case
    ("`hasTag()`", "hasTag"),
    ("`hasTag()`", "hasTag()"),
    ("Setup & Vault Consistency", "Setup Vault Consistency"),
    ("D&D WOTC", "D D WOTC"),
    ("Pump (v2.0): wiring", "Pump v2 0 wiring"),
    ("C++ / Rust", "C Rust"),
    ("50% off! {sale}", "50 off sale"),
    ('"Quoted" @home ~ <tag> = $5; ok,', "Quoted home tag 5 ok"),
    ("**Bold** and *it*", "Bold and it"),
    ("See [[Other|x]]", "See Other x"),  # the heading's text as written, link and all
    ("Back\\slash [brackets]", "Back slash brackets"),
    ("Re-run the pump", "Re-run the pump"),
    ("It's   spaced", "It's spaced"),
    ("Straße Ünïcode", "STRASSE üNÏCODE"),  # casefolded
]
# (heading as written, the link's subpath): the link does not open it.
HEADING_MISSES = [
    ("Re-run the pump", "Re run the pump"),  # Obsidian keeps `-`
    ("snake_case", "snake case"),  # and `_`
    ("It's", "Its"),  # and `'`
    ("See [[Other|x]]", "See x"),  # the display text is not what Obsidian matches
    ("What does the pump cost?", "what-does-the-pump-cost"),  # a GitHub slug, in a wikilink
    ("Pump cost", "Pump costs"),
]


def _page_with_heading(heading: str):
    return parse_page("Pump.md", f"# Pump\n\n## {heading}\n\ntext\n".encode())


@pytest.mark.parametrize(("heading", "subpath"), HEADING_MATCHES)
def test_a_heading_link_opens_the_heading_obsidian_opens(heading: str, subpath: str) -> None:
    page = _page_with_heading(heading)
    assert anchor_exists(page, Link("wikilink", "Pump", subpath, None, 1, 1, f"[[Pump#{subpath}]]"))
    assert anchor_exists(page, Link("wikilink", "Pump", f"Pump#{subpath}", None, 1, 1, ""))  # nested under the H1


@pytest.mark.parametrize(("heading", "subpath"), HEADING_MISSES)
def test_a_heading_link_obsidian_cannot_open_is_missing(heading: str, subpath: str) -> None:
    assert not anchor_exists(_page_with_heading(heading), Link("wikilink", "Pump", subpath, None, 1, 1, f"[[Pump#{subpath}]]"))


# A page whose heading levels go up and down, as notes grow: `### Fundamentals` is closed by
# `## Maps`, and `#### HashMap` lies in the Maps section. The table of contents that the plugin
# obsidian-plugin-toc writes names each heading's parent as the nearest earlier heading one level
# up, here `[[#Fundamentals#HashMap]]`.
UNEVEN = "# Data\n\n### Fundamentals\n\ntext\n\n## Maps\n\n#### HashMap\n\n## Sets\n\n#### HashMap\n"


@pytest.mark.parametrize(("subpath", "opens"), [
    ("Fundamentals#HashMap", True),  # after Fundamentals, though not in its section
    ("Maps#HashMap", True),
    ("Data#Maps#HashMap", True),
    ("Sets#HashMap", True),  # the second HashMap
    ("HashMap#Maps", False),  # no Maps after the first HashMap
    ("Sets#Maps", False),
    ("Maps#Fundamentals", False),
    ("Fundamentals#Lists", False),
])  # fmt: skip
def test_a_heading_path_names_headings_in_order(subpath: str, opens: bool) -> None:
    page = parse_page("Data.md", UNEVEN.encode())
    assert anchor_exists(page, Link("wikilink", "", subpath, None, 1, 1, f"[[#{subpath}]]")) is opens


# -- Markdown links -----------------------------------------------------------------------------

VAULT = {
    "notes/Pump.md": "# Pump\n\n## Wiring\n\n### Step one!\n\n## What does the pump cost?\n\nlist ^cost-table\n",
    "notes/My Note.md": "# My Note\n",
    "guides/Overview.md": "# Overview in guides\n",
    "places/Overview.md": "# Overview in places\n",
    "img/orion-pump.png": b"\x89PNG",
    "guides/Setup.md": (
        "# Setup\n\n"
        "![Pump](orion-pump.png) ![Pump](orion-pump.png#interface)\n"  # line 3
        "[a](Pump.md) [b](Pump) [c](<My Note.md>) [d](My%20Note.md)\n"
        "[e](../notes/Pump.md) [f](/notes/Pump.md) [g](notes/Pump.md) [h](./Pump.md)\n"  # line 5
        "[i](Overview.md) [j](../Overview.md) [k](Nowhere.md) [l](../../Pump.md)\n"
        "[m](Pump.md#What%20does%20the%20pump%20cost) [n](<Pump.md#What does the pump cost?>)\n"  # line 7
        "[o](Pump.md#what-does-the-pump-cost) [p](Pump.md#Wiring#Step%20one) [q](Pump.md#^cost-table)\n"
        "[r](Pump.md#Nope) [s](Pump.md#Step%20one#Wiring)\n"  # line 9
        "[t](https://example.com/Pump.md) [u](mailto:a@example.com) [v](obsidian://open?vault=v&file=Pump)\n"
        "`[w](Pump.md)` and [x](#Setup)\n"  # line 11
    ),
    "Home.md": "[y](Overview.md) [z](Overview) [[Overview]]\n",
}
PUMP, SETUP = "notes/Pump.md", "guides/Setup.md"
# (the link as written, line, status, target, others), in page order
SETUP_LINKS = [
    ("orion-pump.png", 3, "resolved", "img/orion-pump.png", ()),  # by file name, from another folder
    ("orion-pump.png#interface", 3, "resolved", "img/orion-pump.png", ()),
    ("Pump.md", 4, "resolved", PUMP, ()),
    ("Pump", 4, "resolved", PUMP, ()),  # `.md` optional, as for wikilinks
    ("My%20Note.md", 4, "resolved", "notes/My Note.md", ()),  # an angle-bracket target
    ("My%20Note.md", 4, "resolved", "notes/My Note.md", ()),
    ("../notes/Pump.md", 5, "resolved", PUMP, ()),  # relative
    ("/notes/Pump.md", 5, "resolved", PUMP, ()),  # vault-absolute
    ("notes/Pump.md", 5, "resolved", PUMP, ()),  # not under guides/: from the vault root
    ("./Pump.md", 5, "missing", None, ()),  # `./` names the linking folder's file only
    ("Overview.md", 6, "resolved", "guides/Overview.md", ()),  # the linking folder's own first
    ("../Overview.md", 6, "shadowed", "guides/Overview.md", ("places/Overview.md",)),  # no root page: by name from the root, where both are as near
    ("Nowhere.md", 6, "missing", None, ()),
    ("../../Pump.md", 6, "resolved", PUMP, ()),  # above the vault root: by file name
    ("Pump.md#What%20does%20the%20pump%20cost", 7, "resolved", PUMP, ()),
    ("Pump.md#What%20does%20the%20pump%20cost?", 7, "resolved", PUMP, ()),
    ("Pump.md#what-does-the-pump-cost", 8, "resolved", PUMP, ()),  # a GitHub slug, as before
    ("Pump.md#Wiring#Step%20one", 8, "resolved", PUMP, ()),
    ("Pump.md#%5Ecost-table", 8, "resolved", PUMP, ()),
    ("Pump.md#Nope", 9, "missing-anchor", PUMP, ()),
    ("Pump.md#Step%20one#Wiring", 9, "missing-anchor", PUMP, ()),  # wrong nesting
    ("#Setup", 11, "resolved", SETUP, ()),
]


@pytest.fixture
def vault(make_repo):
    return load_wiki(make_repo(VAULT))


def test_markdown_links_resolve_relative_then_from_the_root_then_by_file_name(vault) -> None:
    got = [(r.link.raw, r.link.line, r.status, r.target, r.others) for r in vault.outlinks[SETUP]]
    assert got == SETUP_LINKS


def test_markdown_links_are_url_decoded_and_split_at_the_first_hash(vault) -> None:
    links = [(r.link.target, r.link.anchor) for r in vault.outlinks[SETUP]]
    assert ("My Note.md", "") in links
    assert ("Pump.md", "What does the pump cost?") in links
    assert ("Pump.md", "^cost-table") in links


def test_a_markdown_link_by_a_shared_file_name_is_shadowed_like_a_wikilink(vault) -> None:
    got = [(r.link.kind, r.status, r.target, r.others) for r in vault.outlinks["Home.md"]]
    assert got == [(kind, "shadowed", "guides/Overview.md", ("places/Overview.md",)) for kind in ("markdown", "markdown", "wikilink")]


def test_urls_with_a_scheme_and_links_in_code_are_not_internal_links(vault) -> None:
    raws = {r.link.raw for r in vault.links()}
    assert not any(raw.startswith(("https:", "mailto:", "obsidian:")) for raw in raws)
    assert [r.link.raw for r in vault.outlinks[SETUP] if r.link.line in (10, 11)] == ["#Setup"]


# -- the link cache -----------------------------------------------------------------------------


def test_a_markdown_link_by_file_name_follows_the_files_that_come_and_go(make_repo) -> None:
    """The outcome of `![Pump](orion-pump.png)` and `[p](Pump.md)` depends on the name tables:
    a cached one goes when a file of that name appears or disappears."""
    root = make_repo({"guides/Setup.md": "![Pump](orion-pump.png) [p](Pump.md) [[Other]]\n", "notes/Pump.md": "# Pump\n", "Other.md": "# O\n"})

    def outcomes() -> list[tuple]:
        wiki = load_wiki(root)
        got = [(r.status, r.target, r.others) for r in wiki.outlinks["guides/Setup.md"]]
        assert got == [(r.status, r.target, r.others) for r in load_wiki(root, use_cache=False).outlinks["guides/Setup.md"]]
        return got

    assert outcomes() == [("missing", None, ()), ("resolved", "notes/Pump.md", ()), ("resolved", "Other.md", ())]
    (root / "img").mkdir()
    (root / "img/orion-pump.png").write_bytes(b"\x89PNG")
    assert outcomes() == [("resolved", "img/orion-pump.png", ()), ("resolved", "notes/Pump.md", ()), ("resolved", "Other.md", ())]
    (root / "places").mkdir()
    (root / "places/Pump.md").write_text("# Another pump\n")
    assert outcomes() == [("resolved", "img/orion-pump.png", ()), ("shadowed", "notes/Pump.md", ("places/Pump.md",)), ("resolved", "Other.md", ())]
    (root / "guides/Pump.md").write_text("# The guides' pump\n")  # now in the linking folder
    assert outcomes() == [("resolved", "img/orion-pump.png", ()), ("resolved", "guides/Pump.md", ()), ("resolved", "Other.md", ())]
    for gone in ("img/orion-pump.png", "guides/Pump.md", "places/Pump.md", "notes/Pump.md"):
        (root / gone).unlink()
    assert outcomes() == [("missing", None, ()), ("missing", None, ()), ("resolved", "Other.md", ())]
    assert load_wiki(root).resolver.computed == 0  # and an unchanged vault still reuses them all


def _imports(folder: Path, first: str) -> set[str]:
    """`first` and the modules of `kbsleep.wiki` it imports, at the top or in a function, and theirs."""
    found, todo = set(), [first]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found.add(name)
        for node in ast.walk(ast.parse((folder / name).read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kbsleep.wiki."):
                todo.append(node.module.removeprefix("kbsleep.wiki.") + ".py")
    return found


def test_the_link_cache_key_covers_every_module_of_the_resolver() -> None:
    """Outcomes are worked out by `resolve.py` from pages `PARSER_MODULES` make: the link cache's
    key (`LINKS_KEY`) hashes both, so outcomes an older resolver wrote are never read back."""
    folder = Path(__file__).parents[2] / "kbsleep" / "wiki"
    for module in RESOLVER_MODULES:
        assert _imports(folder, module) <= {*PARSER_MODULES, *RESOLVER_MODULES}


def test_the_lint_result_cache_key_covers_the_whole_wiki_model() -> None:
    """Findings depend on how links resolve and which files are pages, not only on the parser."""
    from kbsleep.lint.cache import _sources

    folder = Path(__file__).parents[2] / "kbsleep" / "wiki"
    assert set(folder.glob("*.py")) <= set(_sources())


# -- block ids ----------------------------------------------------------------------------------

# (page text, the block ids found: id -> line)
BLOCK_IDS = [
    ("The pump runs dry. ^dry-run\n", {"dry-run": 1}),
    ("First line\nlast line of the paragraph ^para\n", {"para": 2}),
    ("- Wire the Orion pump ^wire-step\n- Test it\n", {"wire-step": 1}),
    ("1. Wire ^one\n2. Test ^two\n", {"one": 1, "two": 2}),
    ("- [ ] Order the pump ^order\n- [x] Pay ^paid\n", {"order": 1, "paid": 2}),
    ("- parent\n  - nested item ^nested\n", {"nested": 2}),
    ("5. Name the branch ^8cdfd9\n\t![[create branch.png]]\n6. Next\n", {"8cdfd9": 1}),  # a bullet line
    ("- Gemmy\n    $$Paperclip$$\n    ^37006f\n- Next\n", {"37006f": 3}),  # the help's own example
    ("> A quote ^quoted\n", {"quoted": 1}),
    ("> [!note] Pump\n> Runs dry. ^callout\n", {"callout": 2}),
    ("> A quote\n\n^after-quote\n", {"after-quote": 3}),  # on its own line after the block
    ("| a | b |\n|---|---|\n| 1 | 2 |\n\n^table-id\n", {"table-id": 5}),
    ("| a | b |\n|---|---|\n| 1 | 2 |\n^table-id\n", {"table-id": 4}),
    ("## Pump ^heading-id\n", {"heading-id": 1}),
    ("![[orion.png]] ^orion-photo\n", {"orion-photo": 1}),
    ("![[version-history-collaboration.png]]^version-history-image\n", {"version-history-image": 1}),
    ("See [[Pump]]^after-link and ![x](pump.png)^after-image\n", {"after-image": 1}),
    ("```\ncode ^in-code\n```\n^after-code\n", {"after-code": 4}),
    # not block ids
    ("E = mc^2\n", {}),  # no space before the caret
    ("text ^snake_case\n", {}),  # Latin letters, digits and dashes only
    ("text ^ünï\n", {}),
    ("text `^in-code`\n", {}),
    ("text `code ^in-code`\n", {}),
    ("```\nfenced ^in-fence\n```\n", {}),
    ("    indented code ^in-code\n", {}),
    ("%% hidden ^in-comment %%\n", {}),
    ("A line ^not-last\nthe paragraph goes on\n", {}),
    ("- item\n  more ^middle\n  last\n", {}),
]


def _without_plain_reader(text: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    with monkeypatch.context() as patch:
        patch.setattr(parse_module, "plain_page", lambda text: None)
        return dict(parse_page("P.md", text.encode()).block_ids)


@pytest.mark.parametrize(("text", "expected"), BLOCK_IDS)
def test_block_ids_are_found_where_obsidian_finds_them(text: str, expected: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    """By both readers: markdown-it, and the plain line reader where it reads the page."""
    assert _without_plain_reader(text, monkeypatch) == expected
    assert dict(parse_page("P.md", text.encode()).block_ids) == expected


def test_the_plain_reader_reads_most_block_id_cases() -> None:
    """So that the comparison above compares two readers, not markdown-it with itself."""
    plain = [text for text, _ in BLOCK_IDS if plain_page(text) is not None]
    assert len(plain) >= len(BLOCK_IDS) // 2
