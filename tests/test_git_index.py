"""git's index lock as kbsleep holds it, and the commit it builds beside the user's index."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kbsleep.errors import KbsleepError
from kbsleep.git.index import IndexLock, commit
from kbsleep.git.repo import Repo
from tests.conftest import git


def message(tmp_path: Path) -> Path:
    path = tmp_path / "message.txt"
    path.write_text("kbsleep anticipate: 1 page\n\nKbsleep-Run: r\n")
    return path


def test_a_page_whose_stat_data_look_unchanged_is_committed_as_it_is(make_repo, tmp_path: Path) -> None:
    root = make_repo({"A.md": "# A1\n"})
    git(root, "config", "core.trustctime", "false")
    page = root / "A.md"
    past = time.time() - 10
    os.utime(page, (past, past))
    git(root, "update-index", "--refresh")  # the index is newer than the page: git trusts its stat data
    with open(page, "r+b") as out:  # same size, same inode, and (below) the same time
        out.write(b"# A2\n")
    os.utime(page, (past, past))
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    made: list[str] = []
    sha = commit(Repo.at(root), ["A.md"], message(tmp_path), scratch, made.append)
    assert sha == made[0] == git(root, "rev-parse", "HEAD").strip()
    assert git(root, "show", "HEAD:A.md") == "# A2\n"
    assert git(root, "diff", "--cached", "--name-only") == ""


def test_the_lock_holds_a_marker_and_is_released_only_by_its_holder(make_repo) -> None:
    root = make_repo({"A.md": "# A\n"})
    lock = IndexLock(Repo.at(root), "t1")
    lock.acquire()
    assert lock.path.read_text() == f"kbsleep t1 {os.getpid()}\n" and lock.ours()
    IndexLock(Repo.at(root), "t2").release()  # not its lock: left alone
    assert lock.path.exists()
    refused = subprocess.run(["git", "commit", "--allow-empty", "-qm", "x"], cwd=root, capture_output=True, text=True)
    assert refused.returncode != 0 and "index.lock" in refused.stderr
    lock.release()
    assert not lock.path.exists()


DIES_ONCE_LOCKED = """
import os, sys
from pathlib import Path
from kbsleep.git.index import IndexLock
from kbsleep.git.repo import Repo
opened = os.open
def dying(path, *args, **kwargs):  # killed the moment the lock file exists, before another line runs
    handle = opened(path, *args, **kwargs)
    if str(path).endswith("index.lock"):
        os.kill(os.getpid(), 9)
    return handle
os.open = dying
IndexLock(Repo.at(Path(sys.argv[1])), "dead").acquire()
"""


def test_a_kbsleep_process_killed_the_moment_its_lock_exists_leaves_a_lock_the_next_one_takes_over(make_repo) -> None:
    # a lock created empty, then written, would be left empty by a death in between: no one could
    # tell it from git's own, and every later pass would be refused; created whole, it never is
    root = make_repo({"A.md": "# A\n"})
    subprocess.run([sys.executable, "-c", DIES_ONCE_LOCKED, str(root)], capture_output=True, timeout=60)
    lock = IndexLock(Repo.at(root), "t1")
    lock.acquire(wait=0.1)
    assert lock.ours()
    lock.release()
    assert sorted(p.name for p in lock.path.parent.glob("index.lock*")) == []  # nothing left beside it


def test_another_git_process_s_lock_is_waited_for_then_refused_with_a_clear_message(make_repo) -> None:
    root = make_repo({"A.md": "# A\n"})
    theirs = Path(f"{Repo.at(root).index}.lock")
    theirs.write_bytes(b"DIRC...")  # what git writes there: index data, no kbsleep marker
    with pytest.raises(KbsleepError, match=r"another git process is using this repository \(.*index\.lock exists\); nothing was written"):
        IndexLock(Repo.at(root), "t1").acquire(wait=0.1)
    assert theirs.read_bytes() == b"DIRC..."


def test_a_lock_left_by_a_kbsleep_process_that_is_gone_is_taken_over(make_repo) -> None:
    root = make_repo({"A.md": "# A\n"})
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    stale = Path(f"{Repo.at(root).index}.lock")
    stale.write_text(f"kbsleep old {gone}\n")
    lock = IndexLock(Repo.at(root), "t1")
    lock.acquire(wait=0.1)
    assert lock.ours()
    lock.release()


def test_a_page_seen_mid_way_through_a_users_commit_is_asked_about_again_once_git_is_done(make_repo, tmp_path: Path) -> None:
    root = make_repo({"A.md": "# A\n"})
    (root / "A.md").write_text("# A, committed by its user\n")
    git(root, "commit", "-qam", "mine")
    # Halfway through that `git commit`: HEAD holds it, the index does not yet, git holds the lock.
    stale = tmp_path / "stale-index"
    subprocess.run(["git", "read-tree", "HEAD~1"], cwd=root, env={**os.environ, "GIT_INDEX_FILE": str(stale)}, check=True)
    fresh = tmp_path / "fresh-index"
    subprocess.run(["git", "read-tree", "HEAD"], cwd=root, env={**os.environ, "GIT_INDEX_FILE": str(fresh)}, check=True)
    index = Repo.at(root).index
    os.replace(stale, index)
    Path(f"{index}.lock").write_bytes(b"DIRC...")

    def git_finishes() -> None:
        time.sleep(0.3)
        os.replace(fresh, index)
        Path(f"{index}.lock").unlink()

    finishing = threading.Thread(target=git_finishes)
    finishing.start()
    try:
        assert Repo.at(root).changed(["A.md"]) == set()
    finally:
        finishing.join()
