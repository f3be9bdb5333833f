"""A run never dies for one page: a bug in one page's work skips that page, logged; the rest is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.cli import main
from kbsleep.llm import OFFLINE_TASKS, Request, Result, select_engine
from kbsleep.passes.anticipate import Options, anticipate, offline_anticipate
from kbsleep.state import ensure_state_dir
from kbsleep.wiki import open_wiki
from tests.conftest import git

BROKEN = "places/Port Evra.md"


def breaks_on_one_page(request: Request) -> Result:
    """The offline question generator, with a bug that only one page's text sets off."""
    if request.page == BROKEN:
        raise ValueError("a fact key with no words")
    return offline_anticipate(request)


@pytest.fixture
def repo(make_repo, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setitem(OFFLINE_TASKS, "anticipate", breaks_on_one_page)
    return make_repo(fixture="anticipate/wiki")


def test_a_page_whose_generator_raises_is_skipped_with_the_reason_and_the_others_are_written(repo: Path) -> None:
    wiki = open_wiki(repo)
    outcome = anticipate(wiki, select_engine(wiki.config.llm, "offline", state_dir=ensure_state_dir(repo)), Options())
    assert sorted(w.path for w in outcome.written) == ["people/Dev Arunachalam.md", "projects/Cobalt.md"]
    [skip] = outcome.skipped
    assert skip.path == BROKEN
    assert skip.reason.startswith("model error: kbsleep bug (ValueError: a fact key with no words); traceback in ")
    log = Path(skip.reason.rsplit(" ", 1)[-1])
    logged = log.read_text(encoding="utf-8")
    assert "anticipate request for places/Port Evra.md" in logged and "Traceback" in logged and "breaks_on_one_page" in logged
    assert "kbsleep:anticipate" not in (repo / BROKEN).read_text(encoding="utf-8")
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split("\n")[:2] == ["people/Dev Arunachalam.md", "projects/Cobalt.md"]


def test_on_the_command_line_the_run_commits_the_rest_and_exits_1_naming_the_page(repo: Path, capsys) -> None:
    assert main(["--wiki", str(repo), "anticipate", "--engine", "offline"]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("anticipate: wrote 2 pages in ")
    assert out.endswith("0 pages already up to date, 0 kept, 1 skipped\n")
    assert err.startswith(f"skipped {BROKEN}: model error: kbsleep bug (ValueError: a fact key with no words); traceback in ")
    assert "Traceback" not in err and "crashed" not in err


def test_a_bug_outside_the_work_of_one_page_still_ends_the_run_with_a_crash_log(repo: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    import kbsleep.git.transaction

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in the write transaction")

    monkeypatch.setattr(kbsleep.git.transaction, "apply", explode)  # a stand-in for a bug after the pages are planned
    head = git(repo, "rev-parse", "HEAD")
    assert main(["--wiki", str(repo), "anticipate", "--engine", "offline"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kbsleep crashed (RuntimeError: a bug in the write transaction); details in ")
    assert git(repo, "rev-parse", "HEAD") == head
