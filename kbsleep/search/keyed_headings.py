"""A heading that names what a question asks is the key of the list beneath it: "- GitDoc" under
"## Required Extensions" on the page the question names answers "Which extension does the
automatic git syncing recipe require?" as "Required extension: GitDoc" would; and "Closed and
open only." opening "## States" answers "What states does the breaker have?". A how-to's heading
names a task ("Open a new tab"), not a key: the steps under it are read as steps."""

from __future__ import annotations

from collections.abc import Mapping

from kbsleep.search.alike import shared
from kbsleep.search.units import Unit

KEYED_KINDS = ("item", "step")


def keyed_by_heading(unit: Unit, attribute: set[str], alike: Mapping[str, str], opens: bool = False) -> bool:
    """Whether `unit` is a list item under a heading holding what the question asks (`attribute`:
    the stems of its words that name no page): all of them, or two when it asks more. So is the
    sentence that `opens` the section and answers its heading in words of its own, none of what
    is asked ("## States" then "Closed and open only.": "states: closed and open only")."""
    heading = unit.source.partition("#")[2]
    answers = opens and unit.kind == "sentence" and not shared(unit.text, alike) & attribute
    if (unit.kind not in KEYED_KINDS and not answers) or not heading or not attribute:
        return False
    return len(shared(heading, alike) & attribute) >= min(2, len(attribute))
