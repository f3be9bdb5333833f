"""One writing kbsleep process per wiki at a time.

The lock is an advisory POSIX record lock (`lockf`) on `<wiki>/.kbsleep/lock`. The kernel drops
it when the holding process dies however it dies, so a lock left by a killed process is stale by
construction: the next process simply takes it (and says so). The file records who holds it, for
the error message. Re-entrant within a process, so a `sleep` that runs several passes holds it once.

Why not `flock`: a `flock` belongs to the open file, which every child forked while it is held
shares (a cold parse's workers; a git command between its fork and its exec), so a holder
killed with SIGKILL left the lock to a child that lived on, and the next run was told kbsleep was
still running. A record lock belongs to the process alone. Its catch: this process closing any
descriptor of the file drops it, so nothing but `hold` opens the file, and only once.

A file system without record locks (some network shares, FUSE and WSL mounts of Windows drives)
refuses `lockf` with ENOLCK or EOPNOTSUPP: kbsleep then runs unlocked rather than not at all (it
used to crash there); a second kbsleep writing the same wiki at the same time is not refused.
"""

from __future__ import annotations

import errno
import json
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from kbsleep.errors import KbsleepError
from kbsleep.state import ensure_state_dir

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no advisory locks, run unlocked
    fcntl = None  # type: ignore[assignment]

_UNSUPPORTED = frozenset({errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS})
_held: dict[Path, tuple[IO[str], int]] = {}  # lock file -> (open handle, depth), this process
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_held.clear)  # a forked child holds no lock, its parent's neither


@contextmanager
def hold(root: Path, what: str) -> Iterator[bool]:
    """Hold the wiki's writer lock for `what`; yields True if a stale lock was cleared."""
    path = (ensure_state_dir(root) / "lock").resolve()
    if path in _held:
        handle, depth = _held[path]
        _held[path] = (handle, depth + 1)
        try:
            yield False
        finally:
            _held[path] = (handle, _held[path][1] - 1)
        return
    handle = open(path, "a+", encoding="utf-8")
    try:
        if fcntl is not None:
            try:
                fcntl.lockf(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                if error.errno in _UNSUPPORTED:
                    pass  # no record locks on this file system: run unlocked (see the module's docstring)
                elif error.errno not in (errno.EACCES, errno.EAGAIN):  # held: POSIX allows either
                    raise
                else:
                    raise KbsleepError(f"kbsleep is already running on this wiki ({_holder(handle)})", hint="wait for it to finish, then run kbsleep again") from None
        handle.seek(0)
        stale = bool(handle.read().strip())  # a record left by a process that died holding it
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "what": what, "since": time.strftime("%Y-%m-%d %H:%M:%S")}))
        handle.flush()
        _held[path] = (handle, 1)
        try:
            yield stale
        finally:
            del _held[path]
            handle.seek(0)
            handle.truncate()
            handle.flush()
    finally:
        handle.close()  # closing releases the lock


def _holder(handle: IO[str]) -> str:
    handle.seek(0)
    try:
        record = json.loads(handle.read() or "{}")
    except ValueError:
        return "holder unknown"
    return f"pid {record.get('pid', '?')}, `kbsleep {record.get('what', '?')}` since {record.get('since', '?')}"
