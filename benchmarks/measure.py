#!/usr/bin/env python3
"""Run a command several times as a whole process; report wall time and peak RSS.

Usage::

    python benchmarks/measure.py --runs 5 --label "lint cold 10k" \\
        [--prepare "shell command, run before each run, not timed"] [--warmup 1] \\
        [--expect-code 0 --expect-code 1] [--append FILE] [--header] [--verbose] \\
        -- kbsleep lint --wiki /tmp/v10k

Prints one Markdown table row ``| label | median s | min s | peak RSS MB |`` to stdout and,
with ``--append FILE``, appends it to FILE (writing the header row first if FILE is new or
empty). Standard library only; POSIX only (Linux, macOS).

How it measures
---------------
Each run starts the command directly with ``os.posix_spawnp`` (no shell, no wrapper process)
and reaps it with ``os.wait4(pid)``. ``wait4`` returns the resource usage of *that* child
alone (plus any grandchildren it waited for), so its ``ru_maxrss`` is the peak resident set
size of this run: the largest single process in the command's process tree, not a sum.
This avoids the trap of ``resource.getrusage(RUSAGE_CHILDREN)``, whose ``ru_maxrss`` is a
high-water mark over *every* child this process has ever reaped (``--prepare`` commands and
earlier runs included), so it never goes down and deltas of it are meaningless.
``ru_maxrss`` is in KiB on Linux and in bytes on macOS; it is reported here in MiB.

Wall time is ``time.perf_counter()`` from just before the spawn to the return of ``wait4``,
so it includes interpreter start-up: it is what a user waits for. ``--prepare`` (for example
dropping a cache directory for a "cold" measurement) runs through the shell before every run,
warm-ups included, and is never timed. The command's stdout goes to /dev/null; its stderr is
kept in a temporary file and shown when the exit code is unexpected.

The row reports the median and the minimum wall time over ``--runs`` runs, and the peak RSS
as the maximum over those runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HEADER = "| label | median s | min s | peak RSS MB |\n|---|---:|---:|---:|"
RSS_UNIT = 1 if sys.platform == "darwin" else 1024  # bytes per ru_maxrss unit


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss_mib: float
    exit_code: int
    stderr_tail: str


def exit_code(status: int) -> int:
    """The shell-style exit code of a wait status (128 + N for death by signal N)."""
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def tail(path: str, lines: int = 15) -> str:
    with open(path, encoding="utf-8", errors="replace") as handle:
        return "".join(handle.readlines()[-lines:])


def run_once(command: Sequence[str]) -> Run:
    """Spawn `command`, wait for it, and return its wall time, peak RSS and exit code."""
    with tempfile.NamedTemporaryFile(prefix="measure-", suffix=".err", delete=False) as err:
        err_path = err.name
    try:
        actions = [
            (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
            (os.POSIX_SPAWN_OPEN, 2, err_path, os.O_WRONLY | os.O_TRUNC, 0),
        ]
        started = time.perf_counter()
        try:
            pid = os.posix_spawnp(command[0], list(command), dict(os.environ), file_actions=actions)
        except OSError as exc:
            raise SystemExit(f"error: cannot run {command[0]!r}: {exc.strerror}") from None
        _, status, usage = os.wait4(pid, 0)
        elapsed = time.perf_counter() - started
        return Run(elapsed, usage.ru_maxrss * RSS_UNIT / 2**20, exit_code(status), tail(err_path))
    finally:
        os.unlink(err_path)


def prepare(shell_command: str | None) -> None:
    if shell_command:
        subprocess.run(shell_command, shell=True, check=True)


def measure(command: Sequence[str], runs: int, warmup: int, prep: str | None,
            expected: set[int] | None, verbose: bool) -> list[Run]:
    results: list[Run] = []
    for n in range(warmup + runs):
        prepare(prep)
        run = run_once(command)
        if expected is not None and run.exit_code not in expected:
            raise SystemExit(f"error: {command[0]} exited {run.exit_code}; stderr ends:\n{run.stderr_tail}")
        kind = "warm-up" if n < warmup else f"run {n - warmup + 1}/{runs}"
        if verbose:
            print(f"{kind}: {run.seconds:.3f} s, {run.peak_rss_mib:.1f} MiB, exit {run.exit_code}",
                  file=sys.stderr)
        if n >= warmup:
            results.append(run)
    return results


def table_row(label: str, results: Sequence[Run]) -> str:
    times = [r.seconds for r in results]
    peak = max(r.peak_rss_mib for r in results)
    return f"| {label} | {statistics.median(times):.3f} | {min(times):.3f} | {peak:.1f} |"


def append_row(path: Path, row: str) -> None:
    fresh = not path.exists() or path.stat().st_size == 0
    with path.open("a", encoding="utf-8") as handle:
        if fresh:
            handle.write(HEADER + "\n")
        handle.write(row + "\n")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time a command over several runs; print a Markdown table row.",
        usage="%(prog)s [options] -- COMMAND [ARG ...]")
    parser.add_argument("--runs", type=int, default=5, help="timed runs (default 5)")
    parser.add_argument("--warmup", type=int, default=0, help="untimed runs first (default 0)")
    parser.add_argument("--label", help="first cell of the row (default: the command)")
    parser.add_argument("--prepare", help="shell command run before every run, not timed")
    parser.add_argument("--expect-code", type=int, action="append", metavar="N",
                        help="allowed exit code, repeatable (default: any code is accepted)")
    parser.add_argument("--append", type=Path, metavar="FILE", help="also append the row to FILE")
    parser.add_argument("--header", action="store_true", help="print the table header first")
    parser.add_argument("--verbose", "-v", action="store_true", help="per-run lines on stderr")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command, after --")
    args = parser.parse_args(argv)
    if args.command[:1] == ["--"]:
        args.command = args.command[1:]
    if not args.command:
        parser.error("no command given (put it after --)")
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be >= 1 and --warmup >= 0")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    expected = set(args.expect_code) if args.expect_code else None
    results = measure(args.command, args.runs, args.warmup, args.prepare, expected, args.verbose)
    codes = sorted({r.exit_code for r in results})
    if codes != [0]:
        print(f"note: exit codes seen: {codes}; stderr of the last run ends:\n{results[-1].stderr_tail}",
              file=sys.stderr)
    row = table_row(args.label or " ".join(args.command), results)
    if args.header:
        print(HEADER)
    print(row)
    if args.append:
        append_row(args.append, row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
