"""The write side's repository (`kbsleep.git.repo`, on GitPython's `Repo`), in real repositories."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.git import transaction
from kbsleep.git.repo import Repo, create
from tests.conftest import git


def test_a_wiki_named_relative_to_a_folder_outside_its_repository_commits(make_repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo({"wiki/A.md": "# A\n"})
    monkeypatch.chdir(tmp_path)  # the repository is tmp_path/repo: git runs there, the wiki is named from here
    done = transaction.apply(Path("repo/wiki"), transaction.Plan("anticipate", "1 page", (transaction.Edit("A.md", "# A2\n"),)), "run1")
    assert done.commit is not None and git(root, "show", "HEAD:wiki/A.md") == "# A2\n"
    assert [run.run_id for run in transaction.runs(Path("repo/wiki"))] == ["run1"]
    assert transaction.undo(Path("repo/wiki")) is not None and (root / "wiki" / "A.md").read_text() == "# A\n"


def test_create_commits_every_file_on_the_branch_as_the_identity_given(tmp_path: Path) -> None:
    (tmp_path / "A.md").write_text("# A\n")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "B.md").write_text("# B\n")
    sha = create(tmp_path, "sample wiki", branch="main", identity=("kbsleep demo", "demo@kbsleep.invalid"))
    assert git(tmp_path, "rev-parse", "HEAD").strip() == sha and git(tmp_path, "branch", "--show-current") == "main\n"
    assert git(tmp_path, "config", "user.name") == "kbsleep demo\n" and git(tmp_path, "config", "user.email") == "demo@kbsleep.invalid\n"
    assert git(tmp_path, "log", "-1", "--format=%s") == "sample wiki\n"  # by that identity, unless GIT_AUTHOR_* says otherwise (as here)
    assert git(tmp_path, "ls-tree", "-r", "--name-only", "HEAD").split() == ["A.md", "notes/B.md"]
    assert git(tmp_path, "status", "--porcelain") == ""


def test_contains_is_false_for_a_commit_git_does_not_have(make_repo) -> None:
    root = make_repo({"A.md": "# A\n"})
    repo = Repo.at(root)
    assert repo.contains(git(root, "rev-parse", "HEAD").strip())
    assert not repo.contains("1" * 40)
