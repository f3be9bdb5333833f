"""The wiki's private state directory, `<wiki>/.kbsleep/`, and the files kbsleep keeps in it."""

from __future__ import annotations

import sqlite3
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Iterator

STATE_DIR = ".kbsleep"
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


def connect(path: Path) -> closing[sqlite3.Connection]:
    """A short autocommit connection to one of the state databases; use it in a `with`.

    One connection per operation, so threads never share one; SQLite's locking, with a
    generous busy timeout, serialises writers. WAL with synchronous=NORMAL makes a write
    cheap (no fsync per row); a power cut can lose the last rows of a cache or ledger.
    """
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    return closing(db)


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
