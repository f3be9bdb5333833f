"""Names told apart: file names that add different qualifiers to one name.

"Alchemy Jug (DMG).md" and "Alchemy Jug (XDMG).md" (a D&D vault's 2014 and 2024 rules for one
magic item), "Mercury (planet).md" and "Mercury (element).md": two pages of one title whose file
names each add a qualifier in parentheses, and different ones, were named to tell two things
apart, as Wikipedia disambiguates its titles. Our choice (Obsidian has no notion of duplicates;
it links each page by its own file name): such pages are neither duplicates for lint
(duplicate-page) nor a merge for consolidate, however alike their text. A qualifier on one of
the names only ("Cobalt.md" beside "Cobalt (pipeline).md") tells nothing apart.
"""

from __future__ import annotations

import re

from kbsleep.wiki.resolve import fold

_QUALIFIED = re.compile(r"^(?P<name>.*?\S)\s*\((?P<qualifier>[^()]+)\)$")


def named_apart(a: str, b: str) -> tuple[str, str] | None:
    """The qualifiers the file names of pages `a` and `b` (paths) add to one name, when they
    differ ("DMG" and "XDMG"), or None."""
    mine = _QUALIFIED.match(a.rpartition("/")[2].removesuffix(".md"))
    theirs = _QUALIFIED.match(b.rpartition("/")[2].removesuffix(".md"))
    if mine and theirs and fold(mine["name"]) == fold(theirs["name"]) and fold(mine["qualifier"]) != fold(theirs["qualifier"]):
        return mine["qualifier"], theirs["qualifier"]
    return None
