"""The repository a wiki is in, through GitPython's `Repo`: where git keeps its files, which of
the wiki's files differ from HEAD, the states in which kbsleep refuses to write (before it plans
anything), and git's runner for the write transaction.

Every git command here goes through the `Repo`'s command wrapper (`Repo.git.execute`), and
GitPython's exceptions become `KbsleepError`s in our words (`failures`). The read path of lint
and the pre-commit hook does not come here (`reads` says why).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")  # no git on PATH: our error at the first call, not an ImportError
import git as gitpython  # noqa: E402  (GitPython; this package is `kbsleep.git`)
from git import exc  # noqa: E402

from kbsleep.errors import KbsleepError  # noqa: E402
from kbsleep.git import failures  # noqa: E402

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


def open_handle(where: Path) -> gitpython.Repo:
    """GitPython's `Repo` for the work tree holding `where`."""
    try:
        handle = gitpython.Repo(where, search_parent_directories=True)
    except (exc.InvalidGitRepositoryError, exc.NoSuchPathError) as error:
        raise failures.from_gitpython(error, where) from None
    handle.git.update_environment(**ENV)
    return handle


def execute(handle: gitpython.Repo, cwd: Path, args: Sequence[str], stdin: bytes | None = None, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run `git <args>` in `cwd` through `handle`'s command wrapper; the caller reads the return code.

    Started as a process and waited for here: an interrupt (Ctrl-C, or SIGTERM as one) kills
    git and waits for it, so no git command of a transaction outlives its rollback.
    """
    # Absolute: the wrapper starts git in the work tree's top, not in our current folder.
    command = [gitpython.Git.GIT_PYTHON_GIT_EXECUTABLE, "-C", str(Path(cwd).absolute()), *args]
    with tempfile.TemporaryFile() if stdin is not None else nullcontext() as source:
        if source is not None:
            source.write(stdin)
            source.seek(0)
        try:
            process = handle.git.execute(command, istream=source, as_process=True, env=dict(env or {}))
        except exc.GitCommandNotFound:
            raise failures.git_missing() from None
        child = process.proc
        try:
            out, err = child.communicate()
        except BaseException:
            child.kill()
            child.wait()
            raise
    return subprocess.CompletedProcess(list(args), child.returncode, out, err)


def explain(done: subprocess.CompletedProcess[bytes], where: Path) -> KbsleepError:
    """A failed git command in our words."""
    return failures.explain([str(arg) for arg in done.args], done.stderr.decode("utf-8", "replace"), where)


def last_line(done: subprocess.CompletedProcess[bytes]) -> str:
    return failures.last_line(done.stderr.decode("utf-8", "replace")) if done.stderr.strip() else f"exit status {done.returncode}"


@dataclass(frozen=True)
class Repo:
    """A wiki folder's repository: the work tree's top, the wiki's place in it, git's files."""

    root: Path  # the wiki folder
    top: Path  # the work tree's top folder
    prefix: str  # the wiki folder's path from the top: "" or "wiki/"
    files: Mapping[str, Path]  # git's per-work-tree files, by name: "index", "MERGE_HEAD", ...
    handle: gitpython.Repo = field(compare=False, repr=False)

    @classmethod
    def at(cls, root: Path) -> Repo:
        handle = open_handle(root)
        names = ("index", *(name for name, _, _ in IN_PROGRESS), "rebase-apply/applying")
        asked = [arg for name in names for arg in ("--git-path", name)]
        # git's own answer (not GitPython's reading of .git/), so that a linked work tree, a
        # submodule and GIT_INDEX_FILE all name the files git itself uses.
        done = execute(handle, root, ["rev-parse", "--show-toplevel", "--show-prefix", *asked])
        if done.returncode != 0:  # a bare repository, the inside of .git/, another user's folder
            raise explain(done, root)
        lines = done.stdout.decode("utf-8", "surrogateescape").split("\n")
        return cls(root.absolute(), Path(lines[0]), lines[1], {name: root.absolute() / line for name, line in zip(names, lines[2:])}, handle)

    def attempt(self, *args: str, here: bool = False, stdin: bytes | None = None, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
        """Run git in the top folder (`here`: in the wiki folder); the caller reads the return code."""
        return execute(self.handle, self.root if here else self.top, args, stdin=stdin, env=env)

    def run(self, *args: str, here: bool = False, stdin: bytes | None = None, env: Mapping[str, str] | None = None) -> str:
        """git's output; a failure is a `KbsleepError` in our words."""
        done = self.attempt(*args, here=here, stdin=stdin, env=env)
        if done.returncode != 0:
            raise explain(done, self.root)
        return done.stdout.decode("utf-8", "surrogateescape")

    @property
    def index(self) -> Path:
        return self.files["index"]

    def top_path(self, path: str) -> str:
        """A wiki path as git names it from the top of the work tree."""
        return self.prefix + path

    def head(self) -> str | None:
        """The commit HEAD names; None in a repository with no commits."""
        # git's answer, not GitPython's reading of the ref files (which knows no reftable).
        done = self.attempt("rev-parse", "-q", "--verify", "HEAD^{commit}")
        return done.stdout.decode().strip() if done.returncode == 0 else None

    def contains(self, commit: str) -> bool:
        """Whether `commit` is HEAD or an ancestor of it (a commit git no longer has is not)."""
        try:
            return self.handle.is_ancestor(commit, "HEAD")
        except exc.GitCommandNotFound:
            raise failures.git_missing() from None
        except exc.GitCommandError:  # not a commit (any more): merge-base says so with status 128
            return False

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
        out = self.run("status", "--porcelain", "-z", "--no-renames", "--untracked-files=all", "--ignore-submodules", "--", *spec, here=True)
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
        if self.attempt("symbolic-ref", "-q", "HEAD").returncode != 0:
            short = self.run("rev-parse", "--short", "HEAD").strip()
            raise KbsleepError(f"HEAD is detached (at {short}); kbsleep commits only to a branch", hint="check out a branch first (`git switch <branch>`), or make one here (`git switch -c <name>`)")
        if self.head() is None:
            raise failures.no_commits()
        unmerged = sorted({entry.partition("\t")[2] for entry in self.run("ls-files", "-u", "-z").split("\0") if "\t" in entry})
        if unmerged:
            named = ", ".join(unmerged[:5]) + (f" and {len(unmerged) - 5} more" if len(unmerged) > 5 else "")
            raise KbsleepError(f"the index has unresolved conflicts (in {named}); kbsleep writes nothing until they are resolved", hint="resolve them and `git add` the files, or drop them with `git reset`")

    def quit_revert(self, scratch_index: Path) -> None:
        """Forget the revert git thinks is in progress (REVERT_HEAD, the sequencer) after kbsleep
        reverted into `scratch_index`: kbsleep commits that revert itself, or not at all."""
        self.attempt("revert", "--quit", env={"GIT_INDEX_FILE": str(scratch_index.absolute())})


def create(root: Path, message: str, *, branch: str, identity: tuple[str, str]) -> str:
    """Make `root` a new repository on `branch` whose first commit (by `identity`: name, email,
    kept in its config) holds every file in it; the commit. A hook that refuses the commit
    (from a template or the user's `core.hooksPath`) is named."""
    handle = None
    try:
        handle = gitpython.Repo.init(root, initial_branch=branch)
        with handle.config_writer(config_level="repository") as config:
            config.set_value("user", "name", identity[0])
            config.set_value("user", "email", identity[1])
        handle.git.add("-A")
        handle.git.commit("-q", "-m", message)
        return handle.head.commit.hexsha
    except exc.GitError as error:
        raise failures.from_gitpython(error, root, hooks=_commit_hooks(handle) if handle is not None else ()) from None
    finally:
        if handle is not None:
            handle.close()


def _commit_hooks(handle: gitpython.Repo) -> list[str]:
    """The hooks `git commit` would run in `handle`'s repository."""
    try:
        folder = Path(handle.working_dir, handle.git.rev_parse("--git-path", "hooks"))
    except exc.GitError:
        return []
    return [name for name in ("pre-commit", "prepare-commit-msg", "commit-msg") if os.access(folder / name, os.X_OK) and (folder / name).is_file()]
