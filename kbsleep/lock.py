"""One writing kbsleep process per wiki at a time.

The lock is an advisory `flock` on `<wiki>/.kbsleep/lock`. The kernel drops it when the holding
process dies however it dies, so a lock left by a killed process is stale by construction: the
next process simply takes it (and says so). The file records who holds it, for the error message.
Re-entrant within a process, so a `sleep` that runs several passes holds it once.
"""

from __future__ import annotations

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

_held: dict[Path, tuple[IO[str], int]] = {}  # lock file -> (open handle, depth), this process


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
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise KbsleepError(f"kbsleep is already running on this wiki ({_holder(handle)})", hint="wait for it to finish") from None
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
        handle.close()  # closing releases the flock


def _holder(handle: IO[str]) -> str:
    handle.seek(0)
    try:
        record = json.loads(handle.read() or "{}")
    except ValueError:
        return "holder unknown"
    return f"pid {record.get('pid', '?')}, `kbsleep {record.get('what', '?')}` since {record.get('since', '?')}"
