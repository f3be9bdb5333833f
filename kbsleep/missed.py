"""Questions `ask` could not answer from precomputed answers, queued for the next `anticipate`.

`ask` records each miss with the pages whose sections answered it; `anticipate` takes the
pending questions of the pages it processes and writes a question into a page's Q&A section only
when it found the answer on that page, with a citation; then the question is fed, and the next
reader's question hits the fast path. A question it could not answer stays queued, its attempts
counted (`kbsleep status` lists them): the answer cache never holds an answer that was not found.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

from kbsleep.state import connect

_SCHEMA = """
CREATE TABLE IF NOT EXISTS misses (
    id INTEGER PRIMARY KEY,
    question TEXT NOT NULL,
    pages TEXT NOT NULL,          -- JSON list of wiki paths that answered it
    asked_at TEXT NOT NULL,
    fed_at TEXT,                  -- when anticipate answered it; NULL while pending
    attempts INTEGER NOT NULL DEFAULT 0  -- anticipate runs that found no answer for it
)
"""


def _open(db):  # type: ignore[no-untyped-def]
    db.execute(_SCHEMA)
    columns = {row[1] for row in db.execute("PRAGMA table_info(misses)")}
    if "attempts" not in columns:  # a queue written before attempts were counted
        db.execute("ALTER TABLE misses ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0")
    return db


def path(state: Path) -> Path:
    return state / "questions.sqlite"


def record_miss(state: Path, question: str, pages: list[str]) -> None:
    """Queue `question` for the pages that answered it (nothing is queued without pages)."""
    if not pages or not question.strip():
        return
    with connect(path(state)) as db:
        _open(db)
        db.execute(
            "INSERT INTO misses (question, pages, asked_at) VALUES (?, ?, ?)",
            (question.strip(), json.dumps(sorted(set(pages))), _now()),
        )


def pending(state: Path) -> dict[str, list[str]]:
    """Page -> the distinct questions queued for it and not yet fed, oldest first."""
    if not path(state).exists():
        return {}
    with connect(path(state)) as db:
        _open(db)
        rows = db.execute("SELECT question, pages FROM misses WHERE fed_at IS NULL ORDER BY id").fetchall()
    queued: dict[str, list[str]] = defaultdict(list)
    for question, pages in rows:
        for page in json.loads(pages):
            if question not in queued[page]:
                queued[page].append(question)
    return dict(queued)


def settle(state: Path, tried: dict[str, list[str]], answered: dict[str, list[str]]) -> None:
    """After an anticipate run: the queued questions `answered` (page -> questions written into
    it with a cited answer) are fed; the others of `tried` (page -> questions it was asked)
    stay queued, one attempt more."""
    if not tried or not path(state).exists():
        return
    done = {(page, q.casefold()) for page, qs in answered.items() for q in qs}
    with connect(path(state)) as db:
        _open(db)
        rows = db.execute("SELECT id, question, pages FROM misses WHERE fed_at IS NULL").fetchall()
        fed, missed = [], []
        for row_id, question, listed in rows:
            pages = [p for p in json.loads(listed) if question in tried.get(p, ())]
            if not pages:
                continue
            (fed if any((p, question.casefold()) in done for p in pages) else missed).append(row_id)
        db.executemany("UPDATE misses SET fed_at = ? WHERE id = ?", [(_now(), row_id) for row_id in fed])
        db.executemany("UPDATE misses SET attempts = attempts + 1 WHERE id = ?", [(row_id,) for row_id in missed])


def waiting(state: Path) -> list[tuple[str, tuple[str, ...], int]]:
    """(question, pages, attempts) of every question still queued, oldest first."""
    if not path(state).exists():
        return []
    with connect(path(state)) as db:
        _open(db)
        rows = db.execute("SELECT question, pages, attempts FROM misses WHERE fed_at IS NULL ORDER BY id").fetchall()
    return [(question, tuple(json.loads(pages)), attempts) for question, pages, attempts in rows]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
