"""git's failures, seen through the command line in real repositories: each is one line in our
words with a hint (what to run), exit code 2, never a traceback or git's own `fatal:` text."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kbsleep.cli import main
from kbsleep.git import failures, index
from tests.conftest import git

CONFIG = "[llm]\ntimeout = 5.0\nmax-retries = 0\n"


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str]:
    """The error line and the hint line of a command that must fail with exit code 2."""
    capsys.readouterr()
    assert main(list(args)) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "fatal:" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("error: ") and lines[1].startswith("  hint: "), err
    return lines[0].removeprefix("error: "), lines[1].removeprefix("  hint: ")


def without_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, a PATH on which there is no git."""
    empty = tmp_path / "bin-without-git"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def test_undo_outside_git(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "A.md").write_text("# A\n")
    assert refused(capsys, "--wiki", str(tmp_path), "undo") == (f"{tmp_path} is not in a git work tree", failures.INIT_HINT)


def test_undo_outside_git_from_a_real_process_is_one_line_and_a_hint(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "kbsleep", "undo"], cwd=tmp_path, capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"error: {tmp_path} is not in a git work tree\n  hint: {failures.INIT_HINT}\n"


@pytest.mark.parametrize("args", [("undo",), ("anticipate", "--engine", "offline"), ("lint", "--staged")])
def test_git_missing_from_path(make_repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo({"kbsleep.toml": CONFIG}, fixture="anticipate/wiki")
    without_git(tmp_path, monkeypatch)
    message, hint = refused(capsys, "--wiki", str(root), *args)
    assert message == "git is not installed (no `git` on PATH); kbsleep needs it for this"
    assert hint == "install git (https://git-scm.com/downloads), check that `git --version` runs, then run kbsleep again"


def test_lint_without_git_still_lints_the_files_on_disk(make_repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo({"index.md": "# Index\n\n[[Nowhere]]\n"})
    without_git(tmp_path, monkeypatch)
    assert main(["--wiki", str(root), "lint", "--output-format", "concise"]) == 1
    assert "index.md:3:1: KB101" in capsys.readouterr().out


@pytest.mark.parametrize("args", [("undo",), ("anticipate", "--engine", "offline"), ("lint", "--changed-since", "HEAD")])
def test_a_repository_with_no_commits(make_repo, args: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo({"kbsleep.toml": CONFIG}, fixture="anticipate/wiki", commit=False)
    assert refused(capsys, "--wiki", str(root), *args) == ("the repository has no commits yet", failures.FIRST_COMMIT)


def test_an_unknown_revision(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo({"A.md": "# A\n"})
    message, hint = refused(capsys, "--wiki", str(root), "lint", "--changed-since", "v9.9")
    assert (message, hint) == ("git does not know the revision `v9.9`", "name a commit, branch or tag (`git log --oneline` lists the commits)")


def test_a_detached_head(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo({"kbsleep.toml": CONFIG}, fixture="anticipate/wiki")
    git(root, "checkout", "-q", "--detach")
    short = git(root, "rev-parse", "--short", "HEAD").strip()
    for args in (("undo",), ("anticipate", "--engine", "offline")):
        message, hint = refused(capsys, "--wiki", str(root), *args)
        assert message == f"HEAD is detached (at {short}); kbsleep commits only to a branch"
        assert hint == "check out a branch first (`git switch <branch>`), or make one here (`git switch -c <name>`)"


def test_a_locked_index(make_repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo({"kbsleep.toml": CONFIG}, fixture="anticipate/wiki")
    lock = root / ".git" / "index.lock"
    lock.write_bytes(b"DIRC another git command's index\n")
    monkeypatch.setattr(index, "WAIT", 0.2)
    head = git(root, "rev-parse", "HEAD")
    message, hint = refused(capsys, "--wiki", str(root), "anticipate", "--engine", "offline")
    assert message == f"another git process is using this repository ({lock} exists); nothing was written"
    assert hint == failures.LOCK_HINT
    assert git(root, "rev-parse", "HEAD") == head and lock.read_bytes().startswith(b"DIRC")


def test_a_failing_hook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "pre-commit").write_text("#!/bin/sh\necho 'no commits on Sundays' >&2\nexit 1\n")
    (hooks / "pre-commit").chmod(0o755)
    with open(os.environ["GIT_CONFIG_GLOBAL"], "a", encoding="utf-8") as config:
        config.write(f"[core]\n\thooksPath = {hooks}\n")
    message, hint = refused(capsys, "demo", "--engine", "offline", "--into", str(tmp_path / "demo"))
    assert message == "the git hook `pre-commit` refused the commit: no commits on Sundays"
    assert hint == "fix the hook, or move it aside while kbsleep commits (`git rev-parse --git-path hooks/pre-commit` names it)"


def test_another_users_repository() -> None:
    said = "fatal: detected dubious ownership in repository at '/srv/wiki'\nTo add an exception for this directory, call:\n\n\tgit config --global --add safe.directory /srv/wiki\n"
    error = failures.explain(["status"], said, Path("/srv/wiki"))
    assert error.message == "git refuses to work in /srv/wiki: the folder belongs to another user"
    assert error.hint == "if you trust it, run `git config --global --add safe.directory /srv/wiki`"


def test_any_other_failure_is_git_s_last_line_without_its_label() -> None:
    error = failures.explain(["update-index", "--add"], "error: short read\nfatal: unable to write new index file\n", Path("wiki"))
    assert error.message == "git update-index failed in wiki: unable to write new index file"
    assert error.hint == "run `git status` in wiki to see what git makes of it"


def test_a_bare_repository_is_no_work_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    git(tmp_path, "init", "-q", "--bare", "wiki.git")
    monkeypatch.chdir(tmp_path)
    assert refused(capsys, "--wiki", "wiki.git", "undo") == (f"{tmp_path / 'wiki.git'} is not in a git work tree", failures.INIT_HINT)
