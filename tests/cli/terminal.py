"""Run kbsleep with stderr on a pseudo-terminal (as a person at a terminal sees it), stdout a pipe."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_on_a_terminal(*args: str, code: str | None = None, cwd: Path | None = None) -> tuple[int, str, str]:
    """(exit code, stdout, what the terminal showed on stderr): `python -m kbsleep ARGS`, or `code`."""
    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(REPO), os.environ.get("PYTHONPATH")))), "COLUMNS": "100", "TERM": "xterm"}
    command = [sys.executable, "-c", code] if code is not None else [sys.executable, "-m", "kbsleep", *args]
    done = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=follower, cwd=cwd, env=env)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        shown += chunk
    out = done.stdout.read().decode() if done.stdout else ""
    code_ = done.wait()
    os.close(leader)
    return code_, out, shown.decode("utf-8", "replace").replace("\r\n", "\n")
