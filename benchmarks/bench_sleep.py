#!/usr/bin/env python3
"""`kbsleep sleep` (offline) on a copy of a vault: error-tier findings before and after, pages
written, time, and the byte check of every commit of the run.

Usage::

    python benchmarks/bench_sleep.py WIKI_DIR [--yes]

WIKI_DIR is a wiki folder inside a git work tree: a copy (a clone) of a real vault, or one
`generate_vault.py --git` wrote; the run commits to it. Runs, with kbsleep on PATH:
``kbsleep --wiki WIKI_DIR lint --output-format json --exit-zero`` (before and after),
``kbsleep --wiki WIKI_DIR sleep --engine offline [--yes]`` (timed, no terminal: over
`max-pages-per-run` it writes the first batch), and ``byte_check.py --run`` on its commits.
Prints a Markdown row. Run by hand, never in CI.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).parent


def kbsleep(wiki: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["kbsleep", "--wiki", str(wiki), *args], stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        sys.exit(f"kbsleep {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return done


def errors(wiki: Path) -> Counter[str]:
    found = json.loads(kbsleep(wiki, "lint", "--output-format", "json", "--exit-zero").stdout)
    return Counter(f["code"] for f in found if f.get("severity", f.get("level")) == "error")


def git(wiki: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(wiki), *args], capture_output=True, text=True, check=True).stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wiki", type=Path)
    parser.add_argument("--yes", action="store_true", help="pass --yes: no max-pages-per-run batch")
    args = parser.parse_args()
    before = errors(args.wiki)
    head = git(args.wiki, "rev-parse", "HEAD").strip()
    started = time.perf_counter()
    done = kbsleep(args.wiki, "sleep", "--engine", "offline", *(["--yes"] if args.yes else []))
    seconds = time.perf_counter() - started
    after = errors(args.wiki)
    commits = git(args.wiki, "rev-list", "--reverse", f"{head}..HEAD").split()
    tasks = [git(args.wiki, "log", "-1", "--format=%s", c).strip().removeprefix("kbsleep ").split(":", 2) for c in commits]
    written = {p for c in commits for p in git(args.wiki, "show", "--name-only", "--format=", c).split("\n") if p}
    check = subprocess.run([sys.executable, str(HERE / "byte_check.py"), str(args.wiki), "--run"], capture_output=True, text=True, check=False)
    print(done.stdout.strip())
    print(done.stderr.strip())
    print(check.stdout.strip())
    print()
    print("| errors before | errors after | commits | pages written | byte check | sleep time |")
    print("| ---: | ---: | --- | ---: | --- | ---: |")
    steps = ", ".join(":".join(t[:2]).strip() for t in tasks)
    verdict = check.stdout.strip().splitlines()[-1].removeprefix("all: ") if check.stdout.strip() else "no commits"
    print(f"| {sum(before.values())} | {sum(after.values())} | {len(commits)} ({steps}) | {len(written):,} | {verdict} | {seconds:.1f} s |")
    added = {code: n - before[code] for code, n in after.items() if n > before[code]}
    if added:
        print(f"error-tier findings added: {added}")
    return 1 if sum(after.values()) > sum(before.values()) or check.returncode != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
