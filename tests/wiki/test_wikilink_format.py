"""`format_wikilink`: the one way a writer writes a link, read back by Obsidian as the same link.

In a table cell a `|` is written `\\|` (help vault, "Advanced formatting syntax" > "Vertical bars
in tables"): a bare one ends the cell. `Link.in_table` says where a link is, and `Page.written`
gives the bytes the file holds for it, the span a writer replaces.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbsleep.wiki.parse import parse_page
from kbsleep.wiki.plain import plain_page
from kbsleep.wiki.wikilink import format_wikilink, sole_wikilink, wikilink_at


def parts(text: str) -> tuple[str, str, str | None, bool] | None:
    link = sole_wikilink(text)
    return None if link is None else (link.target, link.anchor, link.display, link.embed)


@pytest.mark.parametrize(
    ("target", "anchor", "display", "embed", "in_paragraph", "in_table"),
    [
        ("Kestrel Rover", "", None, False, "[[Kestrel Rover]]", "[[Kestrel Rover]]"),
        ("Kestrel Rover", "", "Kestrel", False, "[[Kestrel Rover|Kestrel]]", "[[Kestrel Rover\\|Kestrel]]"),
        ("Kestrel Rover", "Specs", None, False, "[[Kestrel Rover#Specs]]", "[[Kestrel Rover#Specs]]"),
        ("Kestrel Rover", "Specs#Wheels", "wheels", False, "[[Kestrel Rover#Specs#Wheels|wheels]]", "[[Kestrel Rover#Specs#Wheels\\|wheels]]"),
        ("Kestrel Rover", "^spec-1", "the spec", False, "[[Kestrel Rover#^spec-1|the spec]]", "[[Kestrel Rover#^spec-1\\|the spec]]"),
        ("", "Specs", None, False, "[[#Specs]]", "[[#Specs]]"),
        ("rover.png", "", None, True, "![[rover.png]]", "![[rover.png]]"),
        ("rover.png", "", "200", True, "![[rover.png|200]]", "![[rover.png\\|200]]"),
        ("vehicles/Kestrel Rover", "", "a|b", False, "[[vehicles/Kestrel Rover|a|b]]", "[[vehicles/Kestrel Rover\\|a\\|b]]"),
    ],
)
def test_a_link_is_written_for_where_it_goes(target: str, anchor: str, display: str | None, embed: bool, in_paragraph: str, in_table: str) -> None:
    assert format_wikilink(target, anchor, display, embed=embed) == in_paragraph
    assert format_wikilink(target, anchor, display, embed=embed, in_table=True) == in_table


@pytest.mark.parametrize(
    ("target", "anchor", "display"),
    [
        ("a|b", "", None),  # the `|` would start the display text
        ("a#b", "", None),  # the `#` would start an anchor
        ("a]]b", "", None),  # the first `]]` closes the link
        ("a[[b", "", None),
        ("a\nb", "", None),  # a link is one line
        (" a", "", None),  # a target is read trimmed
        ("a\\", "", "shown"),  # `[[a\|shown]]`: the `\` goes with the bar
        ("", "", None),  # `[[]]` is text
        ("a", "", "shown]"),  # `[[a|shown]]]` ends at the first `]]`
        ("a", "h|i", None),
    ],
)
def test_parts_no_link_reads_back_as_are_not_written(target: str, anchor: str, display: str | None) -> None:
    assert format_wikilink(target, anchor, display) is None
    assert format_wikilink(target, anchor, display, in_table=True) is None


NAMES = st.text(st.sampled_from("aB |#^]![\\\n."), max_size=6)


@settings(max_examples=400, deadline=None)
@given(NAMES, NAMES, st.none() | NAMES, st.booleans())
def test_what_is_written_reads_back_as_the_same_link(target: str, anchor: str, display: str | None, embed: bool) -> None:
    """Parsing what it writes gives back the target, anchor and display text; in a table, once
    the table has dropped the backslash before each bar (as markdown-it's table rule does), and
    with no bar left that would end the cell."""
    written = format_wikilink(target, anchor, display, embed=embed)
    in_table = format_wikilink(target, anchor, display, embed=embed, in_table=True)
    assert (written is None) == (in_table is None)
    if written is None or in_table is None:
        return
    assert parts(written) == (target, anchor, display, embed)
    assert in_table.replace("\\|", "|") == written
    assert "|" not in in_table.replace("\\|", "")


def table_page(cell: str) -> tuple[list[str], list]:  # type: ignore[type-arg]
    """The cells of the row holding `cell`, and its links, as the parser reads the page."""
    page = parse_page("t.md", f"| Link | Note |\n| --- | --- |\n| {cell} | kept |\n".encode())
    return [b.text for b in page.blocks if b.line == 3], [link for link in page.links if link.line == 3]


@pytest.mark.parametrize(
    ("target", "anchor", "display", "embed"),
    [("Kestrel Rover", "", "Kestrel", False), ("Kestrel Rover", "Specs", "specs", False), ("rover.png", "", "200", True), ("A", "", "x|y", False), ("A", "", None, False)],
)
def test_in_a_table_cell_the_row_keeps_its_cells_and_the_link_its_parts(target: str, anchor: str, display: str | None, embed: bool) -> None:
    cells, links = table_page(format_wikilink(target, anchor, display, embed=embed, in_table=True) or "")
    assert cells[1:] == ["kept"]
    [link] = links
    assert (link.target, link.anchor, link.display, link.kind == "embed", link.in_table) == (target, anchor, display, embed, True)
    # Written as in a paragraph, a bar splits the row: the link is gone, and so is the next
    # cell, past the table's two columns (what the writers did).
    if display is not None:
        written = format_wikilink(target, anchor, display, embed=embed) or ""
        assert table_page(written) == ([written[: written.index("|")], written[written.index("|") + 1 :].split("|")[0]], [])


def test_wikilink_at_reads_the_link_that_starts_there() -> None:
    line = "| [[a | b]] [[P\\|x]] ![[c.png]] |"
    assert wikilink_at(line, 12) is not None and wikilink_at(line, 12).raw == "[[P\\|x]]"  # type: ignore[union-attr]
    assert wikilink_at(line, 21) is not None and wikilink_at(line, 21).raw == "![[c.png]]"  # type: ignore[union-attr]
    assert wikilink_at(line, 22) is None  # inside the embed: it starts at its `!`
    assert wikilink_at(line, 13) is None
    assert wikilink_at("[[a [[b]]", 0) is None and wikilink_at("[[a [[b]]", 4).target == "b"  # type: ignore[union-attr]


PAGE = (
    "---\nrelated: \"[[F|f]]\"\n---\n"
    "| A | B |\n|---|---|\n| [[T\\|x]] | ![[i.png]] [[U]] |\n\n"
    "Text [[T|x]] and [[V\\|y]].\n\n- item [[W]]\n"
)


@pytest.mark.parametrize("text", [PAGE, PAGE + "\n<div>HTML: not a plain page</div>\n"], ids=["plain", "markdown-it"])
def test_links_know_whether_they_are_in_a_table_cell(text: str) -> None:
    assert (plain_page(text) is None) == ("<div>" in text)  # both ways of reading a page
    page = parse_page("p.md", text.encode())
    found = {(link.raw, link.in_table) for link in page.links}
    assert found == {("[[F|f]]", False), ("[[T|x]]", True), ("![[i.png]]", True), ("[[U]]", True), ("[[T|x]]", False), ("[[V\\|y]]", False), ("[[W]]", False)}


def test_page_written_is_the_link_as_the_file_holds_it() -> None:
    page = parse_page("p.md", PAGE.encode())
    written = {(link.raw, link.in_table): page.written(link) for link in page.links}
    assert {key: w.raw for key, w in written.items() if w is not None} == {
        ("[[F|f]]", False): "[[F|f]]",
        ("[[T|x]]", True): "[[T\\|x]]",
        ("![[i.png]]", True): "![[i.png]]",
        ("[[U]]", True): "[[U]]",
        ("[[T|x]]", False): "[[T|x]]",
        ("[[V\\|y]]", False): "[[V\\|y]]",
        ("[[W]]", False): "[[W]]",
    }
    [table_link] = [link for link in page.links if link.in_table and link.display == "x"]
    assert page.written(table_link._replace(column=table_link.column + 1)) is None  # not where it says: nothing to replace
