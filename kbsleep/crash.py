"""Crash logs: where the traceback of a bug goes, so that it can be reported.

A bug outside any one item's work ends the command (`cli.main` writes the log and says where).
A bug confined to one item (one page a pass plans, one model request) skips that item instead:
its traceback is appended to this process's log and the item's reason names the log, so the
run goes on and the bug is still in plain sight.
"""

from __future__ import annotations

import datetime
import os
import sys
import tempfile
import threading
import traceback
from pathlib import Path

from kbsleep import __version__

_LOCK = threading.Lock()  # model requests fail in worker threads
_LOGS: dict[tuple[int, Path], Path] = {}  # (pid, folder) -> this process's log there


def log_exception(exc: BaseException, what: str = "") -> Path:
    """Append `exc`'s traceback to this process's crash log (made on first use); its path."""
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    folder = _folder()
    with _LOCK:
        log = _LOGS.get((os.getpid(), folder))
        if log is None:
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            log = _LOGS[(os.getpid(), folder)] = folder / f"crash-{stamp}-{os.getpid()}.log"
            log.write_text(f"kbsleep {__version__}\nargv: {sys.argv}\n", encoding="utf-8")
        with log.open("a", encoding="utf-8") as out:
            out.write(f"\n{what}\n{text}" if what else f"\n{text}")
    return log


def item_failure(exc: Exception, what: str) -> str:
    """The reason to report for one item a bug stopped: the exception and where its traceback is."""
    log = log_exception(exc, what)
    return f"kbsleep bug ({type(exc).__name__}: {exc}); traceback in {log}"


def _folder() -> Path:
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kbsleep"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return Path(tempfile.gettempdir())
    return folder
