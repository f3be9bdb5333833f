"""Forked workers end with the process that forked them, even when it is killed (SIGKILL)."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux only")

# This process kills itself at its first number; the child works its first number until then,
# and prints each number it works.
KILLED_AT_THE_FIRST_NUMBER = """
import os, signal, time
from kbsleep import forked

parent = os.getpid()
gone, alive = os.pipe()  # gone reads the end of its input once no process holds alive open
first = [True]

def work(number):
    if os.getpid() == parent:
        os.kill(parent, signal.SIGKILL)
    elif first:
        first.clear()
        os.close(alive)  # the child's own copy; the parent's goes when the parent does
        os.read(gone, 1)
        while os.getppid() == parent:  # a dying process's files close before its children get another parent
            time.sleep(0.001)
    print(number, flush=True)

forked.share(100, work, workers=2)
"""


def test_a_worker_stops_when_the_process_that_forked_it_is_killed() -> None:
    proc = subprocess.run([sys.executable, "-c", KILLED_AT_THE_FIRST_NUMBER], capture_output=True, text=True, timeout=60)
    assert proc.returncode == -9
    assert len(proc.stdout.split()) <= 1  # the number it had when its parent died, not the other 99
