"""Which files make up the wiki: pages (`*.md`) and attachments, as git sees them.

A file or folder whose name starts with `.`, at any depth, is hidden, as in Obsidian (see
`kbsleep.obsidian`): neither page nor attachment, unless an `include` glob names it. Git's
and kbsleep's own folders are never part of the wiki.

A file git ignores is still in the vault for Obsidian, which knows nothing of git: when it is on
disk, not hidden and of a type Obsidian opens (`FILE_FORMATS`), it is listed with the
attachments, a file links may open that kbsleep never reads, judges or writes (a `.md` one too:
it is a note of the user's that is not part of the tracked wiki).
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from kbsleep.git import reads
from kbsleep.state import STATE_DIR
from kbsleep.obsidian import FILE_FORMATS, VaultSettings, is_hidden

NEVER = frozenset({STATE_DIR, ".git"})  # folder names never part of the wiki, whatever `include` says
# Instructions for the agent that keeps the wiki (`kbsleep init --agent` writes the root's), at
# any depth, as the agents read them (a nested `CLAUDE.md` is loaded when Claude Code works in its
# folder; agents.md: "the closest AGENTS.md to the edited file wins"; the names are
# case-sensitive): set aside like Excluded files (links to them open; no rule judges them, no pass
# writes into them), since they say how to keep the wiki, not what it knows.
AGENT_FILES = ("AGENTS.md", "CLAUDE.md")


def is_agent_file(path: str) -> bool:
    """Is this page an agent's instruction file (`AGENT_FILES`), at the root or in a folder?"""
    return path.rpartition("/")[2] in AGENT_FILES


@dataclass(frozen=True)
class Files:
    pages: tuple[str, ...]  # relative to the wiki root, '/' separated, sorted
    attachments: tuple[str, ...]
    stats: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)  # page or sidecar -> stat_key, regular files
    sidecars: tuple[str, ...] = ()  # `.md` files under the answers' sidecar folder: kbsleep's, never pages


def stat_key(info: os.stat_result) -> tuple[int, int, int, int]:
    """What changes whenever a file's bytes do (as git's index relies on): size, times, inode."""
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def git_toplevel(path: Path) -> Path | None:
    """The top of the git work tree holding `path`, or None outside git."""
    return reads.toplevel(path)


def discover(root: Path, exclude: tuple[str, ...] = (), in_git: bool = True, include: tuple[str, ...] = (), sidecars: str = "", only: Iterable[str] | None = None) -> Files:
    """List the wiki's files: tracked or untracked-but-not-ignored when in git (with the ignored
    ones on disk as attachments: see above), else every file; hidden ones only where `include`
    names them, and none that `exclude` names. Files under the
    folder `sidecars` names ("_kbsleep/answers/") are no part of the wiki: its `.md` files are
    listed apart, as the answers `anticipate` keeps beside their pages. `only`: judge these
    names (relative to the root) instead of listing every file, those that exist and are the wiki's
    kept (the search index re-reads the few files `git status` says changed)."""
    ignored: list[str] = []
    if only is not None:
        names = sorted(set(only))
    elif in_git:
        listing = reads.ignored(root, FILE_FORMATS)  # git walks the tree for these while it lists the others
        try:
            names = reads.files(root)
        finally:
            ignored = _ignored_files(root, listing.names())
    else:
        names = _walk(root, hidden=bool(include))
    real_root = root.resolve()
    pages: list[str] = []
    attachments: list[str] = []
    held: list[str] = []
    stats: dict[str, tuple[int, int, int, int]] = {}
    folder = os.path.join(os.fspath(root), "")
    excluded = _exclusion(exclude)
    included = _exclusion(include)
    for name in names:  # this runs 10k+ times: one system call each, and little else
        side = sidecars and name.startswith(sidecars)  # a sidecar folder may be hidden from Obsidian
        if not side and (name[:1] == "." or "/." in name) and not brought_back(name, included):  # `is_hidden`, inlined
            continue
        if excluded is not None and excluded.match(name):
            continue
        full = folder + name
        try:
            info = os.lstat(full)
        except OSError:
            continue  # deleted from the work tree but still in the index
        page = name.lower().endswith(".md")
        mode = info.st_mode
        if stat.S_ISLNK(mode):
            if not _inside(Path(full), real_root) or not os.path.isfile(full):
                continue  # a symlink that leaves the wiki is not part of it
        elif not stat.S_ISREG(mode):
            continue  # a submodule or other special file
        elif page:
            stats[name] = stat_key(info)
        if side:
            if page:
                held.append(name)
            continue
        (pages if page else attachments).append(name)
    attachments += [name for name in ignored if not (sidecars and name.startswith(sidecars)) and not (excluded is not None and excluded.match(name))]
    return Files(tuple(sorted(pages)), tuple(sorted(attachments)), stats, tuple(sorted(held)))


def brought_back(name: str, included: re.Pattern[str] | None) -> bool:
    """Is this hidden file named by an `include` glob (and not in git's or kbsleep's folder)?"""
    return included is not None and included.match(name) is not None and NEVER.isdisjoint(name.split("/"))


def hidden_files(root: Path, in_git: bool = True) -> list[str]:
    """The wiki's hidden files (`is_hidden`), as git lists them or as found on disk."""
    names = reads.files(root) if in_git else _walk(root, hidden=True)
    return sorted(name for name in names if is_hidden(name) and NEVER.isdisjoint(name.split("/")))


def set_aside(pages: Iterable[str], vault: VaultSettings, templates: tuple[str, ...] = (), include: tuple[str, ...] = ()) -> tuple[frozenset[str], frozenset[str]]:
    """The pages not judged as content: templates (in a templates folder of the vault's settings,
    or named by a `lint.templates` glob), and, unless `include` names them, Obsidian's Excluded
    files and the agent instruction files (`is_agent_file`)."""
    pages = tuple(pages)  # read up to three times (a tuple given is not copied)
    folders = tuple(folder.lower() + "/" for folder in vault.template_folders())
    globs = _exclusion(templates)
    excluder = vault.excluder()
    included = _exclusion(include)
    found_templates, found_excluded = [], []
    if folders or globs is not None:
        found_templates = [p for p in pages if p.lower().startswith(folders) or (globs is not None and globs.match(p))]
    if excluder is not None:
        found_excluded = [p for p in pages if excluder(p) and not (included is not None and included.match(p))]
    found_excluded += [p for p in pages if is_agent_file(p) and not (included is not None and included.match(p))]
    return frozenset(found_templates), frozenset(found_excluded)


def matches(patterns: tuple[str, ...], path: str) -> bool:
    """Does any of the gitignore-style `patterns` match `path` (see `glob_match`)?"""
    found = _cached_exclusion(tuple(patterns))
    return found is not None and found.match(path) is not None


@lru_cache(maxsize=64)
def _cached_exclusion(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return _exclusion(patterns)


def _exclusion(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One expression matching what any of the `exclude` (or `include`) globs match (see `glob_match`)."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{_glob_regex(pattern).pattern})" for pattern in patterns), re.IGNORECASE)


def _ignored_files(root: Path, names: list[str]) -> list[str]:
    """The ignored files Obsidian shows: not hidden, regular files or links to one inside the wiki."""
    real_root = root.resolve()
    return [name for name in names if not (name[:1] == "." or "/." in name) and _regular(root / name, real_root)]


def _regular(full: Path, real_root: Path) -> bool:
    """A regular file, or a link to one that stays inside the wiki (as `discover` keeps them)."""
    try:
        mode = os.lstat(full).st_mode
    except OSError:
        return False
    if stat.S_ISLNK(mode):
        return _inside(full, real_root) and os.path.isfile(full)
    return stat.S_ISREG(mode)


def _walk(root: Path, hidden: bool = False) -> list[str]:
    """Every file under `root`; in hidden folders only when asked (`include` may name some)."""
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in NEVER and (hidden or not d.startswith(".")))
        rel = os.path.relpath(folder, root)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        found.extend(prefix + f for f in files if hidden or not f.startswith("."))
    return found


def _inside(path: Path, real_root: Path) -> bool:
    try:
        path.resolve().relative_to(real_root)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def glob_match(pattern: str, path: str) -> bool:
    """Gitignore-flavoured glob: `*` within a segment, `**` across, a folder matches its files."""
    return _glob_regex(pattern).match(path) is not None


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    pattern = pattern.strip().lstrip("/")
    anchored = "/" in pattern.rstrip("/")
    out = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
            continue
        if pattern.startswith("**", index):
            out.append(".*")
            index += 2
            continue
        out.append({"*": "[^/]*", "?": "[^/]"}.get(char, re.escape(char)))
        index += 1
    body = "".join(out).rstrip("/")
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(f"^{prefix}{body}(?:/.*)?$", re.IGNORECASE)
