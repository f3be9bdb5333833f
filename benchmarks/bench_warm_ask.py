#!/usr/bin/env python3
"""Warm `kbsleep ask` of two (or more) installs on one wiki, alternating, as whole processes.

Usage::

    python benchmarks/bench_warm_ask.py --wiki VAULT --rounds 6 \\
        --exe main=/path/to/venv/bin/kbsleep --exe branch=/other/venv/bin/kbsleep \\
        ["Who maintains the project?" ...]

`NAME=PATH@DIR` runs the install PATH with `PYTHONPATH=DIR`: another source tree of kbsleep (a
`git archive` of a commit, bytecode compiled) under the same interpreter and packages, so the
two share the embedding model's files, and with them their token tables in the wiki's `.kbsleep/`.

Each round asks every question once with each install (`kbsleep --wiki VAULT ask --no-log Q`),
the installs' order reversed every other round, so that a change in the machine's load falls on
both alike. Prints, per install, the median wall time (what a user waits for, interpreter start
included), its fastest run and quartiles, and the median CPU time (user + system of that process
and of the git it runs, from `os.wait4`: less sensitive to other work on the machine than wall
time), with the load average before and after. The answers of the installs are compared too: a speed-up must not change one.
With `--instructions`, each question is asked once per install under valgrind's callgrind
instead, and the instructions the kbsleep process executed are printed (git's status, a child
process, not counted): a figure that other work on the machine does not move (PYTHONHASHSEED=0,
and one BLAS thread: idle BLAS threads spin for a while, by as much as 10% of the count; about 40 s
a run). Compile each tree's bytecode first (`python -m compileall -q kbsleep`): with
PYTHONDONTWRITEBYTECODE set, a module whose bytecode is stale is compiled from source on every
run, which costs more than most changes save. Standard library only (and valgrind for
`--instructions`); POSIX only. The wiki must be indexed (`kbsleep index`) beforehand.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

QUESTIONS = ("Who maintains the project?", "What is the budget of the survey?", "How do I set up the pipeline?", "When did the expedition start?")


def split(install: str) -> tuple[str, dict[str, str]]:
    """The console script of `PATH[@DIR]`, and the environment to run it in."""
    exe, _, tree = install.partition("@")
    return exe, {**os.environ, "PYTHONPATH": tree} if tree else dict(os.environ)


def run(install: str, wiki: str, question: str) -> tuple[float, float, bytes]:
    """(wall s, CPU s, stdout) of one ask."""
    exe, env = split(install)
    started = time.perf_counter()
    process = subprocess.Popen([exe, "--wiki", wiki, "ask", "--no-log", "--json", question], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    out = process.stdout.read() if process.stdout else b""
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime, out


def instructions(install: str, wiki: str, question: str) -> int:
    """The instructions one ask executes (its own process, not git's), counted by callgrind."""
    exe, env = split(install)
    with tempfile.TemporaryDirectory() as folder:
        script = open(exe, encoding="utf-8").readline()  # a console script: run its interpreter under valgrind
        python = script[2:].strip() if script.startswith("#!") else sys.executable
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={folder}/out", python, exe, "--wiki", wiki, "ask", "--no-log", question],
            capture_output=True, text=True, env={**env, "PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1"},
        )  # fmt: skip
        found = re.search(r"Collected : (\d+)", done.stderr)
        if found is None:
            raise SystemExit(f"callgrind gave no count:\n{done.stderr[-2000:]}")
        return int(found.group(1))


def answer_of(out: bytes) -> str:
    """The answer and citations of `ask --json`, without its latency."""
    import json

    try:
        found = json.loads(out)
    except ValueError:
        return out.decode(errors="replace")
    return json.dumps({k: found.get(k) for k in ("answer", "citations", "path", "found")}, sort_keys=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wiki", required=True)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--exe", action="append", required=True, metavar="NAME=PATH")
    parser.add_argument("--instructions", action="store_true", help="count instructions under callgrind instead of timing")
    parser.add_argument("questions", nargs="*")
    args = parser.parse_args()
    exes = dict(item.split("=", 1) for item in args.exe)
    questions = args.questions or list(QUESTIONS)
    if args.instructions:
        for question in questions:
            counts = {name: instructions(exe, args.wiki, question) for name, exe in exes.items()}
            print(f"{question!r}: " + ", ".join(f"{name} {count / 1e6:,.0f} M" for name, count in counts.items()))
        return 0
    walls: dict[str, list[float]] = {name: [] for name in exes}
    cpus: dict[str, list[float]] = {name: [] for name in exes}
    answers: dict[str, dict[str, str]] = {name: {} for name in exes}
    load_before = os.getloadavg()
    for number in range(args.rounds):
        names = list(exes) if number % 2 == 0 else list(reversed(exes))
        for name in names:
            for question in questions:
                wall, cpu, out = run(exes[name], args.wiki, question)
                walls[name].append(wall)
                cpus[name].append(cpu)
                answers[name][question] = answer_of(out)
    load_after = os.getloadavg()
    for name in exes:
        wall = sorted(walls[name])
        n = len(wall)
        print(f"{name:10} wall median {statistics.median(wall):.3f} s (min {wall[0]:.3f}, q1 {wall[n // 4]:.3f}, q3 {wall[3 * n // 4]:.3f}), "
              f"CPU median {statistics.median(cpus[name]):.3f} s, n {n}")  # fmt: skip
    print("load average before %.2f %.2f %.2f, after %.2f %.2f %.2f" % (*load_before, *load_after))
    first = next(iter(exes))
    differ = [q for name in exes for q in questions if answers[name][q] != answers[first][q]]
    print("answers: the same" if not differ else f"answers differ: {sorted(set(differ))}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
