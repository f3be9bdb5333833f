"""Git states a writing command refuses before it plans anything (and before any model call):
a detached HEAD, a rebase, merge, cherry-pick or revert in progress, unresolved conflicts, a
repository with no commits. And the bytes git commits of a page with a BOM or CRLF lines."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Callable

import pytest

from kbsleep.cli import main
from kbsleep.testing import FakeAnthropic
from tests.conftest import git

CONFIG = "[llm]\ntimeout = 5.0\nmax-retries = 0\n"
INDEX = "index.md"


def commit_on(root: Path, path: str, text: str, message: str) -> None:
    (root / path).write_text(text, encoding="utf-8")
    git(root, "add", path)
    git(root, "commit", "-qm", message)


def detached(root: Path) -> str:
    git(root, "checkout", "-q", "--detach")
    short = git(root, "rev-parse", "--short", "HEAD").strip()
    return f"HEAD is detached (at {short}); kbsleep commits only to a branch"


def rebase(root: Path) -> str:
    commit_on(root, "notes.txt", "one\n", "notes")
    subprocess.run(["git", "rebase", "-q", "-i", "HEAD~1"], cwd=root, env={**os.environ, "GIT_SEQUENCE_EDITOR": "sed -i 1s/^pick/edit/"}, check=True, capture_output=True)
    return "a rebase is in progress; kbsleep writes nothing until it is finished"


def merge(root: Path) -> str:
    git(root, "checkout", "-q", "-b", "other")
    commit_on(root, "notes.txt", "theirs\n", "theirs")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "--no-commit", "other")
    return "a merge is in progress; kbsleep writes nothing until it is finished"


def _conflict(root: Path) -> None:
    git(root, "checkout", "-q", "-b", "other")
    commit_on(root, "notes.txt", "theirs\n", "theirs")
    git(root, "checkout", "-q", "main")
    commit_on(root, "notes.txt", "ours\n", "ours")


def cherry_pick(root: Path) -> str:
    _conflict(root)
    assert subprocess.run(["git", "cherry-pick", "other"], cwd=root, capture_output=True).returncode != 0
    return "a cherry-pick is in progress; kbsleep writes nothing until it is finished"


def revert(root: Path) -> str:
    commit_on(root, "notes.txt", "two\n", "two")
    commit_on(root, "notes.txt", "three\n", "three")
    assert subprocess.run(["git", "revert", "--no-edit", "HEAD~1"], cwd=root, capture_output=True).returncode != 0
    return "a revert is in progress; kbsleep writes nothing until it is finished"


def conflicts(root: Path) -> str:
    commit_on(root, "notes.txt", "base\n", "base")
    (root / "notes.txt").write_text("stashed\n")
    git(root, "stash", "-q")
    commit_on(root, "notes.txt", "committed\n", "committed")
    assert subprocess.run(["git", "stash", "pop"], cwd=root, capture_output=True).returncode != 0
    return "the index has unresolved conflicts (in notes.txt); kbsleep writes nothing until they are resolved"


STATES: dict[str, Callable[[Path], str]] = {
    "detached": detached,
    "rebase": rebase,
    "merge": merge,
    "cherry-pick": cherry_pick,
    "revert": revert,
    "conflicts": conflicts,
}


@pytest.fixture
def repo(make_repo) -> Path:
    return make_repo({"kbsleep.toml": CONFIG}, fixture="anticipate/wiki")


def refused(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main(["--wiki", str(root), *args]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.splitlines()[0].removeprefix("error: ")


@pytest.mark.parametrize("state", STATES)
def test_anticipate_refuses_each_state_before_asking_the_model(repo: Path, state: str, fake: FakeAnthropic, capsys: pytest.CaptureFixture[str]) -> None:
    message = STATES[state](repo)
    head, status = git(repo, "rev-parse", "HEAD"), git(repo, "status", "--porcelain")
    assert refused(repo, capsys, "anticipate", "--engine", "anthropic") == message
    assert fake.count() == 0
    assert git(repo, "rev-parse", "HEAD") == head and git(repo, "status", "--porcelain") == status


@pytest.mark.parametrize("command", [("consolidate", "--engine", "offline"), ("sleep", "--engine", "offline"), ("undo",)])
def test_every_writing_command_refuses_a_detached_head(repo: Path, command: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--wiki", str(repo), "anticipate", "--engine", "offline"]) == 0  # something to undo
    message = detached(repo)
    head = git(repo, "rev-parse", "HEAD")
    assert refused(repo, capsys, *command) == message
    assert git(repo, "rev-parse", "HEAD") == head and git(repo, "status", "--porcelain") == ""


def test_a_rebase_stopped_at_a_commit_gets_no_kbsleep_commit(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rebase(repo)
    head = git(repo, "rev-parse", "HEAD")
    refused(repo, capsys, "anticipate", "--engine", "offline")
    assert git(repo, "rev-parse", "HEAD") == head


def test_a_dry_run_works_in_any_state(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    detached(repo)
    assert main(["--wiki", str(repo), "anticipate", "--engine", "offline", "--dry-run"]) == 0
    assert "+## Anticipated questions" in capsys.readouterr().out


def test_a_repository_with_no_commits_is_named_as_such(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo({"kbsleep.toml": CONFIG}, fixture="anticipate/wiki", commit=False)
    assert refused(root, capsys, "anticipate", "--engine", "offline") == "the repository has no commits yet"
    assert refused(root, capsys, "consolidate", "--engine", "offline") == "the repository has no commits yet"
    assert git(root, "status", "--porcelain", "--untracked-files=no") == ""


# -- the bytes git commits --------------------------------------------------------------------------

BOM_CRLF = b"\xef\xbb\xbf# Tide Tables\r\n\r\nThe Tide Tables page lists the tides of [[Harbour]].\r\n\r\n## Spring tides\r\n\r\nSpring tides reach 4 m.\r\n"
HARBOUR = b"# Harbour\n\nThe Harbour is where the boats moor; see [[Tide Tables]].\n"


@pytest.mark.parametrize("attributes", ["", "*.md text eol=crlf\n"])
def test_a_bom_and_crlf_lines_are_kept_in_the_work_tree_and_committed_as_git_add_would(make_repo, attributes: str) -> None:
    root = make_repo({"Tide Tables.md": BOM_CRLF, "Harbour.md": HARBOUR, ".gitattributes": attributes})
    assert main(["--wiki", str(root), "anticipate", "--engine", "offline"]) == 0
    data = (root / "Tide Tables.md").read_bytes()
    assert data.startswith(BOM_CRLF) and data.count(b"\n") == data.count(b"\r\n") and b"## Anticipated questions\r\n" in data
    committed = subprocess.run(["git", "cat-file", "blob", "HEAD:Tide Tables.md"], cwd=root, capture_output=True, check=True).stdout
    assert committed == (data.replace(b"\r\n", b"\n") if attributes else data)
    assert git(root, "status", "--porcelain") == ""
