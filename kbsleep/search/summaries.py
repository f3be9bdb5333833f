"""Per-section summaries, kept fresh by content hash in `.kbsleep/summaries.sqlite`.

Sleep-time work that makes test time cheap (issue 19, item 7): a short summary of every section
of the search index, keyed by the section's hash (`search.index.content_hash`: its page title,
headings and text), so a section that changes gets a new summary and the others keep theirs.
`sync` runs where the vectors are computed (every `Index.refresh`: `kbsleep index`, `sleep`'s
index step, `ask`): it writes the extractive summary (`search.summarise`) of each section that
has none. `kbsleep.passes.summaries` replaces the extractive summaries of long sections with a
model's, at sleep time. `ask`'s model path sends these summaries instead of raw sections
(`search.context`).

A summary is data, like the section it comes from: it is sent to a model as a tagged source,
never as instructions.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from kbsleep.search.summarise import VERSION, summarise
from kbsleep.state import immediate

NAME = "summaries.sqlite"
EXTRACTIVE = "extractive"
CHUNK = 2000  # summaries written at a time: an interrupted sync keeps what it did
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);  -- method: the extractive version
CREATE TABLE IF NOT EXISTS summaries (
    hash TEXT PRIMARY KEY,   -- the section's content hash (docs.hash in the index)
    kind TEXT NOT NULL,      -- "extractive", or "model:<model id>"
    text TEXT NOT NULL
);
"""


def path_of(state: Path) -> Path:
    return state / NAME


def _open(state: Path) -> closing[sqlite3.Connection]:
    """The summaries database, made anew when it is not one (a summary is derived data)."""
    path = path_of(state)
    for attempt in (1, 2):
        db = sqlite3.connect(path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            return closing(db)
        except sqlite3.OperationalError:
            db.close()
            raise  # busy or unwritable: the file is fine, never remove it
        except sqlite3.DatabaseError:  # not a database, or a corrupt one
            db.close()
            if attempt == 2:
                raise
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    raise AssertionError("unreachable")


def sync(index_db: sqlite3.Connection, state: Path) -> int:
    """Write the extractive summary of every section of the index that has none, and drop those
    no section has any more; returns how many were computed. A no-op while the index's pages
    have not changed since the last sync (its `generation`, kept in the index's `meta`).

    A summaries file another process holds too long is left for the next refresh: a section
    without a summary is sent raw, so nothing is wrong meanwhile, only bigger."""
    try:
        return _sync(index_db, state)
    except sqlite3.OperationalError:
        return 0


def _sync(index_db: sqlite3.Connection, state: Path) -> int:
    meta = dict(index_db.execute("SELECT key, value FROM meta WHERE key IN ('generation', 'summaries', 'summaries-upto')").fetchall())
    current = f"{VERSION}|{meta.get('generation', '')}"
    made = not path_of(state).exists()
    if meta.get("summaries") == current and not made:
        return 0
    with _open(state) as db:
        method = db.execute("SELECT value FROM meta WHERE key = 'method'").fetchone()
        upto = 0
        if method is None or method[0] != VERSION:
            db.execute("DELETE FROM summaries WHERE kind = ?", (EXTRACTIVE,))
        elif not made:
            # Section ids only grow in an index (search.index), and a rebuilt index starts its
            # meta afresh: every section up to the mark had its summary at the last sync.
            upto = int(meta.get("summaries-upto") or 0)
        rows = index_db.execute("SELECT hash, min(text) FROM docs WHERE id > ? GROUP BY hash", (upto,)).fetchall()
        have = _known(db, [h for h, _ in rows])
        missing = [(h, text) for h, text in rows if h not in have]
        for start in range(0, len(missing), CHUNK):
            _write(db, [(h, EXTRACTIVE, summarise(text)) for h, text in missing[start : start + CHUNK]])
        _prune(db, index_db)
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('method', ?)", (VERSION,))
    top = index_db.execute("SELECT max(id) FROM docs").fetchone()[0] or 0
    index_db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [("summaries", current), ("summaries-upto", str(top))])
    return len(missing)


def _known(db: sqlite3.Connection, hashes: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(hashes), 500):
        chunk = list(hashes[start : start + 500])
        marks = ",".join("?" * len(chunk))
        found.update(h for (h,) in db.execute(f"SELECT hash FROM summaries WHERE hash IN ({marks})", chunk))
    return found


def _write(db: sqlite3.Connection, rows: Iterable[tuple[str, str, str]]) -> None:
    with immediate(db):
        db.executemany("INSERT OR REPLACE INTO summaries (hash, kind, text) VALUES (?, ?, ?)", rows)


def _prune(db: sqlite3.Connection, index_db: sqlite3.Connection) -> None:
    """Drop the summaries no section has any more, once they may be a third of the table."""
    kept = db.execute("SELECT count(*) FROM summaries").fetchone()[0]
    sections = index_db.execute("SELECT count(*) FROM docs").fetchone()[0]
    if kept > 1.5 * sections + 100:
        live = {h for (h,) in index_db.execute("SELECT DISTINCT hash FROM docs")}
        stale = [(h,) for (h,) in db.execute("SELECT hash FROM summaries") if h not in live]
        with immediate(db):
            db.executemany("DELETE FROM summaries WHERE hash = ?", stale)


def store(state: Path, summaries: Mapping[str, tuple[str, str]]) -> None:
    """Keep `summaries` (hash -> (kind, text)), replacing what those hashes had."""
    with _open(state) as db:
        _write(db, [(h, kind, text) for h, (kind, text) in summaries.items()])


def lookup(state: Path, hashes: Sequence[str]) -> dict[str, tuple[str, str]]:
    """hash -> (kind, text) of the summaries kept for `hashes` (none while another process
    holds the file too long: the sections are then sent raw)."""
    if not hashes or not path_of(state).exists():
        return {}
    try:
        return _lookup(state, hashes)
    except sqlite3.OperationalError:
        return {}


def _lookup(state: Path, hashes: Sequence[str]) -> dict[str, tuple[str, str]]:
    with _open(state) as db:
        found: dict[str, tuple[str, str]] = {}
        for start in range(0, len(hashes), 500):
            chunk = list(hashes[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = db.execute(f"SELECT hash, kind, text FROM summaries WHERE hash IN ({marks})", chunk)
            found.update((h, (kind, text)) for h, kind, text in rows)
        return found
