"""The one place that writes pages and commits: the transaction, crash recovery and undo.

A pass plans its writes as data (`Edit`s). `apply` then:
1. checks every path stays inside the wiki and that no file it touches has uncommitted changes,
   and `verify`s every edit of a file that exists against what the edit says it keeps (`Keep`):
   a page whose new bytes would change what they must not is never written;
2. journals the original bytes under `.kbsleep/journal/` before writing anything;
3. writes each file atomically and commits exactly those paths, once, with `Kbsleep-*` trailers;
4. on any failure or interrupt (Ctrl-C, SIGTERM, a git error) restores the originals.
A process killed with SIGKILL mid-pass leaves the journal behind; the next writing command
restores from it before doing anything else (`recover`).

`undo` reverts every commit of the last kbsleep run in one `git revert` commit (safe after a
push); a second undo goes one run further back. It refuses, naming the files, when the revert
would conflict with edits made since.
"""

from __future__ import annotations

import difflib
import glob
import json
import os
import shutil
import signal
import subprocess
import tempfile
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Iterator, Mapping, Protocol, Sequence

from kbsleep.errors import KbsleepError
from kbsleep.lock import hold
from kbsleep.state import ensure_state_dir

TRAILER_PASS = "Kbsleep-Pass"
TRAILER_RUN = "Kbsleep-Run"
TRAILER_UNDO = "Kbsleep-Undo"
JOURNAL = "journal"


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
    """

    path: str  # relative to the wiki root, '/' separated
    text: str | None
    reason: str = ""
    keep: Keep | None = None
    origin: str | None = None  # the file whose bytes `keep` checks (default: `path`)


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


@dataclass(frozen=True)
class Committed:
    sha: str
    paths: tuple[str, ...]


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
    """The edits whose new bytes keep what their `keep` says of the file they rewrite (or of
    their `origin`), and the others.

    The one check of every planned rewrite of an existing file: a pass runs it to report (and
    to show the dry run it will write), `apply` runs it again before writing anything. `read`
    gives a file's bytes as the edit finds it (None: no such file); by default, as on disk. A
    pass whose steps each work on the result of the one before reads the planned bytes.
    """
    read = read or (lambda path: _read(root / path))
    kept: list[Edit] = []
    refused: list[Refused] = []
    for edit in edits:
        if edit.keep is None or edit.text is None:
            kept.append(edit)
            continue
        old = read(edit.origin or edit.path)
        if old is None and edit.origin is None:  # a new file: nothing to keep
            kept.append(edit)
            continue
        reason = f"{edit.origin} is gone" if old is None else edit.keep.check(old, _encode(edit.text))
        if reason is None:
            kept.append(edit)
        else:
            refused.append(Refused(edit.path, reason))
    return tuple(kept), tuple(refused)


def _read(full: Path) -> bytes | None:
    try:
        return full.read_bytes()
    except FileNotFoundError:
        return None


def dirty(root: Path, paths: Sequence[str]) -> list[str]:
    """Those of `paths` with uncommitted (staged or unstaged) changes, or untracked."""
    if not paths:
        return []
    out = _git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", *paths)
    found = []
    for entry in out.split("\0"):
        if len(entry) > 3:
            found.append(entry[3:])
    return sorted(found)


def apply(root: Path, plan: Plan, run_id: str) -> Committed | None:
    """Write and commit `plan` as one commit; restore everything on any failure. None if no change."""
    with hold(root, plan.pass_name):
        return _apply(root, plan, run_id)


def _apply(root: Path, plan: Plan, run_id: str) -> Committed | None:
    recover(root)
    for edit in plan.edits:
        check_path(root, edit.path)
    edits = [e for e in plan.edits if _changes(root, e)]
    if not edits:
        return None
    files = [root / e.path for e in edits]
    paths = [e.path for e in edits]
    busy = dirty(root, [e.path for e in edits if (root / e.path).exists()])
    if busy:
        raise KbsleepError("uncommitted changes in files this pass would touch: " + ", ".join(busy), hint="commit or stash them first")
    _, refused = verify(root, edits)
    if refused:  # the pass verified its plan: the file changed since, or the pass did not check
        first = refused[0]
        raise KbsleepError(f"refusing to write {first.path}: {first.reason}", hint="nothing was written; run the pass again")
    journal = _journal(root, edits)
    try:
        with sigterm_as_interrupt():
            for edit, full in zip(edits, files):
                _write(full, edit.text)
            # Paths on stdin and the message in a file: a 10k-page pass overflows the argument list.
            listed = "\0".join(paths).encode("utf-8", "surrogateescape")
            message = journal / "message.txt"
            message.write_text(_message(plan, run_id, len(edits)), encoding="utf-8")
            _git(root, "add", "-A", "--pathspec-from-file=-", "--pathspec-file-nul", stdin=listed)
            # Absolute: git reads `-F` from the folder `-C` names, not ours.
            _git(root, "commit", "-q", "--no-verify", "-F", str(message.absolute()), "--only", "--pathspec-from-file=-", "--pathspec-file-nul", stdin=listed)
            sha = _git(root, "rev-parse", "HEAD").strip()
    except BaseException:
        _rollback(root, journal)
        raise
    shutil.rmtree(journal, ignore_errors=True)
    return Committed(sha, tuple(paths))


def recover(root: Path) -> list[str]:
    """Restore files from a journal left by a killed pass; return the paths restored."""
    folder = root / ".kbsleep" / JOURNAL
    if not (folder / "journal.json").exists():
        shutil.rmtree(folder, ignore_errors=True)
        return []
    return _rollback(root, folder)


# -- undo ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    run_id: str
    passes: tuple[str, ...]
    commits: tuple[str, ...]  # newest first


def runs(root: Path, limit: int = 500) -> list[Run]:
    """kbsleep runs on the current branch not yet undone, newest first."""
    log = _git(root, "log", f"-{limit}", "--format=%H%x00%B%x00%x01")
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
        run = trailers.get(TRAILER_RUN)
        if run is None or run in undone:
            continue
        if run not in commits:
            order.append(run)
            commits[run], passes[run] = [], []
        commits[run].append(sha)
        passes[run].append(trailers.get(TRAILER_PASS, "?"))
    return [Run(r, tuple(dict.fromkeys(passes[r])), tuple(commits[r])) for r in order]


def undo(root: Path) -> tuple[Run, str] | None:
    """Revert the newest not-yet-undone run in one commit; None when there is nothing to undo."""
    with hold(root, "undo"):
        return _undo(root)


def _undo(root: Path) -> tuple[Run, str] | None:
    recover(root)
    found = runs(root)
    if not found:
        return None
    run = found[0]
    touched = sorted({p for sha in run.commits for p in _git(root, "show", "--name-only", "--format=", "--relative", sha).split("\n") if p})
    busy = dirty(root, [p for p in touched if (root / p).exists()])
    if busy:
        raise KbsleepError("uncommitted changes in files the undo would touch: " + ", ".join(busy), hint="commit or stash them first")
    try:
        _git(root, "revert", "--no-commit", *run.commits)
    except KbsleepError:
        conflicts = [p for p in _git(root, "diff", "--name-only", "--diff-filter=U", "--relative").split("\n") if p]
        subprocess.run(["git", "-C", str(root), "revert", "--abort"], capture_output=True, check=False)
        subprocess.run(["git", "-C", str(root), "reset", "-q", "--merge"], capture_output=True, check=False)
        named = ", ".join(conflicts) or "(see git status)"
        raise KbsleepError(f"undo would conflict with edits made since the run, in: {named}", hint="resolve by hand with `git revert`") from None
    subject = f"kbsleep undo: revert run {run.run_id} ({', '.join(run.passes)})"
    body = "\n".join(f"Reverts {sha}" for sha in run.commits)
    _git(root, "commit", "-q", "--no-verify", "-m", f"{subject}\n\n{body}\n\n{TRAILER_UNDO}: {run.run_id}")
    return run, _git(root, "rev-parse", "HEAD").strip()


# -- internals ----------------------------------------------------------------------------------


def _changes(root: Path, edit: Edit) -> bool:
    full = root / edit.path
    if edit.text is None:
        return full.exists()
    return not full.exists() or full.read_bytes() != _encode(edit.text)


def _message(plan: Plan, run_id: str, count: int) -> str:
    trailers = {TRAILER_PASS: plan.pass_name, TRAILER_RUN: run_id, **plan.trailers}
    lines = "\n".join(f"{key}: {value}" for key, value in trailers.items())
    reasons = "\n".join(f"- {e.path}: {e.reason}" for e in plan.edits if e.reason)
    body = f"\n\n{reasons}" if reasons else ""
    return f"kbsleep {plan.pass_name}: {plan.summary}{body}\n\n{lines}\n"


def _trailers(body: str) -> dict[str, str]:
    found = {}
    for line in body.strip().splitlines():
        key, sep, value = line.partition(": ")
        if sep and key.startswith("Kbsleep-"):
            found[key] = value.strip()
    return found


def _journal(root: Path, edits: Sequence[Edit]) -> Path:
    folder = ensure_state_dir(root) / JOURNAL
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    entries = []
    for index, edit in enumerate(edits):
        full = root / edit.path
        backup = None
        if full.exists():
            backup = f"{index}.orig"
            shutil.copy2(full, folder / backup)
        entries.append({"path": edit.path, "backup": backup})
    head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, check=False).stdout.strip()
    write_atomic(folder / "journal.json", json.dumps({"head": head, "files": entries}).encode())
    return folder


def _rollback(root: Path, folder: Path) -> list[str]:
    try:
        journal = json.loads((folder / "journal.json").read_text())
    except (OSError, ValueError):
        shutil.rmtree(folder, ignore_errors=True)
        return []
    head = journal.get("head")
    current = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, check=False).stdout.strip()
    if head and current != head:
        # The commit landed before the interruption: the pass is complete, keep it.
        shutil.rmtree(folder, ignore_errors=True)
        return []
    restored = []
    for entry in journal.get("files", []):
        full = root / entry["path"]
        for stray in full.parent.glob(f".{glob.escape(full.name)}.*.kbsleep-tmp"):
            stray.unlink(missing_ok=True)  # an interrupt can land between mkstemp and its cleanup
        if entry["backup"] is None:
            full.unlink(missing_ok=True)
        else:
            write_atomic(full, (folder / entry["backup"]).read_bytes())
        restored.append(entry["path"])
    if restored:
        subprocess.run(["git", "-C", str(root), "reset", "-q", "--", *restored], capture_output=True, check=False)
    shutil.rmtree(folder, ignore_errors=True)
    return restored


def _write(full: Path, text: str | None) -> None:
    if text is None:
        full.unlink(missing_ok=True)
        return
    full.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(full, _encode(text))


def _encode(text: str) -> bytes:
    return text.encode("utf-8")


def write_atomic(path: Path, data: bytes | Iterable[bytes], durable: bool = True) -> None:
    """Replace `path` with `data` (bytes, or chunks of them) through a temporary file in the same
    folder, keeping its mode. `durable=False` skips the flush to disk, for caches: a crash may
    then leave an empty or torn file, which a cache reader treats as no cache."""
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".kbsleep-tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.writelines([data] if isinstance(data, bytes) else data)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


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


def _git(root: Path, *args: str, stdin: bytes | None = None) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, check=False)
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise KbsleepError(f"git {args[0]} failed: {reason[-1] if reason else done.returncode}")
    return done.stdout.decode("utf-8", "surrogateescape")
