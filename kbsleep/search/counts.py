"""Counts: "How many levels of exhaustion are there?" is answered by a number of levels ("six
levels"), not by any number near the word ("reduced below 1")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kbsleep.search.words import STOP_WORDS, stem

if TYPE_CHECKING:
    from kbsleep.search.extract import Scored

# "how many spell slots does ...", "how many levels of ...": the counted thing is the last word
# before the verb, the preposition or the end
_HOW_MANY = re.compile(r"\bhow many ((?:[\w-]+ ){0,2}?)([\w-]+?)s?(?= (?:of|do|does|did|are|is|were|was|can|could|will|would|should|must|have|has|in|on|for|per|at|a|an|the|i|you|we|they|there|it)\b|\s*[?,.;]|\s*$)", re.I)
_NUMBER = re.compile(r"\d[\d,.]*|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|fifty|hundred|thousand|million|dozen)", re.I)
_WORD = re.compile(r"[\w-]+")
_COUNTED_AFTER = re.compile(r"([\w-]+)\s*\(\s*(?:\d[\d,]*)(?:\s+[a-z]+)?\s*\)")  # "Steps (15 total)"
GAP = 1  # words between the number and the counted thing ("six exhaustion levels", "3 spell slots")


def is_number(word: str) -> bool:
    """Whether `word` is a number, in digits or in words ("6", "six")."""
    return _NUMBER.fullmatch(word) is not None


def counted(question: str) -> str | None:
    """The stem of the thing a "how many" question counts, if it asks one."""
    found = _HOW_MANY.search(question)
    return stem(found.group(2).casefold()) if found and found.group(2).casefold() not in STOP_WORDS else None


def counts(text: str, thing: str) -> bool:
    """Whether `text` puts a number before `thing` (a stem), at most `GAP` words apart."""
    words = _WORD.findall(text)
    for at, word in enumerate(words):
        if _NUMBER.fullmatch(word) and any(stem(w.casefold()) == thing for w in words[at + 1 : at + 2 + GAP]):
            return True
    return False


def heading_counts(heading: str, thing: str) -> bool:
    """Whether a section's heading counts `thing` (a stem) for the list under it: "15 Steps", or
    "Steps (15 total)" and "Controls (12 options)", the count in parentheses after the thing."""
    if counts(heading, thing):
        return True
    found = _COUNTED_AFTER.search(heading)
    return found is not None and stem(found.group(1).casefold()) == thing


def prefer_count(question: str, scored: Sequence[Scored], best: Scored, close: float) -> Scored:
    """Of the units within `close` of the best one's score, the first that counts what a "how many"
    question asks, in its words or its heading's; else one under a heading that counts it, of the
    best one's page first ("Steps (9 total)" over the page's "maps 3D models to 2D planes"); the
    best one when none does or the best already does."""
    thing = counted(question)
    if thing is None or counts(best.unit.text, thing):
        return best
    page = best.unit.source.partition("#")[0]
    near = (s for s in scored if s.score >= close * best.score and (counts(s.unit.text, thing) or heading_counts(s.unit.source.partition("#")[2], thing)))
    headed = sorted((s for s in scored if heading_counts(s.unit.source.partition("#")[2], thing)), key=lambda s: s.unit.source.partition("#")[0] != page)
    return next(near, None) or next(iter(headed), best)
