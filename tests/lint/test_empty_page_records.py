"""empty-page (KB204) on pages that are records: properties that state facts are content, as
Obsidian's Bases, Dataview and calendar plugins read them (the shapes are from a student
vault's Full Calendar events and teacher cards); keys about the page alone are not."""

from __future__ import annotations

from tests.lint.support import describe, lint_wiki

VAULT = {
    # records: a fact in the properties
    "Exam Dates/2025-01-14 Graph Algorithms Exam.md": (
        "---\ntitle: Graph Algorithms Exam\nallDay: false\nstartTime: 10:00\nendTime: 11:30\n"
        "date: 2025-01-14\ncompleted: null\n---\n"
    ),
    "Teachers/Peter Ligeti.md": "---\nemail: ligeti@example.org\nwebsite:\nsubjects:\n  - Cryptography\n---\n",
    "Places/Port Evra.md": "---\ntitle: Port Evra\npopulation: 41000\n---\n# Port Evra\n",
    "Teachers/Robert Kovacs.md": "---\nemail:\nsubjects:\n  - \"[[Graphics]]\"\n  - Computer Graphics\n---\n",
    # not records: keys about the page, empty values, a title
    "Stubs/Tidal Mixing.md": (
        "---\ntitle: Tidal Mixing\ntype: concept\ntags: [stub]\ncreated: 2026-01-02\nupdated: 2026-01-03\n"
        "sources: []\nstatus: draft\n---\n# Tidal Mixing\n"
    ),
    "Teachers/Robert Ban.md": "---\nemail:\nwebsite: \nsubjects:\n  -\n---\n",
    "Only a title.md": "# Only a title\n",
}

EXPECTED = """\
Only a title.md:1:1: KB204 Only a title.md has no content
    hint: write the page or remove it
Stubs/Tidal Mixing.md:1:1: KB204 Stubs/Tidal Mixing.md has no content
    hint: write the page or remove it
Teachers/Robert Ban.md:1:1: KB204 Teachers/Robert Ban.md has no content
    hint: write the page or remove it
"""


def test_a_page_whose_properties_state_facts_is_a_record_not_empty(make_repo) -> None:
    report = lint_wiki(make_repo(VAULT), "KB204")
    assert describe(report.diagnostics) == EXPECTED
