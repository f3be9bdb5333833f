"""Parallel folders: two folders that hold pages of the same names, one set per folder.

A vault often keeps one folder per project, university, course or campaign, each with its own
`Documents.md`, `Deadlines.md` and `Overview.md`, or one date's note per course. Two pages of one
file name in such folders are one role filled twice (each university's document checklist), not
one thing written twice, even when their text is alike: Obsidian links each by its path, and a
merge would send one folder's links to the other folder's page. Our choice (Obsidian has no
notion of duplicates): two pages of one file name are *each their folder's* when their folders
differ and are parallel (they share another page name too, and the names they share are at
least half of the larger folder's pages: one structure filled per folder), and are not copies
of each other (some name they share names pages that are not alike). A folder copied whole is
still a folder of duplicates; so is a concept written in two topic folders (`Math/Law of
Sines.md` and `Physics/Law of Sines.md`, folders that share a few names among hundreds).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable, Iterable, Mapping

from kbsleep.wiki.resolve import fold

Folders = Mapping[str, Mapping[str, str]]  # folder -> folded file name -> page path


def folder_of(path: str) -> str:
    return path.rpartition("/")[0]


def stem_of(path: str) -> str:
    return path.rpartition("/")[2].removesuffix(".md")


def pages_by_folder(paths: Iterable[str]) -> dict[str, dict[str, str]]:
    """Folder -> the folded file name of each of its pages (`.md` files) -> its path."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for path in paths:
        found[folder_of(path)].setdefault(fold(stem_of(path)), path)
    return dict(found)


def each_their_folders(a: str, b: str, folders: Folders, alike: Callable[[str, str], bool]) -> bool:
    """Are pages `a` and `b`, of one file name, each their own folder's (see the module)?
    `alike(x, y)`: do pages x and y hold the same text (as the caller measures it)?"""
    first, second = folder_of(a), folder_of(b)
    if first == second or fold(stem_of(a)) != fold(stem_of(b)):
        return False
    mine, theirs = folders.get(first, {}), folders.get(second, {})
    shared = mine.keys() & theirs.keys()
    if len(shared) < 2 or 2 * len(shared) < max(len(mine), len(theirs)):
        return False  # not parallel
    return not all(alike(mine[name], theirs[name]) for name in shared)
