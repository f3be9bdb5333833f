"""Questions `ask` could not answer from precomputed answers, queued for the next `anticipate`.

`ask` records each miss with the pages whose sections answered it; `anticipate` takes the
pending questions of the pages it processes, answers them into those pages' Q&A sections, and
marks them fed, so the next reader's question hits the fast path.
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
    fed_at TEXT                   -- when anticipate took it; NULL while pending
)
"""


def path(state: Path) -> Path:
    return state / "questions.sqlite"


def record_miss(state: Path, question: str, pages: list[str]) -> None:
    """Queue `question` for the pages that answered it (nothing is queued without pages)."""
    if not pages or not question.strip():
        return
    with connect(path(state)) as db:
        db.execute(_SCHEMA)
        db.execute(
            "INSERT INTO misses (question, pages, asked_at) VALUES (?, ?, ?)",
            (question.strip(), json.dumps(sorted(set(pages))), _now()),
        )


def pending(state: Path) -> dict[str, list[str]]:
    """Page -> the distinct questions queued for it and not yet fed, oldest first."""
    if not path(state).exists():
        return {}
    with connect(path(state)) as db:
        db.execute(_SCHEMA)
        rows = db.execute("SELECT question, pages FROM misses WHERE fed_at IS NULL ORDER BY id").fetchall()
    queued: dict[str, list[str]] = defaultdict(list)
    for question, pages in rows:
        for page in json.loads(pages):
            if question not in queued[page]:
                queued[page].append(question)
    return dict(queued)


def mark_fed(state: Path, pages: list[str]) -> None:
    """Mark every pending question of `pages` as taken by anticipate."""
    if not pages or not path(state).exists():
        return
    with connect(path(state)) as db:
        db.execute(_SCHEMA)
        rows = db.execute("SELECT id, pages FROM misses WHERE fed_at IS NULL").fetchall()
        done = [row_id for row_id, listed in rows if set(json.loads(listed)) & set(pages)]
        db.executemany("UPDATE misses SET fed_at = ? WHERE id = ?", [(_now(), row_id) for row_id in done])


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
