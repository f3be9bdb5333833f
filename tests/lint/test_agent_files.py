"""Agent files at any depth: an `AGENTS.md` or `CLAUDE.md` holds instructions for the agent that
keeps the wiki (or one of its sub-wikis: a repository of several LLM wikis keeps one `CLAUDE.md`
a wiki, copied from one another), not knowledge. Like Obsidian's Excluded files, links to them
open, and nothing on them is judged: no orphan, no duplicate, no empty section. The names are
case-sensitive, as the agents read them: `notes/Agents.md` is a page like any other."""

from __future__ import annotations

from tests.lint.support import describe, lint_wiki

RULES = "# CLAUDE.md\n\nIngest sources into wiki/sources, one page a source, and log each ingest.\n\n## Pages\n\n"

VAULT = {
    "index.md": "# Index\n\n- [[Pump]]\n- [[wikis/hull/CLAUDE|Hull rules]]\n",
    "Pump.md": "# Pump\n\nA pump.\n",
    "AGENTS.md": "# Rules\n\nLink by file name.\n",
    "wikis/hull/CLAUDE.md": RULES,
    "wikis/pumps/CLAUDE.md": RULES,
    "wikis/pumps/AGENTS.md": RULES.replace("# CLAUDE.md", "# Agents"),
    "notes/Agents.md": "# Agents\n\nNotes on software agents.\n",
}


def test_agent_files_at_any_depth_are_not_judged(make_repo) -> None:
    report = lint_wiki(make_repo(VAULT), "KB101", "KB201", "KB202", "KB205")
    assert describe(report.diagnostics) == """\
notes/Agents.md:1:1: KB201 no page links to notes/Agents.md
    hint: link it from a topic page or from index.md
"""


def test_include_makes_a_nested_agent_file_a_page_again(make_repo) -> None:
    root = make_repo({**VAULT, "kbsleep.toml": 'include = ["wikis/pumps/CLAUDE.md"]\n'})
    report = lint_wiki(root, "KB201", "KB205")
    assert sorted((d.code, d.location.path) for d in report.diagnostics) == [
        ("KB201", "notes/Agents.md"), ("KB201", "wikis/pumps/CLAUDE.md"), ("KB205", "wikis/pumps/CLAUDE.md"),
    ]
