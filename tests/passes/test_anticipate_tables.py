"""What `anticipate` writes offline for a section that holds a table: in the page's order, the
sentences written before the table lead it, and those written after it follow it.

Seen on Obsidian's developer docs (API Documenter's pages): a method's `## Parameters` holds the
parameters table, then `**Returns:**` and the type. "What are popScope's parameters?" was answered
"Returns: `void` scope (type Scope)", the return type put first and read as one thing with the
first parameter.
"""

from __future__ import annotations

from kbsleep.llm.model import Passage
from kbsleep.passes.offline_questions import generate


def answers(text: str, name: str) -> dict[str, str]:
    return {qa.question: qa.answer for qa in generate([Passage(name, text)])}


METHOD = """\
## Keymap.popScope() method

Remove a scope from the scope stack. If the given scope is active, the next scope in the stack will be made active.

## Parameters

|  Parameter | Type | Description |
|  --- | --- | --- |
|  scope | Scope | The scope to remove. |

**Returns:**

`void`
"""

PUMPS = """\
# Pumps

## Ratings

Each pump is rated at the factory before it is shipped.

| Pump | Flow | Head |
| --- | --- | --- |
| Orion | 40 l/min | 12 m |
| Vega | 25 l/min | 30 m |

The ratings were last checked in 2024.
"""


def test_a_sentence_after_the_table_follows_it() -> None:
    found = answers(METHOD, "popScope")
    [answer] = [a for q, a in found.items() if "parameters" in q]
    assert answer.startswith("scope (type Scope, description The scope to remove.). Returns: `void`")


def test_a_sentence_before_the_table_still_leads_it() -> None:
    found = answers(PUMPS, "Pumps")
    [answer] = [a for q, a in found.items() if "ratings" in q.casefold()]
    assert answer.startswith("Each pump is rated at the factory before it is shipped. Orion (flow 40 l/min, head 12 m); Vega")
    assert answer.index("Vega") < answer.index("The ratings were last checked in 2024.")
