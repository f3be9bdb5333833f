"""A pass's plans as one transaction (`chain.apply_all`): one commit per plan, in order, HEAD
moved once; a pass cut short anywhere leaves the work tree and HEAD as they were before it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kbsleep.errors import KbsleepError
from kbsleep.git import chain, journal, transaction
from kbsleep.git.transaction import CHANGED, Edit, Plan, Refused
from kbsleep.wiki.content import blob_id
from tests.conftest import REPO, git

FILES = {"A.md": "# A\n", "B.md": "# B\n", "C.md": "# C\n", "Other.md": "# other\n"}


def plans(*, separable: bool = False) -> list[Plan]:
    """Three plans, each planned on the wiki as the one before leaves it."""
    return [
        Plan("consolidate", "task 1", (Edit("A.md", "# A\n\none\n", "first", base=blob_id(b"# A\n")), Edit("New.md", "# New\n", base=transaction.ABSENT)), {"Kbsleep-Task": "1"}, separable),
        Plan("consolidate", "task 2", (Edit("A.md", "# A\n\none\ntwo\n", base=blob_id(b"# A\n\none\n")), Edit("B.md", None, base=blob_id(b"# B\n"))), {"Kbsleep-Task": "2"}, separable),
        Plan("consolidate", "task 3", (Edit("C.md", "# C\n\nthree\n", base=blob_id(b"# C\n")),), {"Kbsleep-Task": "3"}, separable),
    ]


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and not {".git", ".kbsleep"} & set(p.parts)}


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def untouched(root: Path, start: str, before: dict[str, bytes]) -> None:
    """HEAD, every byte, the index and git's lock as they were before the pass."""
    assert head(root) == start and snapshot(root) == before
    assert git(root, "status", "--porcelain") == "" and git(root, "diff", "--cached", "--name-only") == ""
    assert not (root / ".kbsleep" / "journal").exists() and not (root / ".git" / "index.lock").exists()


@pytest.fixture
def root(make_repo) -> Path:  # type: ignore[no-untyped-def]
    return make_repo(FILES)


def test_a_finished_chain_is_one_commit_per_plan_in_order_each_holding_only_its_own_edits(root: Path) -> None:
    start = head(root)
    done = chain.apply_all(root, plans(), "run-1")

    made = git(root, "rev-list", "--reverse", f"{start}..HEAD").split()
    assert [a.commit.sha for a in done if a.commit] == made and len(made) == 3
    assert [a.commit.paths for a in done if a.commit] == [("A.md", "New.md"), ("A.md", "B.md"), ("C.md",)]
    assert all(a.left_out == () for a in done)
    subjects = [git(root, "log", "-1", "--format=%s", sha).strip() for sha in made]
    assert subjects == ["kbsleep consolidate: task 1", "kbsleep consolidate: task 2", "kbsleep consolidate: task 3"]
    for number, sha in enumerate(made, 1):
        trailers = git(root, "log", "-1", "--format=%(trailers:only,unfold)", sha)
        assert trailers.split("\n")[:3] == ["Kbsleep-Pass: consolidate", "Kbsleep-Run: run-1", f"Kbsleep-Task: {number}"]
    changed = [git(root, "diff-tree", "--no-commit-id", "-r", "--name-status", sha).split("\n")[:-1] for sha in made]
    assert changed == [["M\tA.md", "A\tNew.md"], ["M\tA.md", "D\tB.md"], ["M\tC.md"]]
    assert git(root, "show", f"{made[0]}:A.md") == "# A\n\none\n" and git(root, "show", f"{made[1]}:A.md") == "# A\n\none\ntwo\n"
    assert (root / "A.md").read_text() == "# A\n\none\ntwo\n" and not (root / "B.md").exists() and (root / "C.md").read_text() == "# C\n\nthree\n"
    assert git(root, "status", "--porcelain") == "" and not (root / ".kbsleep" / "journal").exists()
    assert git(root, "reflog", "--format=%H", "HEAD").split() == [made[-1], start]  # HEAD moved once


def test_one_undo_reverts_the_whole_chain(root: Path) -> None:
    before = snapshot(root)
    chain.apply_all(root, plans(), "run-1")
    undone = transaction.undo(root)
    assert undone is not None and len(undone[0].commits) == 3
    assert snapshot(root) == before and git(root, "status", "--porcelain") == ""


def test_an_interrupt_after_the_first_commit_was_built_leaves_head_and_every_byte_as_before(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before, start = snapshot(root), head(root)
    real, built = chain.chain_commit, []

    def build_then_interrupt(*args, **kwargs):  # type: ignore[no-untyped-def]
        if built:
            raise KeyboardInterrupt  # Ctrl-C once the first commit of the chain exists
        built.append(real(*args, **kwargs))
        return built[-1]

    monkeypatch.setattr(chain, "chain_commit", build_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        chain.apply_all(root, plans(), "run-1")
    assert len(built) == 1 and git(root, "cat-file", "-t", built[0]) == "commit\n"
    untouched(root, start, before)


def test_sigterm_while_the_chain_is_built_leaves_head_and_every_byte_as_before(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before, start, handler = snapshot(root), head(root), signal.getsignal(signal.SIGTERM)
    real, built = chain.chain_commit, []

    def build_then_terminate(*args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(real(*args, **kwargs))
        if len(built) == 2:
            os.kill(os.getpid(), signal.SIGTERM)  # `kill` once two commits of the chain exist
        return built[-1]

    monkeypatch.setattr(chain, "chain_commit", build_then_terminate)
    with pytest.raises(KeyboardInterrupt):
        chain.apply_all(root, plans(), "run-1")
    assert len(built) == 2 and signal.getsignal(signal.SIGTERM) == handler  # put back
    untouched(root, start, before)


@pytest.mark.parametrize("where", ["begin", "place", "mark"])
def test_an_interrupt_anywhere_in_the_write_leaves_head_and_every_byte_as_before(root: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    before, start = snapshot(root), head(root)
    real, calls = getattr(journal, where), []

    def then_interrupt(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(real(*args, **kwargs))
        if where != "mark" or kwargs.get("phase") == "committing":
            raise KeyboardInterrupt

    monkeypatch.setattr(journal, where, then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        chain.apply_all(root, plans(), "run-1")
    monkeypatch.undo()
    if where == "begin":  # the journal is written, the lock not yet taken: the next run clears it
        assert transaction.recover(root) == []
    untouched(root, start, before)


def test_a_plan_left_out_whole_stops_the_chain_there(root: Path) -> None:
    (root / "B.md").write_text("# B, committed since the pass planned\n")
    git(root, "commit", "-qam", "mine")
    start = head(root)
    done = chain.apply_all(root, plans(), "run-1")
    assert len(done) == 2  # task 3 was planned on task 2: it is not applied
    assert done[0].commit is not None and done[1] == transaction.Applied(None, (Refused("B.md", CHANGED),))
    assert git(root, "log", "--format=%s", f"{start}..HEAD") == "kbsleep consolidate: task 1\n"
    assert (root / "A.md").read_text() == "# A\n\none\n" and (root / "C.md").read_text() == "# C\n"


def test_a_separable_plan_left_out_in_part_leaves_out_what_was_planned_on_the_edit_it_lost(root: Path) -> None:
    (root / "A.md").write_text("# A, committed since the pass planned\n")
    git(root, "commit", "-qam", "mine")
    done = chain.apply_all(root, plans(separable=True), "run-1")
    assert [a.left_out for a in done] == [(Refused("A.md", CHANGED),), (Refused("A.md", CHANGED),), ()]
    assert [a.commit.paths for a in done if a.commit] == [("New.md",), ("B.md",), ("C.md",)]
    assert (root / "A.md").read_text() == "# A, committed since the pass planned\n" and git(root, "status", "--porcelain") == ""


def test_a_user_commit_landing_before_the_lock_is_kept_under_the_chain(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = journal.begin

    def journal_then_user_commits(*args, **kwargs):  # type: ignore[no-untyped-def]
        folder = real(*args, **kwargs)
        (root / "Other.md").write_text("# other, committed just now\n")
        git(root, "commit", "-qam", "mine")
        return folder

    monkeypatch.setattr(journal, "begin", journal_then_user_commits)
    done = chain.apply_all(root, plans(), "run-1")
    assert all(a.commit for a in done) and git(root, "log", "--format=%s", "-5").split("\n")[:4] == [
        "kbsleep consolidate: task 3", "kbsleep consolidate: task 2", "kbsleep consolidate: task 1", "mine"]  # fmt: skip
    assert (root / "Other.md").read_text() == "# other, committed just now\n" and git(root, "status", "--porcelain") == ""


def test_a_user_commit_landing_while_the_chain_is_built_is_kept_and_the_pass_writes_nothing(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(root)
    real, mine = chain.chain_commit, []

    def build_while_the_user_commits(*args, **kwargs):  # type: ignore[no-untyped-def]
        if not mine:  # git's plumbing takes no index lock: HEAD moves under kbsleep
            tree = git(root, "rev-parse", "HEAD^{tree}").strip()
            mine.append(git(root, "commit-tree", tree, "-p", "HEAD", "-m", "mine").strip())
            git(root, "update-ref", "HEAD", mine[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(chain, "chain_commit", build_while_the_user_commits)
    with pytest.raises(KbsleepError, match="^HEAD moved while kbsleep committed"):
        chain.apply_all(root, plans(), "run-1")
    untouched(root, mine[0], before)


def test_a_draft_in_a_file_of_the_chain_is_never_written_over(root: Path) -> None:
    (root / "C.md").write_text("# C, my draft\n")
    done = chain.apply_all(root, plans(), "run-1")
    assert done[2] == transaction.Applied(None, (Refused("C.md", CHANGED),)) and (root / "C.md").read_text() == "# C, my draft\n"
    git(root, "add", "C.md")  # staged, with the bytes the plan was made from in the work tree
    (root / "C.md").write_text("# C\n")
    with pytest.raises(KbsleepError, match="^uncommitted changes in files this pass would touch: C.md$"):
        chain.apply_all(root, [Plan("consolidate", "task 3", (Edit("C.md", "# C\n\nthree\n", base=blob_id(b"# C\n")),)), plans()[2]], "run-2")


# A child that builds the chain and is SIGKILLed once its `n`-th commit exists (HEAD not moved).
KILLED = """
import os, signal, sys
from pathlib import Path
from kbsleep.git import chain
from tests.test_git_chain import plans
real, count, limit = chain.chain_commit, [0], int(sys.argv[2])
def commit_then_die(*args, **kwargs):
    made = real(*args, **kwargs)
    count[0] += 1
    if count[0] == limit:
        os.kill(os.getpid(), signal.SIGKILL)
    return made
chain.chain_commit = commit_then_die
replace = os.replace
def die_before_replace(src, dst, *args, **kwargs):  # limit 0: once HEAD moved, before the index is put in place
    if limit == 0 and str(dst).endswith(os.path.join(".git", "index")):
        os.kill(os.getpid(), signal.SIGKILL)
    replace(src, dst, *args, **kwargs)
os.replace = die_before_replace
chain.apply_all(Path(sys.argv[1]), plans(), "run-killed")
"""


@pytest.mark.parametrize("commits", [1, 2, 3])
def test_a_pass_killed_while_its_chain_is_built_is_undone_by_the_next_kbsleep(root: Path, commits: int) -> None:
    before, start = snapshot(root), head(root)
    done = subprocess.run([sys.executable, "-c", KILLED, str(root), str(commits)], cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True)
    assert done.returncode == -9, done.stderr.decode()
    assert (root / "A.md").read_text() == "# A\n\none\ntwo\n" and head(root) == start  # every file written, no commit in HEAD

    assert sorted(transaction.recover(root)) == ["A.md", "B.md", "C.md", "New.md"]
    untouched(root, start, before)


def test_a_pass_killed_once_head_moved_keeps_its_whole_chain(root: Path) -> None:
    start = head(root)
    done = subprocess.run([sys.executable, "-c", KILLED, str(root), "0"], cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True)
    assert done.returncode == -9, done.stderr.decode()
    assert git(root, "diff", "--cached", "--name-only") != ""  # the user's index not yet in step with HEAD

    assert transaction.recover(root) == []
    assert git(root, "log", "--format=%s", f"{start}..HEAD").split("\n")[:3] == ["kbsleep consolidate: task 3", "kbsleep consolidate: task 2", "kbsleep consolidate: task 1"]
    assert git(root, "status", "--porcelain") == "" and not (root / ".kbsleep" / "journal").exists()
