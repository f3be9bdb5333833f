"""A sentence that says its page shows how to do something ("This recipe shows how to export a
note to PDF.", "This guide walks you through setting up sync.") answers a how-to only with the
steps that page gives: the page's numbered list follows it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kbsleep.search.units import Unit

_SHOWS_HOW = re.compile(r"\b(?:shows?|explains?|describes?|teach(?:es)?|will teach|walks? you through|guides? you through|covers?) (?:you )?how\b", re.I)


def with_procedure(best: Unit, found: Sequence[Unit], most: int) -> list[Unit]:
    """`best` and the first numbered list (up to `most` steps) of its page among `found`, when
    `best` says its page shows how; nothing otherwise (and on a page without numbered steps)."""
    if not _SHOWS_HOW.search(best.text):
        return []
    page = best.source.partition("#")[0]
    steps = [u for u in found if u.kind == "step" and u.source.partition("#")[0] == page]
    if not steps:
        return []
    first = steps[0]
    return [best, *[u for u in steps if (u.source, u.block, u.lead) == (first.source, first.block, first.lead)][:most]]
