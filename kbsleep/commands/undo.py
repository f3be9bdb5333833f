"""`kbsleep undo`: revert the last kbsleep run (all its commits) in one new commit; `--dry-run`
says what that would revert and writes nothing."""

from __future__ import annotations

from pathlib import Path

from kbsleep.commands.common import Globals, folder
from kbsleep.errors import Exit


def run(g: Globals, dry_run: bool = False) -> int:
    from kbsleep.git import transaction

    root = folder(g)
    if dry_run:
        return preview(g, root)
    from kbsleep.report.summaries import undo_summary

    undo_summary(transaction.undo(root), g.quiet)
    return Exit.OK


def preview(g: Globals, root: Path) -> int:
    """The run `kbsleep undo` would revert now: its commits and the files they touch (read only:
    no lock, no recovery, no write)."""
    from kbsleep.git import transaction
    from kbsleep.git.repo import Repo
    from kbsleep.report import warning
    from kbsleep.report.summaries import undo_preview, undo_summary

    repo = Repo.at(root)  # outside git: our message, not git's
    found = transaction.runs(root)
    if not found:
        undo_summary(None, g.quiet)
        return Exit.OK
    last = found[0]
    log = repo.run("log", "--no-walk=unsorted", "--format=%H%x00%s", *last.commits)
    commits = [tuple(line.split("\0", 1)) for line in log.splitlines() if "\0" in line]
    # --no-renames: a page a run moved is touched at its old path too, as `undo` sees it.
    changes: dict[str, list[str]] = {}
    for sha in reversed(last.commits):  # oldest first
        # -z: status and path as fields of their own, a name outside ASCII unquoted
        fields = repo.run("show", "-z", "--name-status", "--no-renames", "--format=", "--relative", sha, here=True).lstrip("\0").split("\0")
        for status, path in zip(fields[::2], fields[1::2]):
            if path:
                changes.setdefault(path, []).append(status[:1])
    files = [(_verb(statuses), path) for path, statuses in sorted(changes.items())]
    undo_preview(last, commits, files)  # type: ignore[arg-type]
    busy = sorted(repo.changed(sorted(changes)))
    if busy:
        warning("uncommitted changes in files the undo would touch: " + ", ".join(busy) + "; commit or stash them first")
    return Exit.OK


def _verb(statuses: list[str]) -> str:
    """What undoing a run does to a file, from what the run's commits did to it (oldest first)."""
    first, last = statuses[0], statuses[-1]
    if first == "A" and last != "D":
        return "remove"  # the run created it
    if last == "D" and first != "A":
        return "restore"  # the run deleted it
    return "revert"
