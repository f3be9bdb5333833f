"""A write planned as data: `Edit`s grouped in a `Plan`, and the checks every planned rewrite
passes before the transaction (`transaction.apply`) writes anything: that its path stays inside
the wiki (`check_path`), and that its file still holds what the edit was planned from and keeps
what the edit says it must (`verify`)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Mapping, Protocol, Sequence

from kbsleep.errors import KbsleepError
from kbsleep.git import journal
from kbsleep.git.journal import blob_of

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
        reason = refusal(edit, read)
        if reason is None:
            kept.append(edit)
        else:
            refused.append(Refused(edit.path, reason))
    return tuple(kept), tuple(refused)


def refusal(edit: Edit, read: Callable[[str], bytes | None]) -> str | None:
    if edit.base is not None and blob_of(read(edit.path)) != edit.base:
        return CHANGED
    if edit.keep is None or edit.text is None:
        return None
    old = read(edit.origin or edit.path)
    if old is None and edit.origin is None:  # a new file: nothing to keep
        return None
    return f"{edit.origin} is gone" if old is None else edit.keep.check(old, encode(edit.text))


def changes(edit: Edit, current: bytes | None) -> bool:
    if edit.text is None:
        return current is not None
    return current != encode(edit.text)


def encode(text: str) -> bytes:
    return text.encode("utf-8")
