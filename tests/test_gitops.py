"""The write transaction: one commit per pass, nothing half-written, exact undo."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kbsleep.git import transaction
from kbsleep.git import journal
from kbsleep.errors import KbsleepError
from kbsleep.git.transaction import Edit, Plan
from kbsleep.wiki.content import blob_id
from tests.conftest import git


def plan(*edits: Edit, name: str = "anticipate") -> Plan:
    return Plan(name, f"{len(edits)} pages", tuple(edits), {"Kbsleep-Model": "offline"})


def test_a_pass_lands_as_one_commit_with_trailers(make_repo) -> None:
    root = make_repo({"A.md": "# A\n", "B.md": "# B\n"})
    done = transaction.apply(root, plan(Edit("A.md", "# A\n\nmore\n"), Edit("new/C.md", "# C\n"), Edit("B.md", None)), "run1").commit
    assert done is not None and sorted(done.paths) == ["A.md", "B.md", "new/C.md"]
    message = git(root, "log", "-1", "--format=%B")
    assert message.startswith("kbsleep anticipate: 3 pages")
    assert "Kbsleep-Pass: anticipate\nKbsleep-Run: run1\nKbsleep-Model: offline" in message
    assert git(root, "status", "--porcelain") == ""
    assert (root / "A.md").read_text() == "# A\n\nmore\n" and not (root / "B.md").exists()


def test_a_wiki_named_by_a_relative_path_in_a_subfolder_commits(make_repo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo({"wiki/A.md": "# A\n"})
    monkeypatch.chdir(repo)
    done = transaction.apply(Path("wiki"), plan(Edit("A.md", "# A\n\nmore\n")), "run1").commit
    assert done is not None and done.paths == ("A.md",)
    assert git(repo, "log", "-1", "--format=%s").strip() == "kbsleep anticipate: 1 pages"
    assert git(repo, "status", "--porcelain") == ""


def test_no_change_makes_no_commit(make_repo) -> None:
    root = make_repo({"A.md": "# A\n"})
    head = git(root, "rev-parse", "HEAD")
    assert transaction.apply(root, plan(Edit("A.md", "# A\n")), "run1") == transaction.Applied(None)
    assert git(root, "rev-parse", "HEAD") == head


def test_refuses_files_with_uncommitted_changes_and_names_them(make_repo) -> None:
    root = make_repo({"A.md": "# A\n", "B.md": "# B\n"})
    (root / "A.md").write_text("# A edited by hand\n")
    with pytest.raises(KbsleepError, match="uncommitted changes in files this pass would touch: A.md"):
        transaction.apply(root, plan(Edit("A.md", "# A\nnew\n"), Edit("B.md", "# B\nnew\n")), "run1")
    assert (root / "A.md").read_text() == "# A edited by hand\n"
    assert (root / "B.md").read_text() == "# B\n"


def test_other_staged_work_is_left_out_of_the_commit(make_repo) -> None:
    root = make_repo({"A.md": "# A\n", "Mine.md": "# mine\n"})
    (root / "Mine.md").write_text("# mine, staged\n")
    git(root, "add", "Mine.md")
    transaction.apply(root, plan(Edit("A.md", "# A2\n")), "run1")
    assert git(root, "show", "--name-only", "--format=", "HEAD").split() == ["A.md"]
    assert git(root, "diff", "--cached", "--name-only").split() == ["Mine.md"]


@pytest.mark.parametrize("path", ["../escape.md", "/etc/passwd", ".git/config", ".kbsleep/x.md", "a/../../b.md", ""])
def test_paths_outside_the_wiki_are_refused(make_repo, path: str) -> None:
    root = make_repo({"A.md": "# A\n"})
    with pytest.raises(KbsleepError, match="refusing"):
        transaction.apply(root, plan(Edit(path, "pwned")), "run1")


def test_a_symlinked_folder_that_leaves_the_wiki_is_refused(make_repo, tmp_path: Path) -> None:
    root = make_repo({"A.md": "# A\n"})
    (tmp_path / "outside").mkdir()
    os.symlink(tmp_path / "outside", root / "link")
    with pytest.raises(KbsleepError, match="symlink"):
        transaction.apply(root, plan(Edit("link/x.md", "pwned")), "run1")
    assert not (tmp_path / "outside" / "x.md").exists()


def test_a_failure_mid_write_restores_every_file(make_repo) -> None:
    root = make_repo({"A.md": "# A\n", "blocker": "a file, so blocker/x.md cannot be written"})
    head = git(root, "rev-parse", "HEAD")
    with pytest.raises(OSError):
        transaction.apply(root, plan(Edit("A.md", "# A changed\n"), Edit("blocker/x.md", "# X\n")), "run1")
    assert (root / "A.md").read_text() == "# A\n"
    assert git(root, "rev-parse", "HEAD") == head
    assert git(root, "status", "--porcelain") == ""


def test_a_journal_left_by_a_killed_pass_is_rolled_back_by_the_next_command(make_repo) -> None:
    root = make_repo({"A.md": "# A\n"})
    files = [("A.md", blob_id(b"# A\n"), b"# half written\n"), ("New.md", transaction.ABSENT, b"# new\n")]
    folder = journal.begin(root, "token", files)  # what a pass leaves when SIGKILL lands between write and commit
    journal.mark(folder, phase="writing")
    (root / "A.md").write_text("# half written\n")
    (root / "New.md").write_text("# new\n")
    assert sorted(transaction.recover(root)) == ["A.md", "New.md"]
    assert (root / "A.md").read_text() == "# A\n" and not (root / "New.md").exists()
    assert git(root, "status", "--porcelain") == "" and not folder.exists()


def test_a_journal_of_the_earlier_format_is_rolled_back_too(make_repo) -> None:
    root = make_repo({"A.md": "# A\n", "B.md": "# B\n"})
    folder = root / ".kbsleep" / "journal"
    folder.mkdir(parents=True)
    (folder / "0.orig").write_text("# A\n")
    head = git(root, "rev-parse", "HEAD").strip()
    entries = [{"path": "A.md", "backup": "0.orig"}, {"path": "New.md", "backup": None}]
    (folder / "journal.json").write_text(json.dumps({"head": head, "files": entries}))
    (root / "A.md").write_text("# half written\n")
    (root / "New.md").write_text("# new\n")
    git(root, "add", "A.md")  # that version staged before it committed
    (root / "Mine.md").write_text("# mine\n")
    git(root, "add", "Mine.md")
    git(root, "commit", "-qm", "a user's commit since", "--", "Mine.md")
    assert sorted(transaction.recover(root)) == ["A.md", "New.md"]
    assert (root / "A.md").read_text() == "# A\n" and not (root / "New.md").exists()
    assert git(root, "status", "--porcelain") == ""


KILL_SCRIPT = """
import sys
from pathlib import Path
from kbsleep.git import transaction
from kbsleep.git import journal
root = Path(sys.argv[1])
edits = tuple(transaction.Edit(f"p{i}.md", "x" * 400_000 + str(i)) for i in range(300))
transaction.apply(root, transaction.Plan("anticipate", "300 pages", edits), "run-kill")
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_real_process_signalled_mid_pass_leaves_the_tree_as_it_was_or_fully_committed(make_repo, sig: int) -> None:
    root = make_repo({f"p{i}.md": f"# {i}\n" for i in range(300)})
    head = git(root, "rev-parse", "HEAD")
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(root)], stderr=subprocess.PIPE)
    journal = root / ".kbsleep" / "journal" / "journal.json"
    deadline = time.monotonic() + 30
    while not journal.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(sig)
    proc.wait(timeout=60)
    transaction.recover(root)
    if git(root, "rev-parse", "HEAD") == head:
        assert git(root, "status", "--porcelain") == ""
        assert (root / "p7.md").read_text() == "# 7\n"
    else:  # the signal came after the commit: the pass is complete
        assert git(root, "status", "--porcelain") == ""
        assert (root / "p7.md").read_text().endswith("7")


def test_undo_reverts_the_whole_last_run_then_the_one_before(make_repo) -> None:
    root = make_repo({"A.md": "# A\n", "B.md": "# B\n"})
    transaction.apply(root, plan(Edit("A.md", "# A1\n")), "run1")
    transaction.apply(root, plan(Edit("A.md", "# A2\n"), name="consolidate"), "run2")
    transaction.apply(root, plan(Edit("B.md", "# B2\n"), name="anticipate"), "run2")
    run, _ = transaction.undo(root)
    assert (run.run_id, run.passes, len(run.commits)) == ("run2", ("anticipate", "consolidate"), 2)
    assert ((root / "A.md").read_text(), (root / "B.md").read_text()) == ("# A1\n", "# B\n")
    assert "Kbsleep-Undo: run2" in git(root, "log", "-1", "--format=%B")
    run, _ = transaction.undo(root)
    assert run.run_id == "run1" and (root / "A.md").read_text() == "# A\n"
    assert transaction.undo(root) is None


def test_undo_ignores_commits_it_did_not_make(make_repo) -> None:
    root = make_repo({"A.md": "# A\n"})
    transaction.apply(root, plan(Edit("A.md", "# A1\n")), "run1")
    (root / "Human.md").write_text("# by hand\n")
    git(root, "add", "Human.md")
    git(root, "commit", "-q", "-m", "human work")
    transaction.undo(root)
    assert (root / "Human.md").exists() and (root / "A.md").read_text() == "# A\n"


def test_undo_refuses_when_human_edits_since_would_conflict(make_repo) -> None:
    root = make_repo({"A.md": "# A\n\nline\n"})
    transaction.apply(root, plan(Edit("A.md", "# A\n\nline by kbsleep\n")), "run1")
    (root / "A.md").write_text("# A\n\nline by a human after kbsleep\n")
    git(root, "commit", "-qam", "human edit")
    head = git(root, "rev-parse", "HEAD")
    with pytest.raises(KbsleepError, match="undo would conflict with edits made since the run, in: A.md"):
        transaction.undo(root)
    assert git(root, "rev-parse", "HEAD") == head
    assert git(root, "status", "--porcelain") == ""


def test_dry_run_diff_shows_the_change(make_repo) -> None:
    root = make_repo({"A.md": "# A\n"})
    text = transaction.diff(root, plan(Edit("A.md", "# A\nmore\n"), Edit("B.md", "# B\n")))
    assert "--- a/A.md\n+++ b/A.md\n" in text and "+more\n" in text
    assert "--- /dev/null\n+++ b/B.md\n" in text
    assert git(root, "status", "--porcelain") == ""
