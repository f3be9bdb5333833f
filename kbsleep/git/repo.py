"""The repository a wiki is in: where git keeps its files, which of the wiki's files differ from
HEAD, and the states in which kbsleep refuses to write (before it plans anything)."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from kbsleep.errors import KbsleepError

# Our status calls take no optional lock (they run while kbsleep holds the index lock, and must
# not make a user's `git commit` fail); page names are paths, never glob patterns.
ENV = {"GIT_OPTIONAL_LOCKS": "0", "GIT_LITERAL_PATHSPECS": "1"}
MANY = 64  # past this many paths, one status of the whole wiki beats a pathspec per path
WAIT = 5.0  # seconds to wait for another git command to let go of the index lock

# git's files that say an operation is in progress: (file, what, how to end it), checked in order.
IN_PROGRESS = (
    ("rebase-merge", "a rebase", "finish it (`git rebase --continue`) or abort it (`git rebase --abort`)"),
    ("rebase-apply", "a rebase", "finish it (`git rebase --continue`) or abort it (`git rebase --abort`)"),
    ("MERGE_HEAD", "a merge", "commit it, or abort it (`git merge --abort`)"),
    ("CHERRY_PICK_HEAD", "a cherry-pick", "finish it (`git cherry-pick --continue`) or abort it (`git cherry-pick --abort`)"),
    ("REVERT_HEAD", "a revert", "finish it (`git revert --continue`) or abort it (`git revert --abort`)"),
    ("BISECT_LOG", "a bisect", "end it (`git bisect reset`)"),
)


def attempt(cwd: Path, *args: str, stdin: bytes | None = None, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run git in `cwd`; the caller reads the return code."""
    return subprocess.run(["git", "-C", str(cwd), *args], input=stdin, capture_output=True, check=False, env={**os.environ, **ENV, **(env or {})})


def run(cwd: Path, *args: str, stdin: bytes | None = None, env: Mapping[str, str] | None = None) -> str:
    """git's output; a failure is a `KbsleepError` with git's last line."""
    done = attempt(cwd, *args, stdin=stdin, env=env)
    if done.returncode != 0:
        raise KbsleepError(f"git {args[0]} failed: {last_line(done)}")
    return done.stdout.decode("utf-8", "surrogateescape")


def last_line(done: subprocess.CompletedProcess[bytes]) -> str:
    lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else f"exit status {done.returncode}"


@dataclass(frozen=True)
class Repo:
    """A wiki folder's repository: the work tree's top, the wiki's place in it, git's files."""

    root: Path  # the wiki folder
    top: Path  # the work tree's top folder
    prefix: str  # the wiki folder's path from the top: "" or "wiki/"
    files: Mapping[str, Path]  # git's per-work-tree files, by name: "index", "MERGE_HEAD", ...

    @classmethod
    def at(cls, root: Path) -> Repo:
        names = ("index", *(name for name, _, _ in IN_PROGRESS), "rebase-apply/applying")
        asked = [arg for name in names for arg in ("--git-path", name)]
        done = attempt(root, "rev-parse", "--show-toplevel", "--show-prefix", *asked)
        if done.returncode != 0:
            raise KbsleepError(f"{root} is not in a git work tree", hint="kbsleep commits what it writes: run `git init` there and commit the wiki once")
        lines = done.stdout.decode("utf-8", "surrogateescape").split("\n")
        return cls(root.absolute(), Path(lines[0]), lines[1], {name: root.absolute() / line for name, line in zip(names, lines[2:])})

    @property
    def index(self) -> Path:
        return self.files["index"]

    def top_path(self, path: str) -> str:
        """A wiki path as git names it from the top of the work tree."""
        return self.prefix + path

    def head(self) -> str | None:
        """The commit HEAD names; None in a repository with no commits."""
        done = attempt(self.top, "rev-parse", "-q", "--verify", "HEAD^{commit}")
        return done.stdout.decode().strip() if done.returncode == 0 else None

    def contains(self, commit: str) -> bool:
        """Whether `commit` is HEAD or an ancestor of it."""
        return attempt(self.top, "merge-base", "--is-ancestor", commit, "HEAD").returncode == 0

    def changed(self, paths: Sequence[str]) -> set[str]:
        """Those of `paths` (wiki paths) whose index or work tree differs from HEAD, or untracked.

        A git command that holds the index lock (a user's `git commit`) may have moved HEAD and
        not yet written the index: what differs then is asked again once it is done.
        """
        found = self._changed(paths)
        if found and self._busy():
            deadline = time.monotonic() + WAIT
            while self._busy() and time.monotonic() < deadline:
                time.sleep(0.02)
            found = self._changed(paths)
        return found

    def _changed(self, paths: Sequence[str]) -> set[str]:
        if not paths:
            return set()
        spec = list(paths) if len(paths) <= MANY else ["."]
        out = run(self.root, "status", "--porcelain", "-z", "--no-renames", "--untracked-files=all", "--ignore-submodules", "--", *spec)
        found = {entry[3:] for entry in out.split("\0") if len(entry) > 3}
        wanted = set(paths)
        return {name[len(self.prefix) :] for name in found if name.startswith(self.prefix)} & wanted

    def _busy(self) -> bool:
        """Whether another git command holds the index lock (kbsleep's own marker is not one)."""
        try:
            return not Path(f"{self.index}.lock").read_bytes().startswith(b"kbsleep ")
        except OSError:
            return False

    def check_writable(self) -> None:
        """Refuse, with the way out, a state in which kbsleep must not commit: an operation in
        progress (its commit would land in the middle of it), a detached HEAD (no branch would
        keep the commit), no commit yet, or conflicts left in the index."""
        for name, what, way_out in IN_PROGRESS:
            if self.files[name].exists():
                if name == "rebase-apply" and self.files["rebase-apply/applying"].exists():
                    what, way_out = "a `git am`", "finish it (`git am --continue`) or abort it (`git am --abort`)"
                raise KbsleepError(f"{what} is in progress; kbsleep writes nothing until it is finished", hint=f"{way_out}, then run kbsleep again")
        if attempt(self.top, "symbolic-ref", "-q", "HEAD").returncode != 0:
            short = run(self.top, "rev-parse", "--short", "HEAD").strip()
            raise KbsleepError(f"HEAD is detached (at {short}); kbsleep commits only to a branch", hint="check out a branch first (`git switch <branch>`), or make one here (`git switch -c <name>`)")
        if self.head() is None:
            raise KbsleepError("the repository has no commits yet", hint="commit the wiki once first (`git add -A && git commit -m wiki`), then run kbsleep")
        unmerged = sorted({entry.partition("\t")[2] for entry in run(self.top, "ls-files", "-u", "-z").split("\0") if "\t" in entry})
        if unmerged:
            named = ", ".join(unmerged[:5]) + (f" and {len(unmerged) - 5} more" if len(unmerged) > 5 else "")
            raise KbsleepError(f"the index has unresolved conflicts (in {named}); kbsleep writes nothing until they are resolved", hint="resolve them and `git add` the files, or drop them with `git reset`")

    def quit_revert(self, scratch_index: Path) -> None:
        """Forget the revert git thinks is in progress (REVERT_HEAD, the sequencer) after kbsleep
        reverted into `scratch_index`: kbsleep commits that revert itself, or not at all."""
        attempt(self.top, "revert", "--quit", env={"GIT_INDEX_FILE": str(scratch_index.absolute())})
