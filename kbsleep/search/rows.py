"""The table row a question picks by a number in one of its columns: "Which feature does a wizard
gain at 5th level?" asks the row whose Level is 5 ("Level: 5; Features: Memorize Spell"), not a
row whose "5th" column (spell slots of the fifth level) holds a number; "level 5" says it too."""

from __future__ import annotations

import re

from kbsleep.search.units import Unit
from kbsleep.search.words import STOP_WORDS, stem

_ORDINAL = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)[\s-]+([a-z]+)\b", re.I)  # "5th level", "6th-level barbarian"
_NUMBERED = re.compile(r"\b([a-z]+)\s+(\d{1,3})\b(?![.,:]\d)", re.I)  # "level 5", not "version 1.2"
_CELL = re.compile(r"(\d{1,3})(?:st|nd|rd|th)?")


def picks(question: str) -> tuple[tuple[str, str], ...]:
    """The (column word, stemmed; number) pairs `question` picks a row by."""
    found = [(word, number) for number, word in _ORDINAL.findall(question)] + _NUMBERED.findall(question)
    return tuple(dict.fromkeys((stem(word.casefold()), number) for word, number in found if word.casefold() not in STOP_WORDS))


def picked(unit: Unit, wanted: tuple[tuple[str, str], ...]) -> bool | None:
    """Whether a table row holds the number asked in the column asked (True), another number
    there (False), or has no such column (None)."""
    if unit.kind != "row" or not wanted:
        return None
    cells = {stem(key.strip().casefold()): value.strip() for key, _, value in (pair.partition(": ") for pair in unit.text.split("; "))}
    verdict = None
    for column, number in wanted:
        if column in cells:
            held = _CELL.fullmatch(cells[column])
            if held is None:
                continue
            if held.group(1) != number:
                return False
            verdict = True
    return verdict
