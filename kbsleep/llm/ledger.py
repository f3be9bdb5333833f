"""The ledger: one SQLite row per model call, and `stats` over it (spend by pass and by phase)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from kbsleep.llm import prices
from kbsleep.llm.model import Result, Usage
from kbsleep.state import connect

_SCHEMA = """
CREATE TABLE IF NOT EXISTS calls (
    id INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    engine TEXT NOT NULL,
    pass TEXT NOT NULL,
    task TEXT NOT NULL,
    page TEXT NOT NULL,
    model TEXT NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cache_read_tokens INTEGER NOT NULL,
    cache_write_tokens INTEGER NOT NULL,
    cost_usd REAL NOT NULL,
    latency_s REAL NOT NULL,
    batched INTEGER NOT NULL,
    phase TEXT NOT NULL,
    from_cache INTEGER NOT NULL,
    calls INTEGER NOT NULL,
    error TEXT
)
"""
COLUMNS = (
    "ts", "engine", "pass", "task", "page", "model", "input_tokens", "output_tokens",
    "cache_read_tokens", "cache_write_tokens", "cost_usd", "latency_s", "batched", "phase",
    "from_cache", "calls", "error",
)  # fmt: skip
_INSERT = f"INSERT INTO calls ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"


class Ledger:
    """SQLite at `<wiki>/.kbsleep/ledger.sqlite`; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with connect(path) as db:
            db.execute(_SCHEMA)

    def record(self, result: Result) -> None:
        request, usage = result.request, result.usage
        row = (
            datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            result.engine,
            request.pass_name,
            request.task,
            request.page,
            result.model or request.model or "",
            usage.input_tokens,
            usage.output_tokens,
            usage.cache_read_tokens,
            usage.cache_write_tokens,
            result.cost_usd,
            result.latency_s,
            int(result.batched),
            request.phase,
            int(result.from_cache),
            result.calls,
            result.error,
        )
        with connect(self.path) as db:
            db.execute(_INSERT, row)


@dataclass(frozen=True)
class Totals:
    results: int = 0  # ledger rows: one per request answered (cached or not)
    calls: int = 0  # API calls made (structured retries count twice, cache hits not at all)
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    cost_usd: float = 0.0
    latency_s: float = 0.0
    cache_hits: int = 0
    batched: int = 0
    errors: int = 0


@dataclass(frozen=True)
class Stats:
    total: Totals = field(default_factory=Totals)
    by_pass: Mapping[str, Totals] = field(default_factory=dict)
    by_phase: Mapping[str, Totals] = field(default_factory=dict)  # "sleep" vs. "test"
    by_model: Mapping[str, Totals] = field(default_factory=dict)
    first: str | None = None  # ISO timestamps of the first and last rows
    last: str | None = None


_TOTALS_SQL = """
SELECT {group}, COUNT(*), SUM(calls), SUM(input_tokens), SUM(output_tokens),
       SUM(cache_read_tokens), SUM(cache_write_tokens), SUM(cost_usd), SUM(latency_s),
       SUM(from_cache), SUM(batched), SUM(error IS NOT NULL)
FROM calls WHERE ts >= ? GROUP BY 1 ORDER BY 1
"""


def stats(ledger_path: Path, *, since: str = "") -> Stats:
    """Spend and tokens in the ledger (rows at or after the ISO timestamp `since`), as data."""
    if not ledger_path.exists():
        return Stats()
    with connect(ledger_path) as db:
        db.execute(_SCHEMA)

        def grouped(column: str) -> dict[str, Totals]:
            rows = db.execute(_TOTALS_SQL.format(group=column), (since,)).fetchall()
            return {str(row[0]): _totals(row[1:]) for row in rows}

        total = grouped("'all'").get("all", Totals())
        first, last = db.execute(
            "SELECT MIN(ts), MAX(ts) FROM calls WHERE ts >= ?", (since,)
        ).fetchone()
        return Stats(total, grouped("pass"), grouped("phase"), grouped("model"), first, last)


def _totals(row: tuple[Any, ...]) -> Totals:
    # The columns of _TOTALS_SQL after the group; SUM() over no rows is NULL.
    n, calls, tin, tout, tread, twrite, usd, latency, hits, batched, errors = (v or 0 for v in row)
    return Totals(
        n, calls, tin, tout, tread, twrite, float(usd), float(latency), hits, batched, errors
    )


@dataclass(frozen=True)
class CacheFigures:
    """What prompt caching did: tokens written and read, and the USD it saved net of the writes."""

    write_tokens: int = 0
    read_tokens: int = 0
    saving_usd: float = 0.0  # reads' discount minus writes' premium, at each model's price


def cache_figures(
    ledger_path: Path, overrides: Mapping[str, Mapping[str, float]] | None = None, *, since: str = ""
) -> CacheFigures:
    """Prompt-cache writes, reads and net saving over the ledger (rows at or after `since`)."""
    if not ledger_path.exists():
        return CacheFigures()
    with connect(ledger_path) as db:
        db.execute(_SCHEMA)
        rows = db.execute(
            "SELECT model, batched, SUM(cache_write_tokens), SUM(cache_read_tokens) FROM calls"
            " WHERE ts >= ? GROUP BY model, batched",
            (since,),
        ).fetchall()
    writes = reads = 0
    saving = 0.0
    for model, batched, write, read in rows:
        usage = Usage(cache_write_tokens=write or 0, cache_read_tokens=read or 0)
        writes, reads = writes + usage.cache_write_tokens, reads + usage.cache_read_tokens
        price = prices.price_for(str(model), overrides)
        saving += prices.cache_saving(usage, price, batched=bool(batched))
    return CacheFigures(writes, reads, saving)
