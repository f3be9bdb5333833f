"""A heading that names what a question asks is the key of the list beneath it: "- GitDoc" under
"## Required Extensions" on the page the question names answers "Which extension does the
automatic git syncing recipe require?" as "Required extension: GitDoc" would. A how-to's heading
names a task ("Open a new tab"), not a key: the steps under it are read as steps."""

from __future__ import annotations

from collections.abc import Mapping

from kbsleep.search.alike import shared
from kbsleep.search.units import Unit

KEYED_KINDS = ("item", "step")


def keyed_by_heading(unit: Unit, attribute: set[str], alike: Mapping[str, str]) -> bool:
    """Whether `unit` is a list item under a heading holding what the question asks (`attribute`:
    the stems of its words that name no page): all of them, or two when it asks more."""
    heading = unit.source.partition("#")[2]
    if unit.kind not in KEYED_KINDS or not heading or not attribute:
        return False
    return len(shared(heading, alike) & attribute) >= min(2, len(attribute))
