"""What the parser records about empty pages and sections (the empty-page and empty-section rules
read only these, never a page's text)."""

from __future__ import annotations

import pytest

from kbsleep.wiki.parse import parse_page


def page(text: str):
    return parse_page("Page.md", text.encode())


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n  \n",
        "# Only a title\n",
        "---\ntitle: T\n---\n\n# T\n\n<!-- a comment -->\n%% and\nanother %%\n",
        "# Title\r\n\r\n# Another H1\r\n",
    ],
)
def test_a_page_with_nothing_beyond_frontmatter_h1_and_comments_is_empty(text: str) -> None:
    assert page(text).empty


@pytest.mark.parametrize("text", ["# Title\n\ntext\n", "## Section\n", "---\ntitle: T\n---\nx\n", "# T\r\n\r\n- item\r\n"])
def test_anything_else_makes_a_page_not_empty(text: str) -> None:
    assert not page(text).empty


def test_a_section_is_empty_when_only_blank_lines_lead_to_a_heading_as_high_or_the_end() -> None:
    text = "# T\n\n## Empty\n\n\n## Full\ntext\n## Parent\n### Child\nbody\n### Last child\n\n"
    found = page(text)
    assert [found.line_text(line) for line in found.empty_sections] == ["## Empty", "### Last child"]  # `# T` holds its subsections


def test_the_lines_of_empty_sections_count_lines_as_the_parser_does() -> None:
    found = page("intro\r\r## Empty\r\n\r\n## Full\rtext\r")
    assert found.empty_sections == (3,)
    assert not found.empty
