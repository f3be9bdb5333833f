"""git's read path: the few plumbing calls lint, discovery, the pre-commit hook and `ask` make.

Why plain subprocesses and not GitPython (which the write transaction uses, `repo.py`): these
run on every `kbsleep lint`, and `kbsleep lint --staged` runs as a pre-commit hook on every
commit, where importing GitPython alone (about 70 ms, and a `git version` call) would cost more
than the git calls themselves. Each function is one git command whose output is parsed here;
a failure is a `KbsleepError` in our words (`failures`), and no git on PATH either reads as
"not in git" (where the caller then works on plain files) or says so.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from kbsleep.errors import KbsleepError
from kbsleep.git import failures


def _git(where: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(where), *args], capture_output=True, check=False, env={**os.environ, **failures.C_LOCALE})
    except FileNotFoundError:
        raise failures.git_missing() from None


def _output(where: Path, *args: str) -> str:
    """git's output; a failure is a `KbsleepError` in our words."""
    done = _git(where, *args)
    if done.returncode != 0:
        raise failures.explain(args, done.stderr.decode("utf-8", "replace"), where)
    return done.stdout.decode("utf-8", "surrogateescape")


def toplevel(path: Path) -> Path | None:
    """The top folder of the git work tree holding `path`; None outside one (or without git)."""
    try:
        done = _git(path, "rev-parse", "--show-toplevel")
    except KbsleepError:
        return None
    return Path(done.stdout.decode("utf-8", "surrogateescape").strip()) if done.returncode == 0 else None


def in_work_tree(path: Path) -> bool:
    return toplevel(path) is not None


def work_tree_top(path: Path) -> Path:
    """The top folder of the git work tree holding `path`; outside one, a `KbsleepError`."""
    return Path(_output(path, "rev-parse", "--show-toplevel").strip())


def hooks_folder(path: Path) -> Path:
    """Where git looks for the hooks of the repository holding `path` (`core.hooksPath` too)."""
    folder = Path(_output(path, "rev-parse", "--git-path", "hooks").strip())
    return folder if folder.is_absolute() else (path / folder).resolve()


def files(root: Path) -> list[str]:
    """The files under `root` git tracks or would (untracked, not ignored), relative to `root`."""
    done = _git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--deduplicate")
    if done.returncode != 0:
        raise failures.explain(["ls-files"], done.stderr.decode("utf-8", "replace"), root)
    return [name for name in os.fsdecode(done.stdout).split("\0") if name]


def ignored(root: Path, extensions: tuple[str, ...]) -> Started:
    """The untracked files under `root` that git ignores and whose extension is one of these
    (any case), listed in the background (`names`): git walks an ignored `venv/` of 15,000
    files in 30 ms and prints the few of these, where a walk in Python takes 170."""
    return Started(root, "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--", *(f":(icase)*.{ext}" for ext in extensions))


STATUS = ("status", "--porcelain=v2", "--branch", "-z", "--untracked-files=all", "--", ".")


def status(root: Path) -> bytes | None:
    """`git status --porcelain=v2 --branch -z` of the folder `root` (untracked files listed one by
    one); None outside git."""
    return Started.status(root).output()


class Started:
    """A git read running in the background (`output()` waits for it), so that git scans the
    work tree while Python does other work."""

    def __init__(self, where: Path, *args: str) -> None:
        try:
            self.process: subprocess.Popen[bytes] | None = subprocess.Popen(
                ["git", "-C", str(where), *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env={**os.environ, **failures.C_LOCALE}
            )
        except FileNotFoundError:
            self.process = None  # no git on PATH: reads as "not in git"

    @classmethod
    def status(cls, root: Path) -> Started:
        return cls(root, *STATUS)

    def names(self) -> list[str]:
        """What a `-z` listing printed, as names (none when git failed)."""
        out = self.output()
        return [name for name in os.fsdecode(out).split("\0") if name] if out else []

    def output(self) -> bytes | None:
        """What git printed; None when it failed or is not installed."""
        if self.process is None:
            return None
        out, _ = self.process.communicate()
        return out if self.process.returncode == 0 else None

    def close(self) -> None:
        """Let it end, its output unread. Never killed: `git status` may be writing the
        refreshed index, and a killed git leaves its `index.lock` behind."""
        if self.process is not None and self.process.returncode is None:
            self.process.communicate()


@dataclass(frozen=True)
class Changes:
    """Paths (relative to the folder asked about) added or modified, and those deleted or renamed away."""

    changed: frozenset[str]
    gone: frozenset[str]


def staged(root: Path) -> Changes:
    """What the index changes under `root` against HEAD (every file as added before the first commit)."""
    return _name_status(root, "diff", "--cached")


def changed_since(root: Path, ref: str) -> Changes:
    """What differs under `root` between `ref` and the work tree, untracked files included."""
    found = _name_status(root, "diff", ref)
    untracked = _output(root, "ls-files", "--others", "--exclude-standard", "-z")
    return Changes(found.changed | {p for p in untracked.split("\0") if p}, found.gone)


def _name_status(root: Path, *diff: str) -> Changes:
    fields = _output(root, *diff, "--relative", "--name-status", "-M", "-z", "--").split("\0")
    changed: set[str] = set()
    gone: set[str] = set()
    index = 0
    while index < len(fields) - 1:
        kind = fields[index]
        if kind.startswith(("R", "C")):
            old, new = fields[index + 1], fields[index + 2]
            if kind.startswith("R"):
                gone.add(old)
            changed.add(new)
            index += 3
            continue
        (gone if kind.startswith("D") else changed).add(fields[index + 1])
        index += 2
    return Changes(frozenset(changed), frozenset(gone))


def head(path: Path) -> str | None:
    """The commit HEAD names; None before the first commit, or outside git."""
    try:
        done = _git(path, "rev-parse", "-q", "--verify", "HEAD^{commit}")
    except KbsleepError:
        return None
    return done.stdout.decode().strip() if done.returncode == 0 else None


def blob(path: Path, commit: str, name: str) -> bytes | None:
    """The bytes of the file `name` (relative to the folder `path`) as `commit` holds it; None
    if it holds no such file."""
    done = _git(path, "cat-file", "blob", f"{commit}:./{name}")
    return done.stdout if done.returncode == 0 else None


def trailer_values(path: Path, grep: str, key: str) -> set[str]:
    """The values of the trailer `key` in the commits of HEAD's history whose message holds
    `grep`; none outside git or before the first commit."""
    try:
        done = _git(path, "log", "--fixed-strings", f"--grep={grep}", f"--format=%(trailers:key={key},valueonly)")
    except KbsleepError:
        return set()
    if done.returncode != 0:
        return set()
    return {line.strip() for line in done.stdout.decode("utf-8", "replace").splitlines() if line.strip()}
