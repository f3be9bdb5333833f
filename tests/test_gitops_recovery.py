"""Recovery from a pass killed while it wrote: keyed to the journal's own commit, never to "HEAD
moved", and run before the next command loads a single page."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kbsleep.git import transaction
from kbsleep.cli import main
from tests.conftest import REPO, git

# A child process that SIGKILLs itself right after it has replaced its `n`-th page: the moment a
# kill in the write phase can land that leaves the most behind (some pages new, some old).
KILL_AFTER = """
import os, signal, sys
replace, count, limit = os.replace, [0], int(sys.argv[1])
def replace_then_die(src, dst, *args, **kwargs):
    replace(src, dst, *args, **kwargs)
    if str(dst).endswith(".md"):
        count[0] += 1
        if count[0] == limit:
            os.kill(os.getpid(), signal.SIGKILL)
os.replace = replace_then_die
sys.argv = sys.argv[1:]
"""

APPLY = """
from pathlib import Path
from kbsleep.git import transaction
root = Path(sys.argv[1])
edits = tuple(transaction.Edit(f"p{i}.md", f"# {i}\\n\\nwritten by kbsleep\\n") for i in range(40))
transaction.apply(root, transaction.Plan("anticipate", "40 pages", edits), "run-kill")
"""


def killed(*args: str, script: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", KILL_AFTER + script, *args], env=env, capture_output=True)
    assert done.returncode == -9, done.stderr.decode()
    return done


def user_commits(root: Path, name: str = "Mine.md") -> str:
    """What the user does next: commit a file of their own. Git refuses while the killed pass's
    index lock is there; git's message says to remove it, and the user does."""
    (root / name).write_text("# mine\n")
    (root / ".git" / "index.lock").unlink(missing_ok=True)
    git(root, "add", name)
    git(root, "commit", "-qm", "my own commit")
    return git(root, "rev-parse", "HEAD").strip()


@pytest.fixture
def pages(make_repo) -> Path:
    return make_repo({f"p{i}.md": f"# {i}\n" for i in range(40)})


def test_a_pass_killed_mid_write_then_a_user_commit_is_rolled_back_whole_by_the_next_command(pages: Path) -> None:
    killed("7", str(pages), script=APPLY)
    assert (pages / "p0.md").read_text() == "# 0\n\nwritten by kbsleep\n"  # half written
    mine = user_commits(pages)
    assert sorted(transaction.recover(pages)) == sorted(f"p{i}.md" for i in range(7))
    assert git(pages, "status", "--porcelain") == ""
    assert all((pages / f"p{i}.md").read_text() == f"# {i}\n" for i in range(40))
    assert git(pages, "rev-parse", "HEAD").strip() == mine and git(pages, "show", "HEAD:Mine.md") == "# mine\n"
    assert transaction.recover(pages) == []


def test_a_user_commit_is_refused_by_git_while_the_killed_pass_holds_its_lock_and_works_after_recovery(pages: Path) -> None:
    killed("7", str(pages), script=APPLY)
    (pages / "Mine.md").write_text("# mine\n")
    refused = subprocess.run(["git", "commit", "-qam", "mine"], cwd=pages, capture_output=True, text=True)
    assert refused.returncode != 0 and "index.lock" in refused.stderr  # nothing half-written gets in
    transaction.recover(pages)
    git(pages, "add", "Mine.md")
    git(pages, "commit", "-qm", "mine")
    assert git(pages, "show", "--name-only", "--format=", "HEAD") == "Mine.md\n"
    assert git(pages, "status", "--porcelain") == ""


def test_a_pass_killed_after_its_commit_landed_keeps_it_and_the_users_commit_after(pages: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Killed after the last page and the commit, before the journal was removed.
    die = """
import shutil, subprocess
remove = shutil.rmtree
def remove_or_die(path, *args, **kwargs):
    subject = subprocess.run(["git", "-C", sys.argv[1], "log", "-1", "--format=%s"], capture_output=True, text=True).stdout
    if str(path).endswith("journal") and subject.startswith("kbsleep"):
        os.kill(os.getpid(), signal.SIGKILL)
    remove(path, *args, **kwargs)
shutil.rmtree = remove_or_die
"""
    killed("0", str(pages), script=die + APPLY)
    landed = git(pages, "log", "-1", "--format=%s").strip()
    assert landed == "kbsleep anticipate: 40 pages"
    mine = user_commits(pages)
    assert transaction.recover(pages) == []
    assert git(pages, "rev-parse", "HEAD").strip() == mine and git(pages, "status", "--porcelain") == ""
    assert all((pages / f"p{i}.md").read_text() == f"# {i}\n\nwritten by kbsleep\n" for i in range(40))


def test_after_a_kill_the_next_anticipate_recovers_before_it_loads_and_writes_every_page(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(fixture="anticipate/wiki")
    killed("1", "--wiki", str(root), "anticipate", "--engine", "offline", script="from kbsleep.cli import main\nmain(sys.argv[1:])\n")
    assert main(["--wiki", str(root), "anticipate", "--engine", "offline"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"anticipate: wrote 3 pages in {git(root, 'rev-parse', 'HEAD')[:10]}; 3 answered, 0 tokens, $0.0000", "0 pages already up to date, 0 kept, 0 skipped"]
    assert err == "restored 1 file from an interrupted kbsleep write (its commit never landed)\n"
    for path in ("projects/Cobalt.md", "people/Dev Arunachalam.md", "places/Port Evra.md"):
        assert "<!-- kbsleep:anticipate " in git(root, "show", f"HEAD:{path}"), path
    assert git(root, "status", "--porcelain") == ""
