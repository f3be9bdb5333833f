"""git's failures in our words: each a `KbsleepError` with what to run, never git's raw `fatal:`.

Both sides of the git layer end here: the read path (`reads`) with the stderr of a plain
subprocess, the write transaction (`repo`) with GitPython's exceptions. git's messages are
matched in English: GitPython runs git with `LC_ALL=C`, and so do our own subprocesses.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

from kbsleep.errors import KbsleepError

# Our subprocesses ask git for English messages, which is what `explain` matches.
C_LOCALE = {"LANGUAGE": "C", "LC_ALL": "C"}
INIT_HINT = "kbsleep commits what it writes: run `git init` there and commit the wiki once"
FIRST_COMMIT = "commit the wiki once first (`git add -A && git commit -m wiki`), then run kbsleep"
LOCK_HINT = "wait for it to finish and run kbsleep again; if no git command is running, a crashed one left the file: remove it"
_LOCKED = re.compile(r"Unable to create '(?P<path>[^']+\.lock)': File exists")
_OWNER = re.compile(r"detected dubious ownership in repository at '(?P<path>[^']+)'")


def not_a_repository(where: Path) -> KbsleepError:
    return KbsleepError(f"{where.absolute()} is not in a git work tree", hint=INIT_HINT)


def git_missing() -> KbsleepError:
    return KbsleepError("git is not installed (no `git` on PATH); kbsleep needs it for this", hint="install git (https://git-scm.com/downloads), check that `git --version` runs, then run kbsleep again")


def no_commits() -> KbsleepError:
    return KbsleepError("the repository has no commits yet", hint=FIRST_COMMIT)


def locked(lock: str) -> KbsleepError:
    return KbsleepError(f"another git process is using this repository ({lock} exists); nothing was written", hint=LOCK_HINT)


def hook_refused(hook: str, said: str) -> KbsleepError:
    """A git hook (the user's, or one from their git config) that made a commit fail."""
    return KbsleepError(
        f"the git hook `{hook}` refused the commit" + (f": {said}" if said else ""),
        hint=f"fix the hook, or move it aside while kbsleep commits (`git rev-parse --git-path hooks/{hook}` names it)",
    )


def explain(args: Sequence[str], stderr: str, where: Path, hooks: Sequence[str] = ()) -> KbsleepError:
    """The failure of `git <args>` run in `where`, from what it printed. `hooks`: the commit
    hooks the repository has (a hook that fails says so only in its own words)."""
    said = last_line(stderr)
    lowered = stderr.lower()
    if "not a git repository" in lowered or "must be run in a work tree" in lowered:
        return not_a_repository(where)
    if found := _OWNER.search(stderr):
        top = found["path"]
        return KbsleepError(f"git refuses to work in {top}: the folder belongs to another user", hint=f"if you trust it, run `git config --global --add safe.directory {top}`")
    if found := _LOCKED.search(stderr):
        return locked(found["path"])
    bad = _bad_revision(stderr)
    if "does not have any commits yet" in lowered or bad == "HEAD":  # HEAD is bad only before the first commit
        return no_commits()
    if bad:
        return KbsleepError(f"git does not know the revision `{bad}`", hint="name a commit, branch or tag (`git log --oneline` lists the commits)")
    if args and args[0] == "commit" and hooks:  # a hook that fails says so only in its own words
        return hook_refused(hooks[0], said)
    return KbsleepError(f"git {args[0] if args else ''} failed in {where}: {said}".replace("git  ", "git "), hint=f"run `git status` in {where} to see what git makes of it")


def last_line(stderr: str) -> str:
    """git's last line of complaint, without its `fatal:`/`error:` label."""
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    line = lines[-1] if lines else "no reason given"
    return re.sub(r"^(?:fatal|error|warning|hint): ", "", line)


def from_gitpython(error: Exception, where: Path, hooks: Sequence[str] = ()) -> KbsleepError:
    """One of GitPython's exceptions (`git.exc`), in our words."""
    from git import exc  # only ever called once GitPython is imported

    if isinstance(error, (exc.InvalidGitRepositoryError, exc.NoSuchPathError)):
        return not_a_repository(where)
    if isinstance(error, exc.GitCommandNotFound):
        return git_missing()
    if isinstance(error, exc.HookExecutionError):
        return hook_refused(str(error.command[0] if error.command else "hook"), last_line(_text(error.stderr)))
    if isinstance(error, exc.GitCommandError):
        command = [str(part) for part in (error.command if isinstance(error.command, (list, tuple)) else str(error.command).split())]
        return explain(_subcommand(command), _text(error.stderr), where, hooks)
    raise error


def _subcommand(command: Sequence[str]) -> list[str]:
    """`git -C x commit -m y` -> ["commit", "-m", "y"]."""
    parts = list(command[1:])
    while parts and parts[0] in ("-C", "-c"):
        parts = parts[2:]
    return parts


def _bad_revision(stderr: str) -> str | None:
    found = re.search(r"bad revision '([^']+)'|ambiguous argument '([^']+)': unknown revision", stderr)
    return (found[1] or found[2]) if found else None


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    text = str(value or "")
    return text.removeprefix("\n  stderr: '").removesuffix("'")
