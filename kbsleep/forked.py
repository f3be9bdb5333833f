"""Work shared with forked children, on Linux: they see the parent's memory copy-on-write, so no
input is sent to them, and each hands its result back through a pipe.

A process pool pickles every input to its workers and needs a feeder thread in the parent, which
starves while the parent itself computes; a fork needs neither. Callers check `can_fork` first
and keep a plain path: where fork is missing, unsafe (other threads running: fork copies only the
calling thread) or a child fails, the work is done in the parent.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from dataclasses import dataclass
from typing import Any, Callable


def can_fork() -> bool:
    return sys.platform.startswith("linux") and threading.active_count() == 1 and (os.cpu_count() or 1) > 1


@dataclass(frozen=True)
class Child:
    pid: int
    pipe: int  # read end


def start(work: Callable[[], Any]) -> Child | None:
    """Run `work()` in a forked child that pickles what it returns into a pipe; None if no fork."""
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid:
        os.close(write)
        return Child(pid, read)
    status = 1
    try:  # the child: never returns into the caller's code, whatever happens
        os.close(read)
        data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write, "wb") as out:
            out.write(data)
        status = 0
    finally:
        os._exit(status)


def result(child: Child) -> tuple[bool, Any]:
    """(True, what the child's work returned), or (False, None) when it failed."""
    with os.fdopen(child.pipe, "rb") as handle:
        data = handle.read()
    _, status = os.waitpid(child.pid, 0)
    if status != 0 or not data:
        return False, None
    return True, pickle.loads(data)  # noqa: S301 - our own child's output, through our own pipe
