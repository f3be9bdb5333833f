"""Counts: "How many levels of exhaustion are there?" is answered by a number of levels ("six
levels"), not by any number near the word ("reduced below 1")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kbsleep.search.words import STOP_WORDS, stem

if TYPE_CHECKING:
    from kbsleep.search.extract import Scored
    from kbsleep.search.units import Unit

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


_ASKED_NUMBER = re.compile(r"\b(two|three|four|five|six|seven|eight|nine|ten|[2-9])\s+([\w-]+)", re.I)  # "four conditions", "3 states"
_SMALL = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten".split())}


def listed(question: str) -> tuple[int, str] | None:
    """How many things a question asks for by name, and their stem ((4, "condit") for "Which four
    conditions cause a deadlock?"); none for a "how many" (which asks the number)."""
    found = None if _HOW_MANY.search(question) else _ASKED_NUMBER.search(question)
    if found is None or found.group(2).casefold() in STOP_WORDS:
        return None
    number = found.group(1).casefold()
    return (int(number) if number.isdigit() else _SMALL[number]), stem(found.group(2).casefold())


def counted_list(question: str, best: Unit, found: Sequence[Unit], most: int) -> list[Unit]:
    """For a question asking for a number of things ("Which four conditions ...?"), when the best
    unit is one item of a list that holds them, its leading sentence counting them ("This happens
    when four conditions are met:") or its items as many: the sentence and the whole list, each of
    the things asked; else none."""
    asked = listed(question)
    if asked is None or best.kind not in ("item", "step"):
        return []
    items = [u for u in found if u.source == best.source and u.block == best.block and u.kind == best.kind and u.lead == best.lead and u.parent is None]
    lead = next((u for u in found if items and u.source == best.source and u.order == items[0].order - 1 and u.kind == "sentence" and u.text == best.lead), None)
    if lead is None or not (counts(lead.text, asked[1]) or len(items) == asked[0]) or len(items) > most:
        return []
    return [lead, *items]
