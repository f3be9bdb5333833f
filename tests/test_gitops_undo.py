"""`undo` commits exactly its revert: the user's staged work stays staged, and out of it, even
when the undo is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.git import transaction
from kbsleep.errors import KbsleepError
from kbsleep.git.transaction import Edit, Plan
from tests.conftest import git


def kbsleep_run(root: Path, *edits: Edit, run_id: str = "run1") -> None:
    assert transaction.apply(root, Plan("anticipate", f"{len(edits)} pages", edits), run_id).commit is not None


@pytest.fixture
def repo(make_repo) -> Path:
    root = make_repo({"A.md": "# A\n\nline\n", "Mine.md": "# mine\n", "Other.md": "# other\n"})
    kbsleep_run(root, Edit("A.md", "# A\n\nline by kbsleep\n"))
    return root


def stage_my_work(root: Path) -> None:
    (root / "Mine.md").write_text("# mine, staged\n")
    (root / "New.md").write_text("# new, staged\n")
    git(root, "add", "Mine.md", "New.md")
    (root / "Other.md").write_text("# other, not staged\n")


def assert_my_work_is_as_it_was(root: Path) -> None:
    assert git(root, "diff", "--cached", "--name-status") == "M\tMine.md\nA\tNew.md\n"
    assert git(root, "diff", "--name-only") == "Other.md\n"
    assert (root / "Mine.md").read_text() == "# mine, staged\n" and (root / "New.md").read_text() == "# new, staged\n"
    assert (root / "Other.md").read_text() == "# other, not staged\n"


def test_undo_commits_only_what_it_reverts_and_the_users_staged_work_stays_staged(repo: Path) -> None:
    stage_my_work(repo)
    run, sha = transaction.undo(repo)
    assert run.run_id == "run1"
    assert git(repo, "show", "--name-only", "--format=", sha) == "A.md\n"
    assert (repo / "A.md").read_text() == "# A\n\nline\n" and git(repo, "show", "HEAD:A.md") == "# A\n\nline\n"
    assert_my_work_is_as_it_was(repo)


def test_a_refused_undo_leaves_the_users_staged_work_as_it_was(repo: Path) -> None:
    (repo / "A.md").write_text("# A\n\nline by a human after kbsleep\n")
    git(repo, "commit", "-qam", "human edit")
    head = git(repo, "rev-parse", "HEAD")
    stage_my_work(repo)
    with pytest.raises(KbsleepError, match="undo would conflict with edits made since the run, in: A.md"):
        transaction.undo(repo)
    assert git(repo, "rev-parse", "HEAD") == head
    assert (repo / "A.md").read_text() == "# A\n\nline by a human after kbsleep\n"
    assert_my_work_is_as_it_was(repo)
    assert not (repo / ".git" / "REVERT_HEAD").exists() and not (repo / ".git" / "sequencer").exists()


def test_a_page_a_run_moved_is_checked_at_its_old_path_too(make_repo) -> None:
    text = "# Tidal notes\n\n" + "A long paragraph about tides and the harbour.\n" * 20
    root = make_repo({"Tides.md": text})
    kbsleep_run(root, Edit("Tides.md", None), Edit("archive/Tides.md", text))  # git sees a rename
    (root / "Tides.md").write_text("# my new page, not committed yet\n")
    with pytest.raises(KbsleepError, match=r"uncommitted changes in files the undo would touch: Tides\.md"):
        transaction.undo(root)
    assert (root / "Tides.md").read_text() == "# my new page, not committed yet\n"


def test_undo_of_a_run_of_many_commits_still_reverts_them_all_in_one(repo: Path) -> None:
    kbsleep_run(repo, Edit("A.md", "# A\n\nline by kbsleep, again\n"), run_id="run2")
    kbsleep_run(repo, Edit("Other.md", None), Edit("B.md", "# B\n"), run_id="run2")
    run, sha = transaction.undo(repo)
    assert (run.run_id, len(run.commits)) == ("run2", 2)
    assert sorted(git(repo, "show", "--name-only", "--format=", sha).split()) == ["A.md", "B.md", "Other.md"]
    assert (repo / "A.md").read_text() == "# A\n\nline by kbsleep\n" and (repo / "Other.md").read_text() == "# other\n" and not (repo / "B.md").exists()
    assert git(repo, "status", "--porcelain") == ""


@pytest.mark.parametrize(
    "name",
    ["Mémoires d'une geisha.md", "公司/世界图书百科全书.md", "ru/Теория групп.md", 'Tab\tand "quote".md', "Pokémon-Icon.md"],
)
def test_undo_reverts_and_commits_a_page_of_any_name(make_repo, name: str) -> None:
    # git quotes a name outside printable ASCII in a line-based listing ("M\303\251moires ...");
    # the undo must still find, revert and commit that very file, leaving nothing behind.
    root = make_repo({name: "# Page\n\nline\n", "Plain.md": "# Plain\n"})
    kbsleep_run(root, Edit(name, "# Page\n\nline by kbsleep\n"), Edit("Plain.md", "# Plain, by kbsleep\n"))
    _, sha = transaction.undo(root)
    assert git(root, "show", "-z", "--name-only", "--format=", sha).split("\0")[:-1] == sorted([name, "Plain.md"])
    assert git(root, "status", "--porcelain") == ""
    assert (root / name).read_text() == "# Page\n\nline\n"
