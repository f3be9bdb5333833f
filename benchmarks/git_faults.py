#!/usr/bin/env python3
"""The write transaction under faults, probed from outside with real processes, signals and git.

Usage::

    python benchmarks/git_faults.py [OUT] [--pages 10000] [--kills 20] [--cli-pages 1000]
        [--cli-kills 10] [--consolidate-pages 1000] [--consolidate-kills 10]
        [--during-pages 1000] [--code DIR] [--seed 1]

Three probes, each on clones of a vault from `generate_vault.py --git`:

1. **Write-phase kills, then a user commit, then a run** (`--pages`, `--kills`). A child process
   applies a plan that rewrites every page (each gets an answers-like section) through
   `transaction.apply`, the transaction every pass calls. It is SIGKILLed at a random moment of its
   write phase: uniform over the first 90% of the time from its journal appearing to the end,
   as a calibration run took (a run that ends before its kill is not counted, and retried). The user then commits a file of their own; if git refuses because of the index
   lock the killed process held, the user does what git's message says (removes the lock) and
   commits. Then the child runs again to completion. Correct: exit 0, a clean work tree, the
   user's commit in HEAD's history with their file, and every page in HEAD byte for byte what
   the plan says.
2. The same with the real command line (`--cli-pages`, `--cli-kills`): `kbsleep anticipate
   --engine offline --yes` killed in its write phase, the user's commit, `kbsleep anticipate`
   again; every page in HEAD must be what an uninterrupted run commits (a reference run).
3. **A multi-commit pass killed** (`--consolidate-pages`, `--consolidate-kills`): `kbsleep
   consolidate --engine offline --yes` (one commit per task, one transaction for the run)
   killed in its write phase, then as probe 2 (index.md and log.md not compared: they list the
   user's page and the run); correct also needs HEAD, right after the kill, to hold none of the
   run's commits or all of them (never the first tasks' alone).
4. **User commits during a pass** (`--during-pages`): while `kbsleep anticipate` (then
   `kbsleep sleep`) runs, the user appends a line to a random page and commits it, every 0.2 s
   (waiting while git's index lock is held, and retrying a commit git refuses for it). Lost: a
   user commit not in HEAD's history, or a line of theirs missing from HEAD's page.

`--code DIR` runs the children with kbsleep from another checkout (e.g. the code before this
work, for a before/after). Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_vault import ensure_vault  # noqa: E402

# Written just before the first page (before this work), or before git's index lock is taken
# and the first page written (after it): the start of the write phase either way.
JOURNAL = Path(".kbsleep") / "journal" / "journal.json"
SECTION = "\n<!-- kbsleep:anticipate v=1 -->\n## Anticipated questions\n\n**What is this page about?**\nIt says so itself. [[{name}]]\n<!-- /kbsleep:anticipate -->\n"

# The child of probe 1: what a pass does, with the plan (every page with a section appended)
# through the transaction. Runs against the kbsleep on PYTHONPATH, before or after this work.
DRIVER = """
import json, sys
from pathlib import Path
from kbsleep.git import transaction
root, plan = Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text())
transaction.recover(root)  # as every kbsleep command does before it reads a page
fields = transaction.Edit.__dataclass_fields__
def edit(path, text):
    extra = {"base": transaction.blob_of((root / path).read_bytes())} if "base" in fields else {}
    return transaction.Edit(path, text, **extra)
edits = tuple(edit(path, text) for path, text in plan.items() if (root / path).read_text(encoding="utf-8") != text)
options = {"separable": True} if "separable" in transaction.Plan.__dataclass_fields__ else {}
transaction.apply(root, transaction.Plan("anticipate", f"{len(edits)} pages", edits, **options), "probe")
"""


def git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=check)


def clone(vault: Path, target: Path) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", str(vault), str(target)], check=True)
    for key, value in (("user.name", "A User"), ("user.email", "user@example.invalid")):
        git(target, "config", key, value)
    return target


def pages_of(root: Path) -> dict[str, str]:
    """HEAD's Markdown files: path -> blob id."""
    out = git(root, "ls-tree", "-r", "-z", "HEAD").stdout
    found = {}
    for entry in out.split("\0"):
        meta, _, path = entry.partition("\t")
        if path.endswith(".md"):
            found[path] = meta.split()[2]
    return found


@dataclass
class Child:
    argv: list[str]
    env: dict[str, str]

    def start(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(self.argv, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def finish(self) -> tuple[int, str, str, float]:
        started = time.perf_counter()
        done = subprocess.run(self.argv, env=self.env, capture_output=True, text=True)
        return done.returncode, done.stdout, done.stderr, time.perf_counter() - started


def kill_in_write_phase(child: Child, root: Path, window: float, rng: random.Random) -> tuple[str, float]:
    """Start `child`, SIGKILL it at a random moment after its journal appears; what happened."""
    process = child.start()
    journal = root / JOURNAL
    while not journal.exists():
        if process.poll() is not None:
            return "finished before its journal appeared", 0.0
        time.sleep(0.002)
    delay = rng.uniform(0, 0.9 * window)
    time.sleep(delay)
    if process.poll() is not None:
        return "finished before the kill", delay
    process.send_signal(signal.SIGKILL)
    process.communicate()
    return "killed", delay


def user_commits(root: Path, name: str) -> tuple[str, bool]:
    """The user commits a file of their own; (the commit, whether git first refused it)."""
    (root / name).write_text(f"# {name}\n\nThe user's own page.\n", encoding="utf-8")
    refused = False
    for _ in range(2):
        added = git(root, "add", name, check=False)
        done = git(root, "commit", "-q", "-m", f"the user's {name}", "--", name, check=False) if added.returncode == 0 else added
        if done.returncode == 0:
            return git(root, "rev-parse", "HEAD").stdout.strip(), refused
        if "index.lock" not in done.stderr:
            raise SystemExit(f"the user's commit failed: {done.stderr}")
        refused = True
        (root / ".git" / "index.lock").unlink(missing_ok=True)  # what git's message tells the user to do
    raise SystemExit("the user's commit failed twice")


def verdict(root: Path, expected: dict[str, str], mine: str, name: str, code: int, loose: frozenset[str] = frozenset()) -> tuple[bool, int, str]:
    """(correct, files left modified, why not); `loose`: pages not compared (they list the user's page, or the run)."""
    status = git(root, "status", "--porcelain").stdout.splitlines()
    if code != 0:
        return False, len(status), f"the run exited {code}"
    if status:
        return False, len(status), f"{len(status)} files left modified or untracked"
    if git(root, "merge-base", "--is-ancestor", mine, "HEAD", check=False).returncode != 0:
        return False, 0, "the user's commit is not in HEAD's history"
    found = pages_of(root)
    if name not in found:
        return False, 0, "the user's file is not in HEAD"
    found.pop(name)
    found = {p: blob for p, blob in found.items() if p not in loose}
    expected = {p: blob for p, blob in expected.items() if p not in loose}
    wrong = [p for p in expected if found.get(p) != expected[p]] + [p for p in found if p not in expected]
    return (not wrong), 0, (f"{len(wrong)} pages in HEAD are not what a full run commits" if wrong else "")


# -- probe 1 and 2: kills --------------------------------------------------------------------------


def kills(out: Path, vault: Path, label: str, make_child, expected: dict[str, str], trials: int, rng: random.Random, whole: int = 1, loose: frozenset[str] = frozenset()) -> list[str]:  # type: ignore[no-untyped-def]
    """`trials` kills of `make_child`'s run; `whole`: the commits an uncut run makes (HEAD right
    after a kill must hold none of them or all); `loose`: pages `verdict` does not compare."""
    calibration = clone(vault, out / "calibrate")
    child = make_child(calibration)
    process = child.start()
    while not (calibration / JOURNAL).exists() and process.poll() is None:
        time.sleep(0.002)
    appeared = time.perf_counter()
    process.communicate()
    window = time.perf_counter() - appeared
    assert pages_of(calibration) == expected, "the calibration run does not commit the expected pages"
    rows = []
    correct = killed = early = 0
    for _attempt in range(3 * trials):  # a run that ends before its kill is not counted: try again
        if killed == trials:
            break
        root = clone(vault, out / "trial")
        child = make_child(root)
        what, delay = kill_in_write_phase(child, root, window, rng)
        if what != "killed":
            early += 1
            continue
        killed += 1
        left = len(git(root, "status", "--porcelain").stdout.splitlines())
        ahead = int(git(root, "rev-list", "--count", "origin/HEAD..HEAD").stdout)
        name = f"mine-{killed}.md"
        mine, refused = user_commits(root, name)
        code, _, err, seconds = child.finish()
        ok, modified, why = verdict(root, expected, mine, name, code, loose)
        if ahead not in (0, whole):
            ok, why = False, f"HEAD held {ahead} of the run's {whole} commits after the kill"
        correct += ok
        rows.append(f"| {killed} | +{delay:.1f} s | {left} | {ahead} of {whole} | {'refused, lock removed' if refused else 'made'} | {seconds:.1f} | {'yes' if ok else 'NO: ' + why} |")
        print(rows[-1], file=sys.stderr, flush=True)
    head = [
        f"### {label}: write phase {window:.1f} s (journal to exit, uncut run)",
        "",
        "| kill | after the journal | files changed after the kill | commits in HEAD after the kill | the user's commit | next run s | correct |",
        "|---:|---|---:|---|---|---:|---|",
    ]
    note = f" ({early} runs that ended before their kill were not counted)" if early else ""
    return [*head, *rows, "", f"**{correct}/{killed} correct.**{note}", ""]


def plan_probe(out: Path, pages: int, trials: int, env: dict[str, str], rng: random.Random) -> list[str]:
    vault = ensure_vault(out, pages)
    plan = {}
    for path in pages_of(vault):
        text = (vault / path).read_text(encoding="utf-8")
        plan[path] = text + SECTION.format(name=Path(path).stem)
    plan_file = out / f"plan-{pages}.json"
    plan_file.write_text(json.dumps(plan), encoding="utf-8")
    expected = pages_of(_committed(out, vault, plan))
    make = lambda root: Child([sys.executable, "-c", DRIVER, str(root), str(plan_file)], env)  # noqa: E731
    return kills(out, vault, f"`transaction.apply`, {len(plan):,} pages", make, expected, trials, rng)


def _committed(out: Path, vault: Path, plan: dict[str, str]) -> Path:
    """A clone with `plan` committed by plain git: what a complete run leaves in HEAD."""
    root = clone(vault, out / "expected")
    for path, text in plan.items():
        (root / path).write_bytes(text.encode("utf-8"))
    git(root, "commit", "-qam", "expected")
    return root


def command_probe(out: Path, pages: int, trials: int, env: dict[str, str], rng: random.Random, verb: str,
                  loose: frozenset[str] = frozenset()) -> list[str]:  # fmt: skip
    """Kills of `kbsleep VERB --engine offline --yes` against a reference run of the same command
    (probe 2: anticipate; probe 3: consolidate, whose commits HEAD must hold none or all of)."""
    vault = ensure_vault(out, pages)
    reference = clone(vault, out / f"reference-{verb}-{pages}")
    command = [sys.executable, "-m", "kbsleep", verb, "--engine", "offline", "--yes"]
    code, _, err, seconds = Child([*command, "--wiki", str(reference)], env).finish()
    assert code == 0, err
    made = int(git(reference, "rev-list", "--count", "origin/HEAD..HEAD").stdout)
    make = lambda root: Child([*command, "--wiki", str(root)], env)  # noqa: E731
    commits = f", {made} commits" if made != 1 else ""
    label = f"`kbsleep {verb}`, {pages:,} pages{commits} (an uncut run: {seconds:.0f} s)"
    return kills(out, vault, label, make, pages_of(reference), trials, rng, whole=made, loose=loose)


# -- probe 4: commits during a pass ----------------------------------------------------------------


def during_probe(out: Path, pages: int, env: dict[str, str], rng: random.Random) -> list[str]:
    vault = ensure_vault(out, pages)
    rows = ["| command | pages | run s | exit | user commits | refused by the index lock, then retried | commits lost | lines lost | pages left for the next run |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for command in (["anticipate", "--engine", "offline", "--yes"], ["sleep", "--engine", "offline", "--yes"]):
        root = clone(vault, out / "during")
        names = sorted(p for p in pages_of(root) if "/" in p)  # content pages, not index.md or log.md
        process = subprocess.Popen([sys.executable, "-m", "kbsleep", "--wiki", str(root), *command], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        started = time.perf_counter()
        made: list[tuple[str, str, str]] = []  # (commit, page, line)
        refusals = 0
        lock = root / ".git" / "index.lock"
        while process.poll() is None:
            while lock.exists() and process.poll() is None:  # git is busy (kbsleep committing): the user waits
                time.sleep(0.05)
            page = rng.choice(names)
            line = f"A line the user added while kbsleep ran, number {len(made) + 1}."
            with open(root / page, "a", encoding="utf-8") as handle:
                handle.write(f"\n{line}\n")
            while True:
                done = git(root, "commit", "-q", "-m", f"user edit {len(made) + 1}", "--", page, check=False)
                if done.returncode == 0 or "nothing to commit" in done.stdout + done.stderr:  # else kbsleep committed the line
                    made.append((git(root, "rev-parse", "HEAD").stdout.strip(), page, line))
                    break
                if "index.lock" not in done.stderr:
                    raise SystemExit(f"the user's commit failed: {done.stderr}")
                refusals += 1
                time.sleep(0.05)
            time.sleep(0.2)
        _, err = process.communicate()
        seconds = time.perf_counter() - started
        lost_commits = sum(git(root, "merge-base", "--is-ancestor", sha, "HEAD", check=False).returncode != 0 for sha, _, _ in made)
        heads = {page: git(root, "show", f"HEAD:{page}", check=False).stdout for _, page, _ in made}
        lost_lines = sum(line not in heads[page] for _, page, line in made)
        left = str(sum("changed" in line and "kbsleep ran" in line for line in err.splitlines())) if command[0] == "anticipate" else "-"
        if process.returncode != 0:
            print(err, file=sys.stderr)
        rows.append(f"| `kbsleep {command[0]}` | {len(names):,} | {seconds:.0f} | {process.returncode} | {len(made)} | {refusals} | **{lost_commits}** | **{lost_lines}** | {left} |")
        print(rows[-1], file=sys.stderr, flush=True)
    return ["### User commits during a pass", "", *rows, ""]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=Path("/tmp/kbsleep-git-faults"))
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--cli-pages", type=int, default=1000)
    parser.add_argument("--cli-kills", type=int, default=10)
    parser.add_argument("--consolidate-pages", type=int, default=1000)
    parser.add_argument("--consolidate-kills", type=int, default=10)
    parser.add_argument("--during-pages", type=int, default=1000)
    parser.add_argument("--code", type=Path, default=HERE.parent, help="the kbsleep checkout the children run")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    env = {**os.environ, "PYTHONPATH": str(args.code.resolve()), "GIT_AUTHOR_NAME": "A User", "GIT_AUTHOR_EMAIL": "user@example.invalid",
           "GIT_COMMITTER_NAME": "A User", "GIT_COMMITTER_EMAIL": "user@example.invalid"}  # fmt: skip
    for key in ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"):
        env.pop(key, None)
    lines = [f"kbsleep from {args.code.resolve()}", ""]
    if args.kills:
        lines += plan_probe(args.out, args.pages, args.kills, env, rng)
    if args.cli_kills:
        lines += command_probe(args.out, args.cli_pages, args.cli_kills, env, rng, "anticipate")
    if args.consolidate_kills:
        # index.md lists the user's page and log.md the run: every other page must be as in the reference
        lines += command_probe(args.out, args.consolidate_pages, args.consolidate_kills, env, rng, "consolidate", frozenset({"index.md", "log.md"}))
    if args.during_pages:
        lines += during_probe(args.out, args.during_pages, env, rng)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
