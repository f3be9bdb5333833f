"""A list nested a dozen levels deep is a page Obsidian renders whole (Blue Topaz's example vault
nests task lists eleven deep): it is parsed whole too, its deepest links checked, with no
`unparsed-page`. Only nesting far past any page written by hand (a hundred levels) is not."""

from __future__ import annotations

import pytest

from kbsleep.wiki.parse import parse_page


def nested(depth: int, item: str, indent: str) -> str:
    lines = [f"{indent * level}{item} step {level}" for level in range(depth)]
    return "# Deep\n\n" + "\n".join(lines) + " [[Deepest]]\n"


@pytest.mark.parametrize(("item", "indent"), [("1. [ ]", "   "), ("-", "  "), ("- [x]", "\t"), (">", "")])
@pytest.mark.parametrize("depth", [12, 30])
def test_a_deep_list_is_parsed_to_its_last_item(item: str, indent: str, depth: int) -> None:
    text = nested(depth, item, indent) if item != ">" else "# Deep\n\n" + ">" * depth + " quoted [[Deepest]]\n"
    page = parse_page("Deep.md", text.encode())
    assert [link.target for link in page.links] == ["Deepest"]
    assert [p.code for p in page.problems] == []


def test_nesting_past_a_hundred_levels_is_reported_not_parsed() -> None:
    page = parse_page("Deep.md", ("# Deep\n\n" + ">" * 150 + " [[Deepest]]\n").encode())
    assert [p.code for p in page.problems] == ["unparsed-page"]
