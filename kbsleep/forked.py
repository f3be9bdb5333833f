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
from typing import Any, Callable, Iterator, TypeVar

T = TypeVar("T")


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


class Tickets:
    """The numbers 0..count-1, each handed to whichever process asks first: a pipe filled before
    the fork, read by this process and its children alike (a pipe read of a few bytes is atomic,
    so no number goes to two of them). Work split this way ends evenly, however unevenly the
    processes happen to run."""

    WIDTH = 4  # bytes a number
    MOST = 1024  # numbers a pipe holds with no reader yet: 4 KB, the smallest buffer Linux gives one

    def __init__(self, count: int) -> None:
        if not 0 <= count <= self.MOST:
            raise ValueError(f"between 0 and {self.MOST} tickets, not {count}")
        self._read, write = os.pipe()
        data = b"".join(number.to_bytes(self.WIDTH, "little") for number in range(count))
        try:
            while data:  # one write of at most a page, unless a signal cuts it short
                data = data[os.write(write, data) :]
        finally:
            os.close(write)  # the last number read, a read finds the end

    def __iter__(self) -> Iterator[int]:
        while len(data := os.read(self._read, self.WIDTH)) == self.WIDTH:
            yield int.from_bytes(data, "little")

    def close(self) -> None:
        os.close(self._read)


def share(count: int, work: Callable[[int], T], workers: int = 2, first: Callable[[], None] = lambda: None, done: Callable[[int], None] = lambda number: None) -> dict[int, T]:
    """`work(number)` for every number below `count`, here and in `workers - 1` forked children,
    each process taking the next number when it is done with one (`Tickets`), so all finish
    together. This process does `first` before it starts, and calls `done` after each number it
    works. A child pickles each result as it goes, not all of them at the end while this
    process waits, and stops when this process is killed; a number taken by a child that fails
    is worked here."""
    tickets = Tickets(count)
    parent = os.getpid()

    def theirs() -> dict[int, bytes]:
        done: dict[int, bytes] = {}
        for number in tickets:
            if os.getppid() != parent:  # this process was killed: the rest is nobody's work
                break
            done[number] = pickle.dumps(work(number), protocol=pickle.HIGHEST_PROTOCOL)
        return done

    found: dict[int, T] = {}
    try:
        children = [start(theirs) for _ in range(workers - 1)]
        first()
        for number in tickets:
            found[number] = work(number)
            done(number)
    finally:
        tickets.close()
    for child in children:
        ok, packed = result(child) if child is not None else (False, None)
        if ok:
            found.update((number, pickle.loads(data)) for number, data in packed.items())  # noqa: S301 - our own child's output
    for number in range(count):
        if number not in found:
            found[number] = work(number)
    return found


def result(child: Child) -> tuple[bool, Any]:
    """(True, what the child's work returned), or (False, None) when it failed."""
    with os.fdopen(child.pipe, "rb") as handle:
        data = handle.read()
    _, status = os.waitpid(child.pid, 0)
    if status != 0 or not data:
        return False, None
    return True, pickle.loads(data)  # noqa: S301 - our own child's output, through our own pipe
