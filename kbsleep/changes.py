"""Which pages may have changed since the index last looked, from one `git status`.

The index stores the fingerprint of the status it last saw: HEAD, the status output, and
the stats of the files that differ from HEAD. An equal fingerprint means no page changed,
so a warm `ask` stats no page at all; with HEAD unchanged, only files dirty then or now can
differ. Outside git there is no status, and every refresh checks every page.

A command may start the status as it begins (`looking_ahead`): git then scans the work tree
(25 ms at 10k pages) while Python imports what reads the index, on the other core. The status
is then the wiki as it was when the command started, which is what the user asked about; it is
read once, by the first `status` of that folder, and never outlives the command.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kbsleep.git import reads

# porcelain v2 entry kind -> the number of fields before its path
_FIELDS = {b"1 ": 8, b"2 ": 9, b"u ": 10, b"? ": 1}
_AHEAD: dict[str, reads.Started | None] = {}  # folder -> the status started for it by `looking_ahead`, until read
_TOPS: dict[str, Path | None] = {}  # folder -> its work tree's top, found inside a `looking_ahead` block


@dataclass(frozen=True)
class Status:
    mark: str  # changes whenever any page may have changed
    head: str  # the commit checked out
    dirty: tuple[str, ...]  # wiki paths that differ from it (modified, new, deleted, renamed)


def git_top(path: Path) -> Path | None:
    """The top of the git work tree holding `path` (None outside git), without importing the
    Markdown parser with it; asked of git once per folder inside a `looking_ahead` block (the
    config, the vault and the status each want it)."""
    if not _AHEAD:
        return reads.toplevel(path)
    key = os.path.abspath(path)
    if key not in _TOPS:
        _TOPS[key] = reads.toplevel(path)
    return _TOPS[key]


@contextmanager
def looking_ahead(root: Path) -> Iterator[None]:
    """Start `root`'s `git status` now, for the first `status(root)` inside the block to read;
    one nobody read is let finish (never killed: git may be writing its index) and dropped at the
    end of the block."""
    key = os.path.abspath(root)
    if key in _AHEAD:  # already started by an outer block: that one reads it
        yield
        return
    _AHEAD[key] = reads.Started.status(root)
    try:
        yield
    finally:
        started = _AHEAD.pop(key)
        if started is not None:
            started.close()
        if not _AHEAD:
            _TOPS.clear()


def status(root: Path, settings: str) -> Status | None:
    """The wiki folder's status; `settings` (what decides which files are pages) joins the mark."""
    key = os.path.abspath(root)
    started = _AHEAD.get(key)
    if started is not None:
        _AHEAD[key] = None  # read once: a later status in the block asks git again
    out = started.output() if started is not None else reads.status(root)
    if out is None:
        return None
    fields = out.split(b"\0")
    head = next((f[len(b"# branch.oid ") :].decode() for f in fields if f.startswith(b"# branch.oid ")), "")
    names: list[str] = []
    for index, entry in enumerate(fields):
        if entry[:2] in _FIELDS:
            names.append(os.fsdecode(entry.split(b" ", _FIELDS[entry[:2]])[-1]))
            if entry[:2] == b"2 " and index + 1 < len(fields):
                names.append(os.fsdecode(fields[index + 1]))  # a rename's old path
    digest = hashlib.sha1(out)
    digest.update(settings.encode())
    dirty: list[str] = []
    if names:
        top = git_top(root)
        prefix = root.resolve().relative_to(top.resolve()).as_posix() if top else "."
        for name in names:
            try:
                stat = os.stat(os.path.join(str(top), name))
                digest.update(f"{name}\0{stat.st_mtime_ns}\0{stat.st_size}".encode())
            except OSError:
                pass  # deleted: its name in the status is the change
            if prefix in ("", "."):
                dirty.append(name)
            elif name.startswith(prefix + "/"):
                dirty.append(name[len(prefix) + 1 :])
    return Status(digest.hexdigest(), head, tuple(dirty))
