"""A question `anticipate` writes offline says each article once, and says of what "other" things
are other. Seen on a bilingual LLM wiki: "## Default Cascades and the Domino Effect" on *Network
Models and Default Cascades* was asked "What is the the Domino Effect in ...?" (the heading's first
words say the title again, and what was left kept its own "the"), and a label "**The Theorem**:"
was asked "What is the the theorem of ...?"; on the Obsidian help, "### More options" on *Import
from Evernote* was asked "What other options are there?", more options for what unsaid."""

from __future__ import annotations

from kbsleep.llm.model import Passage
from kbsleep.passes.offline_questions import generate


def questions(text: str, name: str) -> list[str]:
    return [qa.question for qa in generate([Passage(name, text)])]


def doubled(asked: list[str]) -> list[str]:
    articles = ("the", "a", "an")
    return [q for q in asked if any(w in articles and n in articles for w, n in zip(q.casefold().split(), q.casefold().split()[1:]))]


ORCHARDS = """\
# Orchard Pests and Fungal Diseases

Orchard pests and fungal diseases cost growers a third of a harvest.

## The Codling Moth

The codling moth lays its eggs on young fruit; its larvae tunnel to the core.

## Fungal Diseases and the Scab Cycle

Scab spores overwinter in fallen leaves and infect new leaves in wet springs.
"""


def test_a_heading_s_words_after_the_title_s_keep_their_own_article_once() -> None:
    asked = questions(ORCHARDS, "Orchard Pests and Fungal Diseases")
    assert "What is the Scab Cycle in Orchard Pests and Fungal Diseases?" in asked
    assert not doubled(asked)


def test_a_heading_s_own_the_before_a_name_stays_in_its_question() -> None:
    asked = questions(ORCHARDS, "Orchard Pests and Fungal Diseases")
    assert "What is the Codling Moth in Orchard Pests and Fungal Diseases?" in asked


def test_two_headings_apart_only_by_their_article_ask_one_question() -> None:
    text = ORCHARDS + "\n## Spray Timing\n\n### The Timing Model\n\nSpray at petal fall.\n\n## Pruning\n\n### Timing Model\n\nPrune in late winter.\n"
    asked = [q.casefold() for q in questions(text, "Orchard Pests and Fungal Diseases")]
    assert len([q for q in asked if q.endswith("timing model in orchard pests and fungal diseases?")]) == 1


KILN = """\
# Kiln Schedules

**Summary**: Heating and cooling rates for a ceramic kiln.

## Bisque

**The Rate**: 100 degrees an hour below 600 degrees

**A Limit**: 1,000 degrees
"""


def test_a_label_s_own_article_is_said_once() -> None:
    asked = questions(KILN, "Kiln Schedules")
    assert "What is the rate of Kiln Schedules?" in asked and "What is the limit of Kiln Schedules?" in asked
    assert not doubled(asked)


IMPORT = """\
# Import from Trello

Move your Trello boards into Hivekeeper in two steps.

## Export your boards

In Trello, open **Menu**, then **Print and export**, and choose JSON.

## Import the boards into Hivekeeper

Open **Import** in Hivekeeper and pick the JSON file you exported from Trello.

### More formats

You can also import a CSV export of a single board from Trello.
"""


def test_more_things_on_a_page_named_by_a_task_say_for_which_task() -> None:
    asked = questions(IMPORT, "Import from Trello")
    assert "What other formats are there to import from Trello?" in asked
    assert "What other formats are there?" not in asked
    # what the task names already it says once ("... boards are there to import boards?" says it twice)
    text = IMPORT.replace("### More formats", "### More boards").replace("Import from Trello\n", "Import boards\n", 1)
    assert "What other boards are there?" in questions(text, "Import boards")

