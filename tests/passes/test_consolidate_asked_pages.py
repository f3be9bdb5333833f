"""The index and log pages: consolidate keeps them when they exist, and creates them only when asked.

A hand-written vault (Obsidian's own help vault, a community vault) has no `index.md` and no
`log.md`; a tool that adds two new top-level pages to it is a write its owner has to undo. An
LLM wiki has both (or asks for them in its config, as `kbsleep init` writes for a new wiki).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from kbsleep.cli import main
from kbsleep.config import Config
from kbsleep.llm import select_engine
from kbsleep.passes.consolidate import Options, consolidate
from kbsleep.passes.consolidate.asked import note
from kbsleep.sleep import SleepOptions, sleep
from kbsleep.wiki import open_wiki
from tests.conftest import git

TODAY = datetime.date(2026, 3, 20)
# A hand-written vault: a link written as a title (`[[Kestrel]]`, an alias) for the links task to repair.
HAND = {
    "Kestrel Rover.md": "---\naliases: [Kestrel]\n---\n# Kestrel Rover\n\nA survey rover built in 2021.\n",
    "Field trials.md": "# Field trials\n\nThe [[Kestrel]] was tested at the harbour.\n",
}
NEITHER = (
    'index, log: not run: the wiki has no index.md or log.md, and its config names neither; to have consolidate create and keep them, set index-page = "index.md" and log-page = "log.md" in kbsleep.toml'
)


def run(root: Path, *only: str, dry_run: bool = False):  # type: ignore[no-untyped-def]
    wiki = open_wiki(root)
    return consolidate(wiki, select_engine(wiki.config.llm, "offline"), Options(only=only, dry_run=dry_run, today=TODAY))


def written(root: Path, since: str) -> list[str]:
    """Every file the commits after `since` added, changed or removed."""
    return sorted(set(git(root, "diff", "--name-only", since, "HEAD").splitlines()))


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


# -- a vault without them -------------------------------------------------------------------------


def test_a_vault_without_index_or_log_gets_neither(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(HAND)
    start = head(root)
    report = run(root)

    assert not (root / "index.md").exists() and not (root / "log.md").exists()
    assert git(root, "diff", "--name-only", start, "HEAD").splitlines() == ["Field trials.md"]  # the repaired link, only
    assert report.summary == "links"
    assert report.unasked == ("index", "log")
    assert report.note == NEITHER


def test_the_cli_says_why_and_how_in_one_line(make_repo, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(HAND)
    assert main(["--wiki", str(root), "consolidate", "--engine", "offline"]) == 0
    lines = capsys.readouterr().out.splitlines()

    assert lines[0].startswith("links: repair 1 link in 1 page (")
    assert lines[1:5] == ["duplicates: merge 0 duplicate page groups", "inbox: fold 0 inbox notes", "contradictions: handle 0 conflicting claims", NEITHER]
    assert lines[5].startswith("run ") and len(lines) == 6


def test_a_dry_run_says_it_too(make_repo, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(HAND)
    assert main(["--wiki", str(root), "consolidate", "--engine", "offline", "--dry-run"]) == 0

    headings = [line for line in capsys.readouterr().out.splitlines() if line.startswith("# ")]
    assert headings[1:] == [
        "# duplicates: merge 0 duplicate page groups (diff against the result of the tasks before it)",
        "# inbox: fold 0 inbox notes (diff against the result of the tasks before it)",
        "# contradictions: handle 0 conflicting claims (diff against the result of the tasks before it)",
        "# " + NEITHER,
    ]
    assert headings[0].startswith("# links: repair 1 link in 1 page")


def test_the_mcp_tool_says_it_too(make_repo) -> None:  # type: ignore[no-untyped-def]
    from kbsleep.toolbox import Toolbox

    root = make_repo(HAND)
    done = Toolbox(root, "offline").consolidate(dry_run=True)

    assert done["note"] == NEITHER
    assert [step["task"] for step in done["steps"]] == ["links", "duplicates", "inbox", "contradictions", "index", "log"]
    assert Toolbox(root, "offline").consolidate(only=["index"], dry_run=True)["note"] is None  # named: it would create it


def test_sleep_writes_neither_and_its_report_says_why(make_repo, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(HAND)
    start = head(root)
    assert main(["--wiki", str(root), "sleep", "--engine", "offline"]) == 0

    assert "index.md" not in written(root, start) and "log.md" not in written(root, start)
    assert not (root / "index.md").exists() and not (root / "log.md").exists()
    assert "consolidate: " + NEITHER in capsys.readouterr().out.splitlines()


def test_one_that_has_an_index_and_no_log_keeps_the_index_and_gets_no_log(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({**HAND, "index.md": "# Start here\n\nMy own words.\n"})
    report = run(root)

    text = (root / "index.md").read_text(encoding="utf-8")
    assert text.startswith("# Start here\n\nMy own words.\n\n<!-- kbsleep:index v=1 ")
    assert "- [[Kestrel Rover]] — A survey rover built in 2021.\n" in text
    assert not (root / "log.md").exists()
    assert report.unasked == ("log",)
    assert report.note == 'log: not run: the wiki has no log.md, and its config does not name it; to have consolidate create and keep it, set log-page = "log.md" in kbsleep.toml'


def test_a_deleted_index_is_not_written_back(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({**HAND, "index.md": "# Index\n"})
    run(root, "index")
    git(root, "rm", "-q", "index.md")
    git(root, "commit", "-q", "-m", "no index for me")

    report = run(root)
    assert not (root / "index.md").exists()
    assert report.unasked == ("index", "log")


# -- a wiki that has them ---------------------------------------------------------------------


def test_a_wiki_with_both_keeps_both_maintained(make_repo) -> None:  # type: ignore[no-untyped-def]
    log = "# Log\n\n## [2026-03-01] ingest | trials\n\nCreated [[Field trials]].\n"
    root = make_repo({**HAND, "index.md": "# Index\n\n- [[Field trials]]\n", "log.md": log})
    report = run(root)

    index = (root / "index.md").read_text(encoding="utf-8")
    assert index.startswith("# Index\n\n- [[Field trials]]\n\n<!-- kbsleep:index v=1 ")
    assert "_Generated by `kbsleep consolidate`: 1 page the index above does not link._\n\n### Top level\n\n- [[Kestrel Rover]]" in index
    assert (root / "log.md").read_text(encoding="utf-8").startswith(log + "\n## [2026-03-20] consolidate | links: repair 1 link in 1 page\n")
    assert report.summary == "links, index, log" and report.note == "" and report.unasked == ()


def test_the_sample_wiki_keeps_its_index_and_log(sample_repo: Path) -> None:
    git(sample_repo, "add", "-A")
    git(sample_repo, "commit", "-q", "-m", "sample")
    log = (sample_repo / "log.md").read_text(encoding="utf-8")
    report = run(sample_repo)

    assert {"index", "log"} <= {s.outcome.task for s in report.steps if s.commit}
    assert (sample_repo / "log.md").read_text(encoding="utf-8").startswith(log)
    assert report.note == ""


# -- a wiki that asks for them ------------------------------------------------------------------


def test_a_config_that_names_them_gets_them_created(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({**HAND, "kbsleep.toml": 'index-page = "index.md"\nlog-page = "log.md"\n'})
    report = run(root)

    assert (root / "index.md").read_text(encoding="utf-8").startswith("# Index\n\n<!-- kbsleep:index v=1 ")
    assert (root / "log.md").read_text(encoding="utf-8").startswith("# Log\n\n## [2026-03-20] consolidate | links: ")
    assert report.summary == "links, index, log" and report.note == ""


def test_a_config_may_name_one_under_another_name(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({**HAND, "kbsleep.toml": 'log-page = "Changes.md"\n'})
    report = run(root)

    assert (root / "Changes.md").read_text(encoding="utf-8").startswith("# Log\n\n## [2026-03-20] consolidate | links: ")
    assert not (root / "index.md").exists() and not (root / "log.md").exists()
    assert report.note == 'index: not run: the wiki has no index.md, and its config does not name it; to have consolidate create and keep it, set index-page = "index.md" in kbsleep.toml'


def test_the_note_names_pyproject_when_the_config_lives_there(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({**HAND, "pyproject.toml": '[tool.kbsleep]\nmax-pages-per-run = 100\n'})
    report = run(root)

    assert report.note.endswith('set index-page = "index.md" and log-page = "log.md" in [tool.kbsleep] in pyproject.toml')
    assert not (root / "index.md").exists()


def test_naming_the_task_outright_creates_its_page(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(HAND)
    report = run(root, "links", "index")

    assert (root / "index.md").read_text(encoding="utf-8").startswith("# Index\n\n<!-- kbsleep:index v=1 ")
    assert not (root / "log.md").exists() and report.note == ""  # the log task was not run


def test_the_note_lists_the_tasks_in_run_order() -> None:
    assert note([], None) == ""
    assert note([("index", "Home.md")], Path("/w/.kbsleep.toml")) == (
        'index: not run: the wiki has no Home.md, and its config does not name it; to have consolidate create and keep it, set index-page = "Home.md" in .kbsleep.toml'
    )


# -- max-pages-per-run ------------------------------------------------------------------------


def test_a_log_that_is_not_written_leaves_its_page_of_the_limit_to_the_others(make_repo) -> None:  # type: ignore[no-untyped-def]
    pages = {f"Trial {n}.md": f"# Trial {n}\n\nThe [[Kestrel]] ran.\n" for n in range(3)}
    root = make_repo({"Kestrel Rover.md": HAND["Kestrel Rover.md"], **pages, "kbsleep.toml": "max-pages-per-run = 2\n"})
    start = head(root)
    report = run(root)

    assert written(root, start) == ["Trial 0.md", "Trial 1.md"]  # two repairs: no page kept for a log not written
    assert len(report.deferred) == 1


def test_sleep_on_a_config_that_names_them_creates_them(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({**HAND, "kbsleep.toml": 'index-page = "index.md"\nlog-page = "log.md"\n'})
    wiki = open_wiki(root)
    report = sleep(wiki, select_engine(wiki.config.llm, "offline"), SleepOptions())

    assert (root / "index.md").exists() and (root / "log.md").exists() and report.note == ""


def test_config_given_holds_the_keys_written_out(tmp_path: Path) -> None:
    from kbsleep.config import load_config

    (tmp_path / "kbsleep.toml").write_text('index-page = "index.md"\n[links]\n[lint]\nselect = ["KB1"]\nper-file-ignores = { "a/**" = ["KB101"] }\n', encoding="utf-8")
    config = load_config(tmp_path, {"log-page": "log.md"})

    assert config.given == {"index_page", "log_page", "lint.select", "lint.per_file_ignores"}
    assert config.index_page == Config().index_page and config != Config(source=config.source)  # the same value, asked for
    assert "given=" not in repr(config)  # repr keys lint's result cache; a set's order is not stable
