"""The one place that writes pages and commits: the transaction, crash recovery and undo.

A pass plans its writes as data (`Edit`s), each naming the bytes it was planned from (`base`,
a git blob id). `apply` then:
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

import difflib
import shutil
import signal
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator, Mapping, Protocol, Sequence

from kbsleep.atomic import write_atomic as write_atomic  # the passes find it here
from kbsleep.errors import KbsleepError
from kbsleep.git import journal
from kbsleep.git.index import IndexLock, commit
from kbsleep.git.journal import ABSENT as ABSENT
from kbsleep.git.journal import blob_of as blob_of
from kbsleep.git.repo import Repo, attempt, last_line
from kbsleep.git.repo import run as git
from kbsleep.lock import hold

TRAILER_PASS = "Kbsleep-Pass"
TRAILER_RUN = "Kbsleep-Run"
TRAILER_UNDO = "Kbsleep-Undo"
CHANGED = "changed while kbsleep ran (a commit or an edit since it was read)"


class Keep(Protocol):
    """What an edit must leave of the file it rewrites (e.g. `fences.OutsideFence`)."""

    def check(self, old: bytes, new: bytes) -> str | None:
        """None when `new` keeps what it must of `old`; else why not, for the report."""
        ...


@dataclass(frozen=True)
class Edit:
    """One planned write: new text for a page, or its removal (`text=None`).

    `text` is written as UTF-8, so an edit of a page keeps its bytes only if the pass read it
    exactly (`wiki.content.exact_text`: a byte order mark as U+FEFF, line endings as they are).
    `keep` says what of the file on disk the edit must not change; `verify` checks it. An
    edit without one replaces the whole file (a new page). `origin` names the file `keep` is
    checked against when it is not `path` itself: a page moved elsewhere keeps its bytes.
    `base` is the git blob id of the bytes the edit was planned from (`Page.blob`; `ABSENT`
    for a file that did not exist): the edit is written only if the file still holds them.
    None takes the file as `apply` finds it, which guards only `apply`'s own few moments.
    """

    path: str  # relative to the wiki root, '/' separated
    text: str | None
    reason: str = ""
    keep: Keep | None = None
    origin: str | None = None  # the file whose bytes `keep` checks (default: `path`)
    base: str | None = None  # the blob it was planned from (`ABSENT`: no file)


@dataclass(frozen=True)
class Refused:
    """A planned edit `verify` will not let through, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Plan:
    pass_name: str
    summary: str  # the commit subject after "kbsleep <pass>: "
    edits: tuple[Edit, ...]
    trailers: Mapping[str, str] = field(default_factory=dict)
    # Each edit stands alone (anticipate's pages): one whose file changed since it was planned
    # is left out and the others are committed. Otherwise (a consolidate task, whose edits
    # belong together) any such change leaves the whole plan out.
    separable: bool = False


@dataclass(frozen=True)
class Committed:
    sha: str
    paths: tuple[str, ...]


@dataclass(frozen=True)
class Applied:
    """What `apply` did: the commit (None if nothing was written) and the edits it left out
    because their file changed since they were planned (`CHANGED`)."""

    commit: Committed | None
    left_out: tuple[Refused, ...] = ()


def new_run_id() -> str:
    return uuid.uuid4().hex[:12]


def check_path(root: Path, path: str) -> Path:
    """The file for a wiki path; refuses anything that would leave the wiki or touch kbsleep state."""
    pure = PurePosixPath(path)
    if not path or pure.is_absolute() or ".." in pure.parts or "\\" in path or "\0" in path:
        raise KbsleepError(f"refusing to write outside the wiki: {path!r}")
    if pure.parts[0] in (".git", ".kbsleep"):
        raise KbsleepError(f"refusing to write kbsleep or git internals: {path!r}")
    full = root / path
    real_root = root.resolve()
    try:
        full.parent.resolve().relative_to(real_root)
        if full.is_symlink():
            full.resolve().relative_to(real_root)
    except ValueError:
        raise KbsleepError(f"refusing to write through a symlink that leaves the wiki: {path!r}") from None
    return full


def diff(root: Path, plan: Plan) -> str:
    """The unified diff that applying `plan` would make."""
    chunks = []
    for edit in plan.edits:
        full = root / edit.path
        old = full.read_text(encoding="utf-8", errors="replace") if full.exists() else ""
        new = edit.text or ""
        before = f"a/{edit.path}" if full.exists() else "/dev/null"
        after = f"b/{edit.path}" if edit.text is not None else "/dev/null"
        chunks.extend(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True), before, after))
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in chunks)


def verify(root: Path, edits: Sequence[Edit], read: Callable[[str], bytes | None] | None = None) -> tuple[tuple[Edit, ...], tuple[Refused, ...]]:
    """The edits that may be written now, and the others with why: a file that no longer holds
    the bytes its edit was planned from (`CHANGED`), or new bytes that would change what the
    edit's `keep` says they must not of the file they rewrite (or of their `origin`).

    The one check of every planned rewrite of an existing file: a pass runs it to report (and
    to show the dry run it will write), `apply` runs it again before writing anything. `read`
    gives a file's bytes as the edit finds it (None: no such file); by default, as on disk. A
    pass whose steps each work on the result of the one before reads the planned bytes.
    """
    read = read or (lambda path: journal.read(root / path))
    kept: list[Edit] = []
    refused: list[Refused] = []
    for edit in edits:
        reason = _refusal(edit, read)
        if reason is None:
            kept.append(edit)
        else:
            refused.append(Refused(edit.path, reason))
    return tuple(kept), tuple(refused)


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
        elif _changes(edit, current):
            edits.append(edit)
    busy = dirty(root, [e.path for e in edits if now[e.path] is not None])
    if busy:
        raise KbsleepError("uncommitted changes in files this pass would touch: " + ", ".join(busy), hint="commit or stash them first")
    read = lambda path: now[path] if path in now else journal.read(root / path)  # noqa: E731
    refused = [Refused(e.path, reason) for e in edits if (reason := _refusal(e, read)) is not None]
    if refused:  # the pass verified its plan: it did not check this one
        raise KbsleepError(f"refusing to write {refused[0].path}: {refused[0].reason}", hint="nothing was written; run the pass again")
    if left_out and not plan.separable:
        return Applied(None, tuple(left_out))
    return _transact(root, repo, plan, run_id, edits, left_out) if edits else Applied(None, tuple(left_out))


def _transact(root: Path, repo: Repo, plan: Plan, run_id: str, edits: list[Edit], left_out: list[Refused]) -> Applied:
    """Journal, then under git's index lock: compare, write, commit. Restores on any failure."""
    token = uuid.uuid4().hex
    folder = journal.begin(root, token, [(e.path, str(e.base), None if e.text is None else _encode(e.text)) for e in edits])
    lock = IndexLock(repo, token)
    placed: dict[str, Stat] = {}
    sha: str | None = None
    try:
        with sigterm_as_interrupt():
            lock.acquire()
            checked = _stats(root, [e.path for e in edits])  # before the bytes are read: a later write shows
            late = _changed_now(root, repo, edits)
            left_out += late
            if late and not plan.separable:
                edits = []
            gone = {r.path for r in late}
            journal.mark(folder, phase="writing")
            for index, edit in enumerate(edits):
                if edit.path in gone:
                    continue
                if _stats(root, [edit.path])[edit.path] != checked[edit.path]:  # an editor saved it just now
                    if not plan.separable:
                        raise KbsleepError(f"{edit.path} {CHANGED}; nothing was written", hint="run kbsleep again")
                    left_out.append(Refused(edit.path, CHANGED))
                    continue
                journal.place(root, folder, index, edit.path, edit.text is None)
                placed.update(_stats(root, [edit.path]))
            if placed:
                text = _message(plan, run_id, [e for e in edits if e.path in placed])
                sha = _journaled_commit(repo, folder, list(placed), text, since=lambda: _saved(root, plan, placed, left_out))
    except BaseException:
        journal.rollback(root, folder)
        raise
    finally:
        lock.release()
    shutil.rmtree(folder, ignore_errors=True)
    written = tuple(path for path in placed if path not in {r.path for r in left_out})
    return Applied(Committed(sha, written) if sha else None, tuple(left_out))


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
    log = git(root, "log", f"-{limit}", "--format=%H%x00%B%x00%x01")
    undone: set[str] = set()
    order: list[str] = []
    commits: dict[str, list[str]] = {}
    passes: dict[str, list[str]] = {}
    for record in log.split("\x01"):
        parts = record.strip("\n").split("\0")
        if len(parts) < 2:
            continue
        sha, body = parts[0].strip(), parts[1]
        trailers = _trailers(body)
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
    shown = (git(root, "show", "--name-only", "--no-renames", "--format=", "--relative", sha) for sha in run.commits)
    touched = sorted({p for out in shown for p in out.split("\n") if p})
    busy = sorted(repo.changed(touched))
    if busy:
        raise KbsleepError("uncommitted changes in files the undo would touch: " + ", ".join(busy), hint="commit or stash them first")
    files = [(p, blob_of(journal.read(root / p)), None) for p in touched]
    token = uuid.uuid4().hex
    folder = journal.begin(root, token, files, revert=True)
    lock = IndexLock(repo, token)
    try:
        with sigterm_as_interrupt():
            lock.acquire()
            if _changed_now(root, repo, [Edit(p, None, base=base) for p, base, _ in files]):
                raise KbsleepError("files the undo would touch changed while it ran; nothing was undone", hint="run `kbsleep undo` again")
            journal.mark(folder, phase="writing")
            _revert(repo, run.commits, folder)
            placed = _stats(root, touched)
            subject = f"kbsleep undo: revert run {run.run_id} ({', '.join(run.passes)})"
            body = "\n".join(f"Reverts {sha}" for sha in run.commits)
            text = f"{subject}\n\n{body}\n\n{TRAILER_UNDO}: {run.run_id}\n"
            sha = _journaled_commit(repo, folder, touched, text, empty=True, since=lambda: _restated(root, placed))
    except BaseException:
        journal.rollback(root, folder)
        raise
    finally:
        lock.release()
    shutil.rmtree(folder, ignore_errors=True)
    return run, sha or ""


def _revert(repo: Repo, commits: Sequence[str], folder: Path) -> None:
    """Revert `commits` (newest first) into the work tree, in an index of kbsleep's own (the
    user's staged work is never part of it); raises, naming the files, on a conflict."""
    env = {"GIT_INDEX_FILE": str((folder / "index.revert").absolute())}
    git(repo.top, "read-tree", "HEAD", env=env)
    done = attempt(repo.top, "revert", "--no-commit", *commits, env=env)
    conflicts: list[str] = []
    if done.returncode != 0:
        listing = git(repo.top, "ls-files", "-u", "-z", env=env)
        conflicts = sorted({e.partition("\t")[2].removeprefix(repo.prefix) for e in listing.split("\0") if "\t" in e})
    repo.quit_revert(folder / "index.revert")
    if done.returncode != 0:
        named = ", ".join(conflicts) or f"(git said: {last_line(done)})"
        raise KbsleepError(f"undo would conflict with edits made since the run, in: {named}", hint="resolve by hand with `git revert`")


# -- internals ----------------------------------------------------------------------------------


def _refusal(edit: Edit, read: Callable[[str], bytes | None]) -> str | None:
    if edit.base is not None and blob_of(read(edit.path)) != edit.base:
        return CHANGED
    if edit.keep is None or edit.text is None:
        return None
    old = read(edit.origin or edit.path)
    if old is None and edit.origin is None:  # a new file: nothing to keep
        return None
    return f"{edit.origin} is gone" if old is None else edit.keep.check(old, _encode(edit.text))


def _changes(edit: Edit, current: bytes | None) -> bool:
    if edit.text is None:
        return current is not None
    return current != _encode(edit.text)


def _changed_now(root: Path, repo: Repo, edits: Sequence[Edit]) -> list[Refused]:
    """The edits whose file no longer holds its base, or has uncommitted changes: checked under
    git's index lock, so nothing can be committed between this check and kbsleep's commit."""
    busy = repo.changed([e.path for e in edits])
    return [Refused(e.path, CHANGED) for e in edits if e.path in busy or blob_of(journal.read(root / e.path)) != e.base]


Stat = tuple[int, int, int, int] | None


def _stats(root: Path, paths: Sequence[str]) -> dict[str, Stat]:
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


def _restated(root: Path, before: Mapping[str, Stat]) -> list[str]:
    """The files written since `before` was taken."""
    now = _stats(root, list(before))
    return [path for path in before if now[path] != before[path]]


def _saved(root: Path, plan: Plan, placed: Mapping[str, Stat], left_out: list[Refused]) -> list[str]:
    """The pages written by something else (an editor saving) since kbsleep wrote them: left out
    of the commit, theirs as they are; for a plan whose edits belong together, nothing is."""
    saved = _restated(root, placed)
    if saved and not plan.separable:
        raise KbsleepError(f"{saved[0]} was written by something else while kbsleep committed it; nothing was written", hint="run kbsleep again")
    left_out.extend(Refused(path, CHANGED) for path in saved)
    return saved


def _message(plan: Plan, run_id: str, edits: Sequence[Edit]) -> str:
    trailers = {TRAILER_PASS: plan.pass_name, TRAILER_RUN: run_id, **plan.trailers}
    lines = "\n".join(f"{key}: {value}" for key, value in trailers.items())
    reasons = "\n".join(f"- {e.path}: {e.reason}" for e in edits if e.reason)
    body = f"\n\n{reasons}" if reasons else ""
    return f"kbsleep {plan.pass_name}: {plan.summary}{body}\n\n{lines}\n"


def _trailers(body: str) -> dict[str, str]:
    found = {}
    for line in body.strip().splitlines():
        key, sep, value = line.partition(": ")
        if sep and key.startswith("Kbsleep-"):
            found[key] = value.strip()
    return found


def _encode(text: str) -> bytes:
    return text.encode("utf-8")


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
