"""One writing kbsleep process per wiki: a clear error for the second, stale locks cleared."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from kbsleep.errors import KbsleepError
from kbsleep.lock import hold

HOLDER = """
import sys, time
from pathlib import Path
from kbsleep.lock import hold
with hold(Path(sys.argv[1]), "sleep"):
    print("held", flush=True)
    time.sleep(60)
"""


def start_holder(root) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(root)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_writer_gets_a_clear_already_running_error(make_repo) -> None:
    root = make_repo({"A.md": "# A\n"})
    proc = start_holder(root)
    try:
        with pytest.raises(KbsleepError, match=rf"already running on this wiki \(pid {proc.pid}, `kbsleep sleep` since "):
            with hold(root, "anticipate"):
                pass
    finally:
        proc.kill()
        proc.wait()


def test_a_lock_left_by_a_killed_process_is_stale_and_cleared(make_repo) -> None:
    root = make_repo({"A.md": "# A\n"})
    proc = start_holder(root)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with hold(root, "anticipate") as stale:
        assert stale is True
    with hold(root, "anticipate") as stale:
        assert stale is False  # released cleanly last time


def test_the_lock_is_reentrant_within_one_process(make_repo) -> None:
    root = make_repo({"A.md": "# A\n"})
    with hold(root, "sleep"):
        with hold(root, "anticipate"):
            pass
        with hold(root, "consolidate"):
            pass


def test_two_concurrent_writers_one_wins(make_repo) -> None:
    root = make_repo({"A.md": "# A\n"})
    code = "import sys,time\nfrom pathlib import Path\nfrom kbsleep.lock import hold\nfrom kbsleep.errors import KbsleepError\ntry:\n    with hold(Path(sys.argv[1]), 'x'):\n        time.sleep(3.0)\n    print('ran')\nexcept KbsleepError:\n    print('refused')\n"
    procs = [subprocess.Popen([sys.executable, "-c", code, str(root)], stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = sorted(p.communicate(timeout=30)[0].strip() for p in procs)
    assert outcomes == ["ran", "refused"]


@pytest.mark.parametrize("command", [["anticipate"], ["consolidate"], ["sleep"], ["undo"], ["lint", "--fix"]])
def test_every_writing_command_refuses_while_another_runs(make_repo, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    from kbsleep.cli import main

    root = make_repo({"index.md": "# Index\n\n[[A]]\n", "A.md": "---\naliases: [Alpha]\n---\n# A\n\n[[Alpha]] and [[index]]\n"})
    proc = start_holder(root)
    try:
        assert main(["--wiki", str(root), *command]) == 2
        assert "already running on this wiki" in capsys.readouterr().err
    finally:
        proc.kill()
        proc.wait()
