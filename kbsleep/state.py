"""The wiki's private state directory, `<wiki>/.kbsleep/`, and the files kbsleep keeps in it."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from kbsleep.errors import KbsleepError

STATE_DIR = ".kbsleep"
BUSY_TIMEOUT_S = 30.0  # how long a state database waits for another process's write
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by kbsleep.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


def ensure_state_dir(root: Path) -> Path:
    """Create `<root>/.kbsleep/` with a `.gitignore` of `*` and a `CACHEDIR.TAG`; return it."""
    state = root / STATE_DIR
    state.mkdir(parents=True, exist_ok=True)
    gitignore = state / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("# Written by kbsleep: private state, never committed.\n*\n", encoding="utf-8")
    tag = state / "CACHEDIR.TAG"
    if not tag.exists():
        tag.write_text(CACHEDIR_TAG, encoding="utf-8")
    return state


def responses_path(state: Path) -> Path:
    return state / "responses.sqlite"


def ledger_path(state: Path) -> Path:
    return state / "ledger.sqlite"


def batches_dir(state: Path) -> Path:
    return state / "batches"


def endpoints_path(state: Path) -> Path:
    return state / "endpoints.json"


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A short autocommit connection to one of the state databases, closed at the block's end.

    One connection per operation, so threads never share one; SQLite's locking, with a
    generous busy timeout, serialises writers. WAL with synchronous=NORMAL makes a write
    cheap (no fsync per row); a power cut can lose the last rows of a cache or ledger.
    A file still locked by another process after the timeout is the user's to act on (a hung
    kbsleep, a network share), not a bug: it is said so, naming the file.
    """
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        yield db
    except sqlite3.OperationalError as exc:
        if not _busy(exc):
            raise
        raise KbsleepError(
            f"{path} is locked by another process (waited {BUSY_TIMEOUT_S:g} s)",
            hint="try again when the other kbsleep command has finished",
        ) from None
    finally:
        db.close()


def _busy(exc: sqlite3.OperationalError) -> bool:
    name = getattr(exc, "sqlite_errorname", None)  # Python 3.11+; before, only the message says
    return name in ("SQLITE_BUSY", "SQLITE_LOCKED") if name else str(exc).startswith(("database is locked", "database table is locked"))


@contextmanager
def immediate(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction that takes SQLite's write lock at its start (so a concurrent writer
    waits instead of failing half-way): committed whole, or rolled back on any failure."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
