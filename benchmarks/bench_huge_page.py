#!/usr/bin/env python3
"""Lint a wiki with one huge page: 4.8 MB holding 300,000 links (issue 23, item 10).

Usage::

    python benchmarks/bench_huge_page.py [OUT_DIR] [--runs 3] [--links 300000]
        [--kbsleep "kbsleep"] [--timeout 600] [--shapes lines one-line markdown]

For each shape it writes (once) a small wiki under OUT_DIR: `Huge.md` and the 50 pages its
links point to, in a git repository. The links are wikilinks of every kind kbsleep reads: plain,
to a heading, to a heading that does not exist, embedded, aliased, and to a page that does
not exist, so the lint finds 85,714 problems on the page.

- ``lines``: the links ten to a line, one paragraph (the probe's page);
- ``one-line``: all of them on a single 4.8 MB line;
- ``markdown``: as ``lines``, with one link in seven a Markdown link ``[p](Page%2012.md)``
  (which sends the paragraph through markdown-it's inline parser).

Each run is ``KBSLEEP --wiki DIR lint --output-format FORMAT -o /dev/null`` as a whole
process, cold (no ``.kbsleep/``), then warm once. It prints a Markdown table: wall time, CPU
time (user + system, which a loaded machine inflates less) and peak RSS. ``--kbsleep`` runs
another installation (e.g. one built from an older commit, in its own virtualenv); a run past
``--timeout`` seconds is stopped and reported as such. Standard library only; POSIX only.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

TARGETS = 50  # pages the links point to, each with a `## Section` heading
KINDS = (
    lambda i: f"[[Page {i % TARGETS}]]",
    lambda i: f"[[Page {i % TARGETS}#Section]]",
    lambda i: f"[[Missing Page {i % 7}]]",  # broken-link
    lambda i: f"![[Page {i % TARGETS}]]",
    lambda i: f"[[Page {i % TARGETS}#No Such]]",  # broken-anchor
    lambda i: f"[[Page {i % TARGETS}|shown]]",
    lambda i: f"[[Page {i % TARGETS}]]",
)  # 16 bytes a link with its space: 300,000 make 4.8 MB, under the default `max-page-bytes`
MARKDOWN = lambda i: f"[p](Page%20{i % TARGETS}.md)"  # noqa: E731


def page_text(links: int, shape: str) -> str:
    kinds = list(KINDS)
    if shape == "markdown":
        kinds[5] = MARKDOWN  # (instead of the aliased wikilink, of the same length)
    written = [kinds[i % len(kinds)](i) for i in range(links)]
    per_line = links if shape == "one-line" else 10
    body = "\n".join(" ".join(written[i : i + per_line]) for i in range(0, links, per_line))
    return f"# Huge\n\nEvery link kbsleep reads, {links:,} of them.\n\n{body}\n"


def make_wiki(folder: Path, links: int, shape: str) -> Path:
    """The wiki for `shape` under `folder` (written once; a second call reuses it)."""
    wiki = folder / f"huge-{shape}-{links}"
    if (wiki / ".git").is_dir():
        return wiki
    shutil.rmtree(wiki, ignore_errors=True)
    wiki.mkdir(parents=True)
    (wiki / "Huge.md").write_text(page_text(links, shape), encoding="utf-8")
    for n in range(TARGETS):
        (wiki / f"Page {n}.md").write_text(f"# Page {n}\n\n## Section\n\nLinked from [[Huge]].\n", encoding="utf-8")
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid", "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "huge page"]):
        subprocess.run(["git", *args], cwd=wiki, check=True, env=env)
    return wiki


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mib: float
    code: int | None  # None: stopped at the timeout


def run_once(command: list[str], timeout: float) -> Run:
    started = time.perf_counter()
    with open(os.devnull, "wb") as null:
        process = subprocess.Popen(command, stdout=null, stderr=subprocess.PIPE)
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - started > timeout:
            process.kill()
            _, status, usage = os.wait4(process.pid, 0)
            return Run(time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, None)
        time.sleep(0.02)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    err = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.returncode not in (0, 1):
        raise SystemExit(f"error: {shlex.join(command)} exited {process.returncode}:\n{err[-2000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode)


def row(label: str, runs: list[Run]) -> str:
    if any(r.code is None for r in runs):
        return f"| {label} | > {runs[0].wall:.0f} (stopped) | > {runs[0].cpu:.0f} | {max(r.peak_mib for r in runs):.0f} |"
    walls, cpus = [r.wall for r in runs], [r.cpu for r in runs]
    return f"| {label} | {statistics.median(walls):.2f} (min {min(walls):.2f}) | {statistics.median(cpus):.2f} | {max(r.peak_mib for r in runs):.0f} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=Path("/tmp/kbsleep-huge"), help="where the wikis are written")
    parser.add_argument("--links", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=3, help="cold runs per shape and format")
    parser.add_argument("--kbsleep", default="kbsleep", help="the command to run (default: kbsleep on PATH)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before a run is stopped")
    parser.add_argument("--shapes", nargs="+", default=["lines", "one-line", "markdown"], choices=["lines", "one-line", "markdown"])
    parser.add_argument("--formats", nargs="+", default=["concise", "full"], help="lint output formats to time")
    args = parser.parse_args(argv)
    kbsleep = shlex.split(args.kbsleep)
    print("| page, format, run | wall s | CPU s | peak RSS MB |\n|---|---:|---:|---:|")
    for shape in args.shapes:
        wiki = make_wiki(args.out, args.links, shape)
        size = (wiki / "Huge.md").stat().st_size
        if size > 5_000_000:
            print(f"warning: {size:,} bytes is over the default max-page-bytes: lint will not parse the page", file=sys.stderr)
        label = f"{shape}: {size / 1e6:.1f} MB, {args.links:,} links"
        for fmt in args.formats:
            command = [*kbsleep, "--wiki", str(wiki), "lint", "--output-format", fmt, "-o", os.devnull]
            cold = []
            for _ in range(args.runs):
                shutil.rmtree(wiki / ".kbsleep", ignore_errors=True)
                cold.append(run_once(command, args.timeout))
                if cold[-1].code is None:
                    break
            print(row(f"{label}, {fmt}, cold", cold), flush=True)
            if cold[-1].code is not None:
                print(row(f"{label}, {fmt}, warm", [run_once(command, args.timeout)]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
