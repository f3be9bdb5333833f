"""empty-section (KB205) and the log page: an LLM wiki's append-only log writes one heading an
entry (`## [2026-04-19] ingest | Title`, the pattern consolidate's own `log` task follows), often
with nothing under it, since the heading says it all. In the log page a heading is an entry, not
an unfinished section; the same heading elsewhere is still judged, and so is a log page that the
config names differently."""

from __future__ import annotations

from tests.lint.support import describe, lint_wiki

LOG = (
    "# Log\n\n"
    "## [2026-04-19] ingest | Story persistence harness — source `story-persistence`\n\n"
    "## [2026-04-20] lint | 3 broken links fixed\n\n"
    "- [[Orion pump]]\n\n"
    "## [2026-04-21] query | What does the pump cost?\n"
)

VAULT = {
    "index.md": "# Index\n\n- [[Orion pump]]\n- [[log]]\n- [[Journal]]\n",
    "log.md": LOG,
    "Journal.md": LOG.replace("# Log", "# Journal"),
    "Orion pump.md": "# Orion pump\n\nA pump.\n\n## Cost\n\n## Parts\n\nTwo.\n",
}


def test_log_headings_are_entries_not_empty_sections(make_repo) -> None:
    report = lint_wiki(make_repo(VAULT), "KB205")
    assert describe(report.diagnostics) == """\
Journal.md:3:1: KB205 section `[2026-04-19] ingest | Story persistence harness — source `story-persistence`` is empty
    hint: write the section or remove the heading
Journal.md:9:1: KB205 section `[2026-04-21] query | What does the pump cost?` is empty
    hint: write the section or remove the heading
Orion pump.md:5:1: KB205 section `Cost` is empty
    hint: write the section or remove the heading
"""


def test_the_configured_log_page_is_the_one_set_aside(make_repo) -> None:
    root = make_repo({**VAULT, "kbsleep.toml": 'log-page = "Journal.md"\n'})
    report = lint_wiki(root, "KB205")
    assert sorted((d.location.path, d.location.line) for d in report.diagnostics) == [("Orion pump.md", 5), ("log.md", 3), ("log.md", 9)]
