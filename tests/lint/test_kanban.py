"""empty-section (KB205) on the Kanban plugin's boards: a board is a page with `kanban-plugin` in
its properties whose `##` headings are lanes, empty until a card is moved there (the shape is a
student vault's board); its cards' links are still checked."""

from __future__ import annotations

from tests.lint.support import describe, lint_wiki

BOARD = (
    "---\n\nkanban-plugin: basic\n\n---\n\n"
    "## To do\n\n- [ ] [[Seminar notes]]\n\n\n## Waiting\n\n\n\n## Done\n\n**Complete**\n- [x] [[Lecture 0]]\n\n"
    "%% kanban:settings\n```\n{\"kanban-plugin\":\"basic\"}\n```\n%%\n"
)

VAULT = {
    "Board.md": BOARD,
    "Lecture 0.md": "# Lecture 0\n\nNotes.\n\n## Questions\n\n## Summary\n\nShort.\n",
}

EXPECTED = """\
Board.md:9:7: KB101 broken link: `[[Seminar notes]]` matches no page or attachment
Lecture 0.md:5:1: KB205 section `Questions` is empty
    hint: write the section or remove the heading
"""


def test_a_boards_empty_lanes_are_not_empty_sections(make_repo) -> None:
    report = lint_wiki(make_repo(VAULT), "KB101", "KB205")
    assert describe(report.diagnostics) == EXPECTED
