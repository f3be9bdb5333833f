"""`kbsleep init --agent`: the house rules in the wiki's AGENTS.md / CLAUDE.md, between markers;
and those files are instructions, not pages: set aside like Excluded files."""

from __future__ import annotations

import pytest

from kbsleep import agents
from kbsleep.cli import main
from kbsleep.config import Config, load_config
from kbsleep.lint import lint
from kbsleep.passes.anticipate import select
from kbsleep.status import status
from kbsleep.wiki import open_wiki

WIKI = {"index.md": "# Index\n\n- [[A]]\n", "A.md": "# A\n\nBack to [[index]].\n"}
MINE = "# Notes for agents\n\nUse British spelling.\n"


def section(**config: str) -> str:
    return agents.section(Config(**config))  # type: ignore[arg-type]


def test_with_neither_file_agents_md_gets_the_rules_and_claude_md_imports_it(make_repo, capsys) -> None:
    root = make_repo(WIKI)
    assert main(["--wiki", str(root), "init", "--agent"]) == 0
    assert (root / "AGENTS.md").read_text(encoding="utf-8") == section()
    assert (root / "CLAUDE.md").read_text(encoding="utf-8") == "@AGENTS.md\n"
    out = capsys.readouterr().out
    assert f"wrote {root / 'AGENTS.md'} (agent rules: created)" in out
    assert f"wrote {root / 'CLAUDE.md'} (agent rules: created: imports AGENTS.md)" in out
    assert (root / "kbsleep.toml").exists()


def test_the_rules_say_what_the_issue_asks_in_a_few_lines() -> None:
    text = agents.rules(Config())
    for rule in ("`ask`", "[[File name]]", "kbsleep lint --staged", "<!-- kbsleep:NAME ... -->", "## [YYYY-MM-DD] kind | subject", "`log.md`"):
        assert rule in text
    assert len(text.splitlines()) <= 25
    assert "`journal.md`" in agents.rules(Config(log_page="journal.md"))


def test_an_existing_file_gets_the_section_appended_and_keeps_its_own_text(make_repo) -> None:
    root = make_repo({**WIKI, "AGENTS.md": MINE})
    assert main(["--wiki", str(root), "init", "--agent"]) == 0
    assert (root / "AGENTS.md").read_text(encoding="utf-8") == MINE + "\n" + section()
    assert not (root / "CLAUDE.md").exists()  # only the files the wiki has


def test_running_it_again_replaces_the_section_only(make_repo, capsys) -> None:
    root = make_repo({**WIKI, "CLAUDE.md": MINE})
    assert main(["--wiki", str(root), "init", "--agent"]) == 0
    (root / "CLAUDE.md").write_text((root / "CLAUDE.md").read_text(encoding="utf-8") + "\nMore of mine.\n", encoding="utf-8")
    (root / "kbsleep.toml").write_text('log-page = "journal.md"\n', encoding="utf-8")
    capsys.readouterr()
    assert main(["--wiki", str(root), "init", "--agent"]) == 0
    assert (root / "CLAUDE.md").read_text(encoding="utf-8") == MINE + "\n" + section(log_page="journal.md") + "\nMore of mine.\n"
    assert "(agent rules: updated)" in capsys.readouterr().out
    assert main(["--wiki", str(root), "init", "--agent"]) == 0
    assert f"kept {root / 'CLAUDE.md'} (agent rules: unchanged)" in capsys.readouterr().out
    assert load_config(root).log_page == "journal.md"  # the config that existed is kept


def test_a_claude_md_that_imports_agents_md_is_left_alone(make_repo) -> None:
    root = make_repo({**WIKI, "AGENTS.md": MINE, "CLAUDE.md": "@AGENTS.md\n\nPrefer short answers.\n"})
    assert main(["--wiki", str(root), "init", "--agent"]) == 0
    assert (root / "CLAUDE.md").read_text(encoding="utf-8") == "@AGENTS.md\n\nPrefer short answers.\n"
    assert (root / "AGENTS.md").read_text(encoding="utf-8").endswith(section())


def test_the_file_keeps_its_line_endings() -> None:
    text = "# Mine\r\n\r\nRules.\r\n"
    updated = agents.replace(text, section())
    assert updated == text + "\r\n" + section().replace("\n", "\r\n")
    assert agents.replace(updated, section()) == updated


@pytest.mark.parametrize(
    "broken",
    ["<!-- kbsleep:agent -->\nhalf\n", "<!-- /kbsleep:agent -->\n<!-- kbsleep:agent -->\n", "<!-- kbsleep:agent -->\n<!-- /kbsleep:agent -->\n<!-- kbsleep:agent -->\n"],
)
def test_unpaired_markers_are_refused_not_guessed(make_repo, broken: str, capsys) -> None:
    root = make_repo({**WIKI, "AGENTS.md": MINE + broken})
    assert main(["--wiki", str(root), "init", "--agent"]) == 2
    assert "AGENTS.md has a broken kbsleep:agent section" in capsys.readouterr().err
    assert (root / "AGENTS.md").read_text(encoding="utf-8") == MINE + broken


def test_a_wiki_in_a_subfolder_says_how_to_reach_it_from_the_top(make_repo) -> None:
    root = make_repo({f"notes/{k}": v for k, v in WIKI.items()})
    assert main(["--wiki", str(root / "notes"), "init", "--agent"]) == 0
    assert "from the repository's top with `--wiki notes`" in (root / "notes" / "AGENTS.md").read_text(encoding="utf-8")
    assert not (root / "AGENTS.md").exists()


def test_init_without_agent_still_refuses_an_existing_config(make_repo) -> None:
    root = make_repo({**WIKI, "kbsleep.toml": "[lint]\nignore = ['KB2']\n"})
    assert main(["--wiki", str(root), "init"]) == 2
    assert main(["--wiki", str(root), "init", "--agent"]) == 0
    assert "KB2" in (root / "kbsleep.toml").read_text(encoding="utf-8")


# -- the agent files are not pages of the wiki ---------------------------------------------------


def test_the_agent_files_are_set_aside_nothing_judged_nothing_written(make_repo) -> None:
    root = make_repo({**WIKI, "AGENTS.md": MINE + "See [[Nowhere]].\n", "CLAUDE.md": "@AGENTS.md\n", "sub/CLAUDE.md": "# Sub-wiki rules\n", "people/Agents.md": "# Agents\n\nA page about agents, linked from nowhere.\n"})
    wiki = open_wiki(root)
    assert wiki.excluded == {"AGENTS.md", "CLAUDE.md", "sub/CLAUDE.md"}  # at any depth, by their exact names
    assert {d.path for d in lint(wiki).diagnostics} == {"people/Agents.md"}
    assert "AGENTS.md" not in {p.path for p in select(wiki)}
    assert "AGENTS.md" not in status(wiki).unanswered


def test_a_link_to_an_agent_file_still_opens_it(make_repo) -> None:
    root = make_repo({**WIKI, "A.md": "# A\n\nBack to [[index]]; the rules are in [[AGENTS]].\n", "AGENTS.md": MINE})
    assert lint(open_wiki(root)).diagnostics == ()


def test_include_brings_an_agent_file_back_as_a_page(make_repo) -> None:
    root = make_repo({**WIKI, "AGENTS.md": MINE, "kbsleep.toml": 'include = ["AGENTS.md"]\n'})
    wiki = open_wiki(root)
    assert wiki.excluded == frozenset()
    assert {(d.path, d.name) for d in lint(wiki).diagnostics} >= {("AGENTS.md", "orphan-page")}
