"""The case a question sets: "How should I validate hyperparameters when my dataset is very
small?" asks for the method the page gives for small data sets ("LOOCV ... is used for very small
datasets"), not the page's best match for validating in general. Of the units of the best unit's
page that score close to it, the one saying the words of the case the best unit leaves out answers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kbsleep.search.words import stems

if TYPE_CHECKING:
    from kbsleep.search.extract import Scored

CASE_CLOSE = 0.8  # a unit saying the case answers instead of a better one within this share of its score
# a clause setting the case, after the question's opening word: "... when my dataset is small", "if the note is pinned"
_CASE = re.compile(r"(?<=\s)(?:when|whenever|if|unless|while|once)\s+([^,?;]+)", re.I)


def case_words(question: str) -> set[str]:
    """The stems of the words of the case a question sets ("dataset", "small" in "... when my
    dataset is very small?")."""
    return set().union(*(stems(found.group(1)) for found in _CASE.finditer(question)))


def in_case(question: str, scored: Sequence[Scored], best: Scored) -> Scored:
    """The best unit, or, when it leaves out words of the case the question sets, the first unit
    of its page within `CASE_CLOSE` of its score that says them all."""
    case = case_words(question)
    missing = case - stems(best.unit.text)
    if not missing:
        return best
    page = best.unit.source.partition("#")[0]
    return next((s for s in scored if s.score >= CASE_CLOSE * best.score and s.unit.source.partition("#")[0] == page and missing <= stems(s.unit.text)), best)
