"""Names told apart: pages of one name that the vault's own names say are two things.

Three ways, each our choice (Obsidian has no notion of duplicates; it links each page by its
own file name), each making two pages neither duplicates for lint (duplicate-page) nor a merge
for consolidate, however alike their text:

- **Qualified file names.** "Alchemy Jug (DMG).md" and "Alchemy Jug (XDMG).md" (a D&D vault's
  2014 and 2024 rules for one magic item), "Mercury (planet).md" and "Mercury (element).md":
  file names that each add a qualifier in parentheses, and different ones, were named to tell
  two things apart, as Wikipedia disambiguates its titles. A qualifier on one of the names only
  ("Cobalt.md" beside "Cobalt (pipeline).md") tells nothing apart.
- **Members of different things.** API documentation names a member by its owner: Obsidian's
  developer docs (written by API Documenter) keep `ButtonComponent/setTooltip.md` with the alias
  `ButtonComponent.setTooltip` beside `ExtraButtonComponent/setTooltip.md`, alias
  `ExtraButtonComponent.setTooltip`: one signature, nearly one text, two methods. Pages whose
  names (aliases or titles) qualify their shared name by different owners (`Owner.name`,
  `Owner::name`) are members of two things.
- **Folder pages.** A `README.md`, `index.md` or `_index.md` is the page of its folder: GitHub
  shows a folder's README when the folder is opened, Quartz takes a folder's `index.md` for its
  folder page, Hugo its `_index.md`. Two of them in different folders are two folders' pages (a
  study vault's `OSCP/README.md` and `CWP/README.md`, two study guides that share an
  introduction), whatever their shared boilerplate.
"""

from __future__ import annotations

import re

from kbsleep.wiki.page import Page
from kbsleep.wiki.resolve import fold

_QUALIFIED = re.compile(r"^(?P<name>.*?\S)\s*\((?P<qualifier>[^()]+)\)$")
_MEMBER_OF = (".", "::")  # how API documentation joins an owner and its member's name
FOLDER_PAGES = frozenset({"readme", "index", "_index"})  # file names (folded) that stand for their folder


def named_apart(a: str, b: str) -> tuple[str, str] | None:
    """The qualifiers the file names of pages `a` and `b` (paths) add to one name, when they
    differ ("DMG" and "XDMG"), or None."""
    mine = _QUALIFIED.match(a.rpartition("/")[2].removesuffix(".md"))
    theirs = _QUALIFIED.match(b.rpartition("/")[2].removesuffix(".md"))
    if mine and theirs and fold(mine["name"]) == fold(theirs["name"]) and fold(mine["qualifier"]) != fold(theirs["qualifier"]):
        return mine["qualifier"], theirs["qualifier"]
    return None


def told_apart(a: Page, b: Page) -> tuple[str, str] | None:
    """What tells pages `a` and `b` apart as two things (see the module): their file names'
    qualifiers, their owners, or their folders; None when nothing does."""
    return named_apart(a.path, b.path) or folder_pages(a.path, b.path) or members_apart(a, b)


def folder_pages(a: str, b: str) -> tuple[str, str] | None:
    """The folders of two pages (paths) that are each their own folder's page, when the folders
    differ (`OSCP` and `CWP` for `OSCP/README.md` and `CWP/README.md`), or None."""
    (first, _, mine), (second, _, theirs) = a.rpartition("/"), b.rpartition("/")
    if first != second and fold(mine.removesuffix(".md")) in FOLDER_PAGES and fold(theirs.removesuffix(".md")) in FOLDER_PAGES:
        return first or "/", second or "/"
    return None


def members_apart(a: Page, b: Page) -> tuple[str, str] | None:
    """The owners two pages' names give their shared name, when they differ
    (`ButtonComponent`, `ExtraButtonComponent`), or None."""
    mine, theirs = _owners(a), _owners(b)
    return next(((mine[name], theirs[name]) for name in sorted(mine.keys() & theirs.keys()) if mine[name] != theirs[name]), None)


def _owners(page: Page) -> dict[str, str]:
    """The page's name (its file name or title, folded) -> the owner one of its aliases or its
    title qualifies it by (`ButtonComponent.setTooltip` on `setTooltip.md`), folded."""
    found: dict[str, str] = {}
    names = {fold(page.stem), fold(page.title)}
    for written in (*page.aliases, page.title):
        qualified = fold(written)
        for name in names:
            for joint in _MEMBER_OF:
                if name and qualified.endswith(joint + name) and (owner := qualified[: -len(joint + name)].strip()):
                    found.setdefault(name, owner)
    return found
