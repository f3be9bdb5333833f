"""The log of every `kbsleep ask` (`.kbsleep/asks.sqlite`): what `kbsleep stats` and usage read."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from kbsleep.state import connect

if TYPE_CHECKING:
    from kbsleep.ask import Answer

_SCHEMA = """
CREATE TABLE IF NOT EXISTS asks (
    id INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    question TEXT NOT NULL,
    path TEXT NOT NULL,             -- precomputed / model / offline / not-found
    engine TEXT NOT NULL,
    tokens INTEGER NOT NULL,        -- model tokens spent on this ask
    context_tokens INTEGER NOT NULL,
    latency_s REAL NOT NULL,
    matched TEXT,
    citations TEXT NOT NULL         -- JSON list of "path:line"
)
"""


def log_path(state: Path) -> Path:
    return state / "asks.sqlite"


def log(state: Path, answer: Answer) -> None:
    with connect(log_path(state)) as db:
        db.execute(_SCHEMA)
        db.execute(
            "INSERT INTO asks (ts, question, path, engine, tokens, context_tokens, latency_s, matched, citations)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (datetime.now(timezone.utc).isoformat(timespec="milliseconds"), answer.question, answer.path,
             answer.engine, answer.tokens, answer.context_tokens, answer.latency_s, answer.matched,
             json.dumps([c.location for c in answer.citations])),
        )  # fmt: skip


def asks(state: Path) -> list[tuple[str, int, int]]:
    """(path, tokens, context_tokens) of every logged ask, oldest first."""
    if not log_path(state).exists():
        return []
    with connect(log_path(state)) as db:
        db.execute(_SCHEMA)
        return db.execute("SELECT path, tokens, context_tokens FROM asks ORDER BY id").fetchall()
