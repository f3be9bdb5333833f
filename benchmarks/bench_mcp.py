#!/usr/bin/env python3
"""Time `kbsleep mcp` as an agent sees it: first and warm `ask` and `search` (and `read`, `lint`,
`status`) over stdio, driven by the `mcp` SDK's own client.

Usage::

    python benchmarks/generate_vault.py /tmp/v10k --pages 10000 --git --force --quiet
    python benchmarks/bench_mcp.py /tmp/v10k [--cold] [--calls 20]

`--cold` deletes the vault's `.kbsleep/` first: the first `ask` then builds the search index and
the first `read` parses every page. Without it the caches are as the last run left them, which
is the usual case: a new session of an agent on a wiki kbsleep has seen before.

For each tool: the first call of the session and the median and worst of `--calls` warm calls,
each with a different question or page (from the vault's own titles). "server" is the time inside
the server (ask's `latency_s`, search's `seconds`), "round trip" what the client waited. Questions
are asked with the offline engine and `ask`'s log goes to the vault's `.kbsleep/` as usual.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

import anyio
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

QUESTIONS = ("When was {} born?", "What is {} known for?", "Who worked with {}?")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vault", type=Path)
    parser.add_argument("--cold", action="store_true", help="delete .kbsleep/ first")
    parser.add_argument("--calls", type=int, default=20, help="warm calls per tool")
    args = parser.parse_args()
    root = args.vault.resolve()
    if args.cold:
        shutil.rmtree(root / ".kbsleep", ignore_errors=True)
    people = sorted(p.stem for p in (root / "people").glob("*.md"))
    step = max(1, len(people) // (args.calls + 1))
    names = people[::step][: args.calls + 1]
    rows = anyio.run(_session, root, names)
    print(f"| tool | first: server | first: round trip | warm median: server | warm median: round trip | warm worst: round trip |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for tool, (first, warm) in rows.items():
        def s(value: float | None) -> str:
            return "n/a" if value is None else f"{value:.3f} s"

        print(
            f"| {tool} | {s(first[0])} | {s(first[1])} | {s(statistics.median(w[0] for w in warm) if warm[0][0] is not None else None)} "
            f"| {s(statistics.median(w[1] for w in warm))} | {s(max(w[1] for w in warm))} |"
        )
    return 0


async def _session(root: Path, names: list[str]) -> dict[str, tuple[tuple[Any, float], list[tuple[Any, float]]]]:
    params = StdioServerParameters(command=sys.executable, args=["-m", "kbsleep", "--wiki", str(root), "mcp", "--engine", "offline"])
    started = time.perf_counter()
    async with Client(params, mode="legacy", cache=None, read_timeout_seconds=600) as client:
        print(f"connected in {time.perf_counter() - started:.2f} s (server start, SDK import, handshake)", file=sys.stderr)

        async def timed(tool: str, arguments: dict[str, Any], inside: Callable[[dict[str, Any]], float] | None) -> tuple[float | None, float]:
            began = time.perf_counter()
            result = await client.call_tool(tool, arguments)
            took = time.perf_counter() - began
            if result.is_error:
                raise SystemExit(f"{tool} failed: {result.content[0].text}")  # type: ignore[union-attr]
            data = result.structured_content or {}
            return (inside(data) if inside else None), took

        plans = {
            "ask": (lambda n: {"question": QUESTIONS[len(n) % 3].format(n)}, lambda d: d["latency_s"]),
            "search": (lambda n: {"query": f"{n} career", "limit": 10}, lambda d: d["seconds"]),
            "read": (lambda n: {"page": n}, None),
            "lint": (lambda n: {"paths": [f"people/{n}.md"]}, None),
            "status": (lambda n: {}, None),
        }
        rows = {}
        for tool, (arguments, inside) in plans.items():
            first = await timed(tool, arguments(names[0]), inside)
            calls = names[1:] if tool != "status" else names[1:4]
            warm = [await timed(tool, arguments(name), inside) for name in calls]
            rows[tool] = (first, warm)
    return rows


if __name__ == "__main__":
    sys.exit(main())
