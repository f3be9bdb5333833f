"""The one place that writes pages and commits: the transaction, crash recovery and undo.

A pass plans its writes as data (`Edit`s in a `Plan`, `edits`), each naming the bytes it was
planned from (`base`, a git blob id). `apply` then (git through GitPython's `Repo`, `repo`):
1. checks every path stays inside the wiki, the repository is in a state to commit to
   (`Repo.check_writable`), no file it touches has uncommitted changes, and `verify`s every
   edit of a file that exists against what the edit says it keeps (`Keep`);
2. journals the original bytes and the new ones under `.kbsleep/journal/`, writing nothing yet;
3. takes git's own index lock (`git.index.IndexLock`) and, under it, compares each file with
   its `base` (compare-and-swap): a file changed since it was planned (a user's commit or edit
   while the pass ran) is left out, or the whole plan is, for a plan whose edits belong together;
4. writes the rest, commits exactly those paths with `Kbsleep-*` trailers in an index of its own
   (the user's staged work stays staged and out of it), records the commit in the journal,
   moves HEAD only if it is still the commit it was built on, and releases the lock;
5. on any failure or interrupt (Ctrl-C, SIGTERM, a git error) restores the originals.
A process killed with SIGKILL leaves the journal behind; the next writing command runs
`recover` before it loads a page: the journal's own commit, if HEAD holds it, is kept, and
otherwise every file it wrote (and nobody changed since) is restored, whatever else was
committed in between.

`undo` reverts every commit of the last kbsleep run in one commit (safe after a push), made the
same way: it commits exactly its revert. A second undo goes one run further back. It refuses,
naming the files, when the revert would conflict with edits made since.
"""

from __future__ import annotations

import shutil
import signal
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterator, Mapping, Sequence

from kbsleep.errors import KbsleepError
from kbsleep.git import journal
from kbsleep.git.edits import CHANGED, Applied, Committed, Edit, Keep, Plan, Refused, changes, check_path, diff, encode, refusal, verify
from kbsleep.git.index import IndexLock, commit
from kbsleep.git.journal import ABSENT, blob_of
from kbsleep.git.repo import Repo, last_line
from kbsleep.git.trailers import TRAILER_PASS, TRAILER_RUN, TRAILER_UNDO, message, parse
from kbsleep.lock import hold

# The transaction's API, as the passes and the commands use it (the plan as data is `edits`').
__all__ = [
    "ABSENT", "CHANGED", "TRAILER_PASS", "TRAILER_RUN", "TRAILER_UNDO",
    "Applied", "Committed", "Edit", "Keep", "Plan", "Refused", "Run",
    "apply", "blob_of", "check_path", "diff", "dirty", "new_run_id", "ready", "recover", "runs",
    "sigterm_as_interrupt", "undo", "verify", "writable",
    "Stat", "commit_message", "journaled", "restated", "stats",  # shared with a pass's chain of commits (chain.py)
]  # fmt: skip

def new_run_id() -> str:
    return uuid.uuid4().hex[:12]


def dirty(root: Path, paths: Sequence[str]) -> list[str]:
    """Those of `paths` with uncommitted (staged or unstaged) changes, or untracked."""
    if not paths:
        return []
    return sorted(Repo.at(root).changed(paths))


def ready(root: Path, *, writes: bool) -> list[str]:
    """What a command that writes does before it loads a page: finish or undo what a killed
    kbsleep left (`recover`; the paths restored), then, unless it only shows what it would
    write, refuse a repository it must not commit to (`Repo.check_writable`)."""
    restored = recover(root)
    if writes:
        writable(root)
    return restored


def writable(root: Path) -> None:
    """Refuse, with the way out, a repository kbsleep must not commit to (`Repo.check_writable`)."""
    Repo.at(root).check_writable()


def apply(root: Path, plan: Plan, run_id: str) -> Applied:
    """Write and commit `plan` as one commit; restore everything on any failure. An edit whose
    file changed since it was planned is left out (the whole plan, unless it is `separable`)."""
    with hold(root, plan.pass_name):
        return _apply(root, plan, run_id)


def _apply(root: Path, plan: Plan, run_id: str) -> Applied:
    recover(root)
    repo = Repo.at(root)
    repo.check_writable()
    for edit in plan.edits:
        check_path(root, edit.path)
    edits: list[Edit] = []
    left_out: list[Refused] = []
    now: dict[str, bytes | None] = {}
    for edit in plan.edits:
        current = now[edit.path] = journal.read(root / edit.path)
        edit = edit if edit.base is not None else replace(edit, base=blob_of(current))
        if blob_of(current) != edit.base:
            left_out.append(Refused(edit.path, CHANGED))
        elif changes(edit, current):
            edits.append(edit)
    busy = dirty(root, [e.path for e in edits if now[e.path] is not None])
    if busy:
        raise KbsleepError("uncommitted changes in files this pass would touch: " + ", ".join(busy), hint="commit or stash them first")
    read = lambda path: now[path] if path in now else journal.read(root / path)  # noqa: E731
    refused = [Refused(e.path, reason) for e in edits if (reason := refusal(e, read)) is not None]
    if refused:  # the pass verified its plan: it did not check this one
        raise KbsleepError(f"refusing to write {refused[0].path}: {refused[0].reason}", hint="nothing was written; run the pass again")
    if left_out and not plan.separable:
        return Applied(None, tuple(left_out))
    return _transact(root, repo, plan, run_id, edits, left_out) if edits else Applied(None, tuple(left_out))


def _transact(root: Path, repo: Repo, plan: Plan, run_id: str, edits: list[Edit], left_out: list[Refused]) -> Applied:
    """Journal, then under git's index lock: compare, write, commit. Restores on any failure."""
    placed: dict[str, Stat] = {}
    sha: str | None = None
    with journaled(root, repo, [(e.path, str(e.base), None if e.text is None else encode(e.text)) for e in edits]) as folder:
        checked = stats(root, [e.path for e in edits])  # before the bytes are read: a later write shows
        late = _changed_now(root, repo, edits)
        left_out += late
        if late and not plan.separable:
            edits = []
        gone = {r.path for r in late}
        journal.mark(folder, phase="writing")
        for index, edit in enumerate(edits):
            if edit.path in gone:
                continue
            if stats(root, [edit.path])[edit.path] != checked[edit.path]:  # an editor saved it just now
                if not plan.separable:
                    raise KbsleepError(f"{edit.path} {CHANGED}; nothing was written", hint="run kbsleep again")
                left_out.append(Refused(edit.path, CHANGED))
                continue
            journal.place(root, folder, index, edit.path, edit.text is None)
            placed.update(stats(root, [edit.path]))
        if placed:
            text = commit_message(plan, run_id, [e for e in edits if e.path in placed])
            sha = _journaled_commit(repo, folder, list(placed), text, since=lambda: _saved(root, plan, placed, left_out))
    written = tuple(path for path in placed if path not in {r.path for r in left_out})
    return Applied(Committed(sha, written) if sha else None, tuple(left_out))


@contextmanager
def journaled(root: Path, repo: Repo, files: Sequence[tuple[str, str, bytes | None]], *, revert: bool = False) -> Iterator[Path]:
    """One write of `files` ((path, blob before, bytes after)) under a journal and git's index
    lock, SIGTERM taken as Ctrl-C: yields the journal's folder. Any failure inside restores every
    file the write placed; the lock is always let go; the journal goes once the write is whole.
    The one frame of apply, undo and a pass's chain of commits."""
    token = uuid.uuid4().hex
    folder = journal.begin(root, token, list(files), revert=revert)
    lock = IndexLock(repo, token)
    try:
        with sigterm_as_interrupt():
            lock.acquire()
            yield folder
    except BaseException:
        journal.rollback(root, folder)
        raise
    finally:
        lock.release()
    shutil.rmtree(folder, ignore_errors=True)


def _journaled_commit(repo: Repo, folder: Path, paths: list[str], text: str, *, empty: bool = False, since: Callable[[], list[str]] | None = None) -> str | None:
    """Commit `paths` with message `text`, the journal in `folder` marking the commit as it
    lands (so recovery knows whether HEAD holds it): the one way apply and undo commit."""
    message = folder / "message.txt"
    message.write_text(text, encoding="utf-8")
    return commit(repo, paths, message, folder, lambda made: journal.mark(folder, phase="committing", commit=made), empty=empty, since=since)


def recover(root: Path) -> list[str]:
    """Finish or undo what a kbsleep killed mid-write left: if the journal's own commit is in
    HEAD's history the pass is complete and is kept; otherwise every file it wrote, and nobody
    changed since, is restored (whatever else was committed meanwhile). The paths restored."""
    folder = journal.folder_of(root)
    if not folder.exists():
        return []
    with hold(root, "recover"):
        return journal.rollback(root, folder)


# -- undo ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    run_id: str
    passes: tuple[str, ...]
    commits: tuple[str, ...]  # newest first


def runs(root: Path, limit: int = 500) -> list[Run]:
    """kbsleep runs on the current branch not yet undone, newest first."""
    log = Repo.at(root).run("log", f"-{limit}", "--format=%H%x00%B%x00%x01")
    undone: set[str] = set()
    order: list[str] = []
    commits: dict[str, list[str]] = {}
    passes: dict[str, list[str]] = {}
    for record in log.split("\x01"):
        parts = record.strip("\n").split("\0")
        if len(parts) < 2:
            continue
        sha, body = parts[0].strip(), parts[1]
        trailers = parse(body)
        if TRAILER_UNDO in trailers:
            undone.add(trailers[TRAILER_UNDO])
            continue
        run_id = trailers.get(TRAILER_RUN)
        if run_id is None or run_id in undone:
            continue
        if run_id not in commits:
            order.append(run_id)
            commits[run_id], passes[run_id] = [], []
        commits[run_id].append(sha)
        passes[run_id].append(trailers.get(TRAILER_PASS, "?"))
    return [Run(r, tuple(dict.fromkeys(passes[r])), tuple(commits[r])) for r in order]


def undo(root: Path) -> tuple[Run, str] | None:
    """Revert the newest not-yet-undone run in one commit; None when there is nothing to undo."""
    with hold(root, "undo"):
        return _undo(root)


def _undo(root: Path) -> tuple[Run, str] | None:
    recover(root)
    repo = Repo.at(root)
    repo.check_writable()
    found = runs(root)
    if not found:
        return None
    run = found[0]
    # --no-renames: a page a run moved is touched at its old path too.
    shown = (repo.run("show", "-z", "--name-only", "--no-renames", "--format=", "--relative", sha, here=True) for sha in run.commits)
    touched = sorted({p for out in shown for p in out.split("\0") if p})  # (-z: a name outside ASCII comes unquoted)
    busy = sorted(repo.changed(touched))
    if busy:
        raise KbsleepError("uncommitted changes in files the undo would touch: " + ", ".join(busy), hint="commit or stash them first")
    files = [(p, blob_of(journal.read(root / p)), None) for p in touched]
    with journaled(root, repo, files, revert=True) as folder:
        if _changed_now(root, repo, [Edit(p, None, base=base) for p, base, _ in files]):
            raise KbsleepError("files the undo would touch changed while it ran; nothing was undone", hint="run `kbsleep undo` again")
        journal.mark(folder, phase="writing")
        _revert(repo, run.commits, folder)
        placed = stats(root, touched)
        subject = f"kbsleep undo: revert run {run.run_id} ({', '.join(run.passes)})"
        body = "\n".join(f"Reverts {sha}" for sha in run.commits)
        text = message(subject, [body], {TRAILER_UNDO: run.run_id})
        sha = _journaled_commit(repo, folder, touched, text, empty=True, since=lambda: restated(root, placed))
    return run, sha or ""


def _revert(repo: Repo, commits: Sequence[str], folder: Path) -> None:
    """Revert `commits` (newest first) into the work tree, in an index of kbsleep's own (the
    user's staged work is never part of it); raises, naming the files, on a conflict."""
    env = {"GIT_INDEX_FILE": str((folder / "index.revert").absolute())}
    repo.run("read-tree", "HEAD", env=env)
    done = repo.attempt("revert", "--no-commit", *commits, env=env)
    conflicts: list[str] = []
    if done.returncode != 0:
        listing = repo.run("ls-files", "-u", "-z", env=env)
        conflicts = sorted({e.partition("\t")[2].removeprefix(repo.prefix) for e in listing.split("\0") if "\t" in e})
    repo.quit_revert(folder / "index.revert")
    if done.returncode != 0:
        named = ", ".join(conflicts) or f"(git said: {last_line(done)})"
        raise KbsleepError(f"undo would conflict with edits made since the run, in: {named}", hint="resolve by hand with `git revert`")


# -- internals ----------------------------------------------------------------------------------


def _changed_now(root: Path, repo: Repo, edits: Sequence[Edit]) -> list[Refused]:
    """The edits whose file no longer holds its base, or has uncommitted changes: checked under
    git's index lock, so nothing can be committed between this check and kbsleep's commit."""
    busy = repo.changed([e.path for e in edits])
    return [Refused(e.path, CHANGED) for e in edits if e.path in busy or blob_of(journal.read(root / e.path)) != e.base]


Stat = tuple[int, int, int, int] | None


def stats(root: Path, paths: Sequence[str]) -> dict[str, Stat]:
    """Each file's inode, size, mtime and ctime (in ns; None for no file): any write changes one."""
    found: dict[str, Stat] = {}
    for path in paths:
        try:
            st = (root / path).stat()
        except FileNotFoundError:
            found[path] = None
        else:
            found[path] = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    return found


def restated(root: Path, before: Mapping[str, Stat]) -> list[str]:
    """The files written since `before` was taken."""
    now = stats(root, list(before))
    return [path for path in before if now[path] != before[path]]


def _saved(root: Path, plan: Plan, placed: Mapping[str, Stat], left_out: list[Refused]) -> list[str]:
    """The pages written by something else (an editor saving) since kbsleep wrote them: left out
    of the commit, theirs as they are; for a plan whose edits belong together, nothing is."""
    saved = restated(root, placed)
    if saved and not plan.separable:
        raise KbsleepError(f"{saved[0]} was written by something else while kbsleep committed it; nothing was written", hint="run kbsleep again")
    left_out.extend(Refused(path, CHANGED) for path in saved)
    return saved


def commit_message(plan: Plan, run_id: str, edits: Sequence[Edit]) -> str:
    reasons = [f"- {e.path}: {e.reason}" for e in edits if e.reason]
    return message(f"kbsleep {plan.pass_name}: {plan.summary}", reasons, {TRAILER_PASS: plan.pass_name, TRAILER_RUN: run_id, **plan.trailers})


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C while writing, so `kill` also rolls back."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: nothing to install
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
