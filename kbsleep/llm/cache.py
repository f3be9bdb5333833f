"""The response cache: an identical request (same engine, model and content) makes no call.

Keyed by (engine, model, SHA-256 of everything that is sent). Only successful results are
stored; a hit is re-validated against the request's schema, so a changed schema misses.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from kbsleep.llm.model import Request, Result
from kbsleep.state import connect
from kbsleep.llm.structured import instructions_for

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    engine TEXT NOT NULL,
    model TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    text TEXT NOT NULL,
    output TEXT,
    created REAL NOT NULL,
    PRIMARY KEY (engine, model, request_hash)
)
"""


def request_hash(request: Request) -> str:
    """SHA-256 of what is sent for `request` (instructions, context, prompt, schema, limits)."""
    content = {
        "task": request.task,
        "model": request.model,
        "max_tokens": request.max_tokens,
        "instructions": instructions_for(request),  # includes the schema's JSON Schema
        "context": [[p.source, p.text] for p in request.context],
        "prompt": request.prompt,
    }
    blob = json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


class ResponseCache:
    """SQLite at `<wiki>/.kbsleep/responses.sqlite`; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with connect(self.path) as db:
            db.execute(_SCHEMA)

    def get(self, engine: str, request: Request) -> Result | None:
        with connect(self.path) as db:
            row = db.execute(
                "SELECT text, output FROM responses WHERE engine=? AND model=? AND request_hash=?",
                (engine, request.model or "", request_hash(request)),
            ).fetchone()
        if row is None:
            return None
        text, output_json = row
        output = None
        if request.schema is not None:
            from pydantic import ValidationError

            try:
                output = request.schema.model_validate_json(output_json or "")
            except ValidationError:
                return None  # the schema changed since: ask again
        return Result(
            request,
            text=text,
            output=output,
            model=request.model or "",
            engine=engine,
            from_cache=True,
            calls=0,
        )

    def put(self, result: Result) -> None:
        if not result.ok or result.from_cache:
            return
        request = result.request
        output = result.output.model_dump_json() if result.output is not None else None
        with connect(self.path) as db:
            db.execute(
                "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?, ?)",
                (
                    result.engine,
                    request.model or "",
                    request_hash(request),
                    result.text,
                    output,
                    time.time(),
                ),
            )
