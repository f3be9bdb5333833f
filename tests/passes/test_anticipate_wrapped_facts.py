"""A `**Key:** value` fact in a hard-wrapped note goes on to the end of its paragraph.

Many vaults wrap their lines at 80 columns; Obsidian shows the paragraph as one, and so the
value a question quotes is the whole of it, never its first line cut off with a full stop.
"""

from __future__ import annotations

from kbsleep.llm.model import Passage
from kbsleep.passes.offline_questions import generate

PAGE = """# Advisory lookups

Advisory lookups were added to a shared function without a flag and without a try block, and
the suite caught it.

**Owner:** the platform team, who review
every change to shared functions.
**Status:** active

**Rule**: if a side lookup does not change the main result (it only adds a field that
the interface may show), it must:
1. be opt-in;
2. be wrapped in a try block.

Reviewed by:: Mara
Ilves wrote the first version.
"""


def answers() -> dict[str, str]:
    return {qa.question: qa.answer for qa in generate([Passage("Advisory lookups", PAGE)])}


def test_a_wrapped_value_is_quoted_whole_and_the_next_key_line_ends_it() -> None:
    found = answers()
    assert found["Who owns Advisory lookups?"].startswith("Advisory lookups is owned by the platform team, who review every change to shared functions.")
    assert found["What is the status of Advisory lookups?"].startswith("Advisory lookups is active.")


def test_a_value_that_announces_a_list_is_not_asked_about() -> None:
    assert not [q for q in answers() if "rule" in q.casefold()]


def test_a_dataview_field_ends_with_its_line() -> None:
    found = [a for q, a in answers().items() if "review" in q.casefold()]
    assert found and all("Ilves wrote" not in a for a in found)
