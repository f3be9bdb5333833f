"""Only pages: no pass writes hidden files or folders, excluded files or templates.

The fixture wiki baits every pass: `.github/pull_request_template.md` has an alias link, a
misspelt link and a fact that conflicts with a page; `sub/.hidden/Kestrel Rover.md` is a copy
of a page; `drafts/d.md` (excluded by the config) has links to repair; `inbox/.hidden/note.md`
is an inbox note. Each pass must leave every one of them byte for byte as it was.
(A real community vault had 11 pull-request templates and test fixtures under `.github/`
rewritten by `anticipate`.)
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from kbsleep.llm import select_engine
from kbsleep.passes.anticipate import Options, anticipate
from kbsleep.passes.consolidate import Options as Tidy, TASKS, consolidate
from kbsleep.sleep import SleepOptions, sleep
from kbsleep.wiki import open_wiki
from tests.conftest import git, write_files

TODAY = datetime.date(2026, 3, 20)
SET_ASIDE = (".github/pull_request_template.md", "sub/.hidden/Kestrel Rover.md", "drafts/d.md", "inbox/.hidden/note.md")


@pytest.fixture
def repo(make_repo):  # type: ignore[no-untyped-def]
    return make_repo(fixture="merges/scoped")


def files(root: Path, paths: tuple[str, ...] = SET_ASIDE) -> dict[str, bytes]:
    return {path: (root / path).read_bytes() for path in paths}


def offline(root: Path):  # type: ignore[no-untyped-def]
    wiki = open_wiki(root)
    return wiki, select_engine(wiki.config.llm, "offline")


def test_anticipate_writes_pages_and_nothing_set_aside(repo: Path) -> None:
    before = files(repo)
    wiki, model = offline(repo)
    outcome = anticipate(wiki, model, Options())

    assert files(repo) == before
    assert {w.path for w in outcome.written} == {"vehicles/Kestrel Rover.md", "places/Port Evra.md"}


@pytest.mark.parametrize("task", list(TASKS))
def test_each_consolidate_task_leaves_what_is_set_aside(repo: Path, task: str) -> None:
    before = files(repo)
    wiki, model = offline(repo)
    consolidate(wiki, model, Tidy(only=(task,), today=TODAY))

    assert files(repo) == before
    assert (repo / "vehicles/Kestrel Rover.md").exists()  # not merged with its hidden copy


def test_a_whole_consolidate_run_repairs_pages_only(repo: Path) -> None:
    before = files(repo)
    wiki, model = offline(repo)
    report = consolidate(wiki, model, Tidy(today=TODAY))

    assert files(repo) == before
    index = (repo / "index.md").read_text(encoding="utf-8")
    assert "pull_request_template" not in index and "hidden" not in index and "drafts" not in index
    assert all(not item.reason.startswith("refused") for item in report.left)  # the tasks never planned to write there


def test_sleep_leaves_what_is_set_aside(repo: Path) -> None:
    before = files(repo)
    wiki, model = offline(repo)
    report = sleep(wiki, model, SleepOptions())

    assert files(repo) == before and report.commits


@pytest.mark.parametrize(
    "setting, path, text",
    [
        ('index-page = "index.md"\nexclude = ["drafts/**", "index.md"]\n', "index.md", None),  # the index, excluded
        ('log-page = ".logs/log.md"\nexclude = ["drafts/**"]\n', ".logs/log.md", "# Log\n"),  # the log, hidden
    ],
)
def test_an_index_or_log_page_that_is_set_aside_is_never_written(repo: Path, setting: str, path: str, text: str | None) -> None:
    if text is not None:
        write_files(repo, {path: text})
    write_files(repo, {"kbsleep.toml": setting})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "set the page aside")
    before = files(repo, (*SET_ASIDE, path))
    wiki, model = offline(repo)
    report = consolidate(wiki, model, Tidy(today=TODAY))

    assert files(repo, (*SET_ASIDE, path)) == before
    [refusal] = [item for item in report.left if item.path == path]
    assert refusal.reason.startswith(f"refused: the plan would write {path}, ")


# -- set aside by Obsidian's own settings (`Wiki.unjudged`): no questions, merges or callouts ------------


OBSIDIAN = [
    ({".obsidian/templates.json": json.dumps({"folder": "Templates"}), "Templates/Daily.md": "# {{date}}\n\nThe [[Kestrel Rover]] log for the day.\n"}, "Templates/Daily.md"),
    ({".obsidian/app.json": json.dumps({"userIgnoreFilters": ["archive/"]}), "archive/Old.md": "# Old\n\nThe [[Kestrel Rover]] as it was in 2020.\n"}, "archive/Old.md"),
]


@pytest.mark.parametrize("extra, path", OBSIDIAN)
def test_templates_and_obsidians_excluded_files_are_never_written(make_repo, extra: dict[str, str], path: str) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(extra, fixture="merges/scoped")
    before = files(repo, (path,))
    wiki, model = offline(repo)
    anticipate(wiki, model, Options())
    consolidate(open_wiki(repo), model, Tidy(today=TODAY))

    assert files(repo, (path,)) == before
