"""The journal of a write transaction: what to put back when it is cut short.

`.kbsleep/journal/journal.json` (version 2) names the transaction (`token`, also written into
git's index lock while kbsleep holds it), its `phase` ("prepared": nothing written yet;
"writing"; "committing": `commit` is the commit HEAD is about to hold) and, per file, its path,
the blob it was planned from (`base`), a copy of its bytes (`backup`), the new bytes to put in
place (`new`) and their blob (`blob`; null for an undo, whose new bytes `git revert` writes).

`rollback` is keyed to the journal's own commit: if HEAD holds it, the transaction is complete
whatever was committed after it; if not, every file it wrote, and nobody changed since, gets
its original bytes back, whatever was committed meanwhile.
"""

from __future__ import annotations

import errno
import glob
import json
import os
import shutil
from pathlib import Path
from typing import Any, Iterable, Sequence

from kbsleep.atomic import write_atomic
from kbsleep.git.index import IndexLock
from kbsleep.git.repo import Repo
from kbsleep.state import STATE_DIR, ensure_state_dir
from kbsleep.wiki.content import blob_id

FOLDER = "journal"
ABSENT = "0" * 40  # the blob of no file at all: git's null object id


def blob_of(data: bytes | None) -> str:
    """The git blob id of a file's bytes; `ABSENT` for no file."""
    return ABSENT if data is None else blob_id(data)


def read(full: Path) -> bytes | None:
    """A file's bytes; None if there is no file."""
    try:
        return full.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None


def folder_of(root: Path) -> Path:
    return root / STATE_DIR / FOLDER


def begin(root: Path, token: str, files: Sequence[tuple[str, str, bytes | None]], *, revert: bool = False) -> Path:
    """Copy each file's original bytes and its new ones (`files`: path, base, new bytes or None
    for a removal) under the journal folder; nothing is written yet. With `revert`, the new
    bytes are git's to write (an undo): none are given."""
    folder = ensure_state_dir(root) / FOLDER
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    entries = []
    for index, (path, base, data) in enumerate(files):
        current = read(root / path)
        backup = new = None
        if current is not None:
            backup = f"{index}.orig"
            (folder / backup).write_bytes(current)
        if data is not None:
            new = f"{index}.new"
            (folder / new).write_bytes(data)
        entries.append({"path": path, "base": base, "backup": backup, "new": new, "blob": None if revert else blob_of(data)})
    _flush(folder / str(entry["new"]) for entry in entries if entry["new"])  # they become pages
    record = {"version": 2, "token": token, "phase": "prepared", "commit": None, "revert": revert, "files": entries}
    write_atomic(folder / "journal.json", json.dumps(record).encode())
    return folder


def _flush(paths: Iterable[Path]) -> None:
    """fsync each file, once all are written: the kernel has started writing most of them back,
    so this costs about half of an fsync after each write."""
    for path in paths:
        handle = os.open(path, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def mark(folder: Path, **changes: str) -> None:
    """Record the transaction's progress (its phase, the commit it is about to land)."""
    record = json.loads((folder / "journal.json").read_text(encoding="utf-8"))
    write_atomic(folder / "journal.json", json.dumps({**record, **changes}).encode())


def place(root: Path, folder: Path, index: int, path: str, removal: bool) -> None:
    """Put the new bytes of the journal's `index`-th file in place at `path`, or remove it."""
    full = root / path
    if removal:
        full.unlink(missing_ok=True)
        return
    staged = folder / f"{index}.new"
    if full.exists():
        mode = full.stat().st_mode & 0o7777
    else:
        full.parent.mkdir(parents=True, exist_ok=True)
        mode = 0o644
    os.chmod(staged, mode)
    try:
        os.replace(staged, full)
    except OSError as exc:
        if exc.errno != errno.EXDEV:  # the wiki has a mount point inside: copy instead
            raise
        write_atomic(full, staged.read_bytes())


def rollback(root: Path, folder: Path) -> list[str]:
    """Keep the journal's commit if it landed, else restore what it wrote; then remove the
    journal and the transaction's index lock. The paths restored."""
    try:
        record = json.loads((folder / "journal.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        shutil.rmtree(folder, ignore_errors=True)
        return []
    if record.get("version") != 2:
        return _rollback_v1(root, folder, record)
    repo = Repo.at(root)
    lock = IndexLock(repo, str(record["token"]))
    mine = lock.ours()  # still held: no git command could have touched the index since
    made = record.get("commit")
    restored: list[str] = []
    if made and repo.contains(made):  # the commit landed: the transaction is complete
        staged = folder / "index.next"
        if mine and staged.exists():  # cut between moving HEAD and putting the index in place
            os.replace(staged, repo.index)
    else:
        if mine and record.get("revert"):
            repo.quit_revert(folder / "index.revert")
        if record.get("phase") != "prepared":
            restored = _restore(root, repo, folder, record["files"])
    lock.release()
    shutil.rmtree(folder, ignore_errors=True)
    return restored


def _restore(root: Path, repo: Repo, folder: Path, files: Sequence[dict[str, Any]]) -> list[str]:
    """Put back the originals of the files the transaction wrote: only those that still hold
    what it wrote and differ from HEAD (a file someone changed since, or committed as it is,
    is theirs now)."""
    busy = repo.changed([str(entry["path"]) for entry in files])
    restored = []
    for entry in files:
        path = str(entry["path"])
        full = root / path
        for stray in full.parent.glob(f".{glob.escape(full.name)}.*.kbsleep-tmp"):
            stray.unlink(missing_ok=True)  # an interrupt can land between mkstemp and its cleanup
        current = blob_of(read(full))
        ours = current == entry["blob"] if entry["blob"] is not None else current != entry["base"]
        if not ours or current == entry["base"] or path not in busy:
            continue
        if entry["backup"] is None:
            full.unlink(missing_ok=True)
        else:
            write_atomic(full, (folder / str(entry["backup"])).read_bytes())
        restored.append(path)
    return restored


def _rollback_v1(root: Path, folder: Path, record: dict[str, Any]) -> list[str]:
    """A journal of a kbsleep before version 2, which named no commit of its own: restore the
    files it names that differ from HEAD, and unstage them (that version staged before it
    committed)."""
    entries = [e for e in record.get("files", []) if isinstance(e, dict) and "path" in e]
    repo = Repo.at(root)
    busy = repo.changed([str(e["path"]) for e in entries])
    restored = []
    for entry in entries:
        path = str(entry["path"])
        if path not in busy:
            continue
        if entry.get("backup") is None:
            (root / path).unlink(missing_ok=True)
        else:
            write_atomic(root / path, (folder / str(entry["backup"])).read_bytes())
        restored.append(path)
    if restored:
        repo.attempt("reset", "-q", "--", *restored, here=True)
    shutil.rmtree(folder, ignore_errors=True)
    return restored
