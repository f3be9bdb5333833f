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


# The holder forks a child that outlives it, as a cold parse's worker does, or as a git command
# does between its fork and its exec: the child has every descriptor the holder had open.
FORKING_HOLDER = """
import sys
from pathlib import Path
from kbsleep import forked
from kbsleep.lock import hold
with hold(Path(sys.argv[1]), "sleep"):
    child = forked.start(sys.stdin.read)  # lives until the test closes its stdin
    print(child.pid, flush=True)
    sys.stdin.read()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux only")
def test_a_child_the_killed_holder_forked_does_not_keep_the_lock(make_repo) -> None:
    root = make_repo({"A.md": "# A\n"})
    proc = subprocess.Popen([sys.executable, "-c", FORKING_HOLDER, str(root)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        child = int(proc.stdout.readline())
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        lock = str((root / ".kbsleep" / "lock").resolve())
        assert lock in {os.readlink(f"/proc/{child}/fd/{fd}") for fd in os.listdir(f"/proc/{child}/fd")}  # alive, the lock open
        with hold(root, "sleep") as stale:
            assert stale is True
    finally:
        proc.stdin.close()  # the child reads the end of its input and exits
        proc.stdout.read()  # ... and, with it, the last writer of this pipe
        proc.stdout.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux only")
def test_a_child_of_the_holder_neither_holds_the_lock_nor_releases_it_by_ending(make_repo) -> None:
    from kbsleep import forked

    root = make_repo({"A.md": "# A\n"})

    def take() -> str:
        try:
            with hold(root, "anticipate"):
                return "taken"
        except KbsleepError as error:
            return str(error)

    with hold(root, "sleep"):
        child = forked.start(take)
        assert child is not None
        done, said = forked.result(child)  # it has ended, and closed what it shared with this process
        assert done and said.startswith(f"kbsleep is already running on this wiki (pid {os.getpid()}, `kbsleep sleep` since ")
        code = "import sys\nfrom pathlib import Path\nfrom kbsleep.lock import hold\nwith hold(Path(sys.argv[1]), 'x'):\n    pass\n"
        other = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True)
        assert other.returncode == 1 and "already running on this wiki" in other.stderr


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


@pytest.mark.parametrize("code", ["ENOLCK", "EOPNOTSUPP"])
def test_a_file_system_without_record_locks_runs_unlocked_instead_of_crashing(make_repo, monkeypatch, code) -> None:
    # No file system here refuses locks, so `lockf` refuses as a network share's or a WSL
    # mount's does; every other OSError still propagates.
    import errno
    import fcntl

    def refuse(fd: int, cmd: int) -> None:
        raise OSError(getattr(errno, code), os.strerror(getattr(errno, code)))

    monkeypatch.setattr(fcntl, "lockf", refuse)
    root = make_repo({"A.md": "# A\n"})
    with hold(root, "sleep") as stale:
        assert stale is False
        assert '"what": "sleep"' in (root / ".kbsleep" / "lock").read_text(encoding="utf-8")
    assert (root / ".kbsleep" / "lock").read_text(encoding="utf-8") == ""


def test_any_other_locking_failure_is_not_hidden(make_repo, monkeypatch) -> None:
    import errno
    import fcntl

    def refuse(fd: int, cmd: int) -> None:
        raise OSError(errno.EBADF, "Bad file descriptor")

    monkeypatch.setattr(fcntl, "lockf", refuse)
    root = make_repo({"A.md": "# A\n"})
    with pytest.raises(OSError, match="Bad file descriptor"):
        with hold(root, "sleep"):
            pass
