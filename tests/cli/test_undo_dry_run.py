"""`kbsleep undo --dry-run`: the run the next undo reverts, its commits and files; nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.cli import main
from kbsleep.git import transaction
from kbsleep.git.transaction import Edit, Plan
from tests.conftest import git

FILES = {"A.md": "# A\n\nline\n", "Old.md": "# old\n", "B.md": "# B\n"}


@pytest.fixture
def repo(make_repo) -> Path:
    """A wiki with one kbsleep run of two commits: A.md edited and New.md created, then Old.md removed."""
    root = make_repo(FILES)
    transaction.apply(root, Plan("anticipate", "2 pages", (Edit("A.md", "# A\n\nline by kbsleep\n"), Edit("New.md", "# new\n"))), "run1")
    transaction.apply(root, Plan("consolidate", "1 page", (Edit("Old.md", None),)), "run1")
    return root


def state(root: Path) -> tuple[str, str, str]:
    return git(root, "rev-parse", "HEAD"), git(root, "status", "--porcelain"), (root / "A.md").read_text()


def test_the_dry_run_lists_the_run_its_commits_and_what_undo_does_to_each_file(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shas = git(repo, "log", "-2", "--format=%H %s").splitlines()
    assert main(["--wiki", str(repo), "undo", "--dry-run"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "would revert run run1 (consolidate, anticipate; 2 commits, 3 files):",
        f"  {shas[0][:10]} {shas[0].split(' ', 1)[1]}",
        f"  {shas[1][:10]} {shas[1].split(' ', 1)[1]}",
        "  revert A.md",
        "  remove New.md",
        "  restore Old.md",
        "nothing was changed (dry run); `kbsleep undo` reverts it in one new commit",
    ]


def test_the_dry_run_writes_nothing_and_the_real_undo_does_what_it_said(repo: Path) -> None:
    before = state(repo)
    assert main(["--wiki", str(repo), "undo", "--dry-run"]) == 0
    assert state(repo) == before
    assert main(["--wiki", str(repo), "undo"]) == 0
    assert (repo / "A.md").read_text() == "# A\n\nline\n" and not (repo / "New.md").exists() and (repo / "Old.md").exists()


def test_the_dry_run_says_when_undo_would_be_refused_for_uncommitted_edits(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "A.md").write_text("# A\n\nmy edit\n")
    assert main(["--wiki", str(repo), "undo", "--dry-run"]) == 0
    assert capsys.readouterr().err == "warning: uncommitted changes in files the undo would touch: A.md; commit or stash them first\n"


def test_with_nothing_to_undo_the_dry_run_says_so(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(FILES)
    assert main(["--wiki", str(root), "undo", "--dry-run"]) == 0
    assert capsys.readouterr().out == "nothing to undo: no kbsleep run on this branch\n"


def test_a_single_commit_run_is_one_commit(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(FILES)
    transaction.apply(root, Plan("anticipate", "1 page", (Edit("B.md", "# B\n\nmore\n"),)), "run2")
    assert main(["--wiki", str(root), "undo", "--dry-run"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "would revert run run2 (anticipate; 1 commit, 1 file):"
    assert main(["--wiki", str(root), "undo"]) == 0
    assert capsys.readouterr().out.startswith("reverted run run2 (anticipate; 1 commit) in ")


def test_outside_git_the_dry_run_says_so_in_our_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--wiki", str(tmp_path), "undo", "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {tmp_path} is not in a git work tree\n") and "fatal" not in err


def test_the_dry_run_names_a_file_of_any_name_as_it_is_written(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    # git quotes such names in a line-based listing ("M\303\251moires ..."); the preview, and its
    # check for uncommitted edits, read the real name
    root = make_repo({"Mémoires.md": "# M\n", "公司.md": "# C\n"})
    transaction.apply(root, Plan("anticipate", "2 pages", (Edit("Mémoires.md", "# M, by kbsleep\n"), Edit("公司.md", None))), "run1")
    (root / "Mémoires.md").write_text("# M, my edit\n")
    assert main(["--wiki", str(root), "undo", "--dry-run"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[2:4] == ["  revert Mémoires.md", "  restore 公司.md"]
    assert err == "warning: uncommitted changes in files the undo would touch: Mémoires.md; commit or stash them first\n"
