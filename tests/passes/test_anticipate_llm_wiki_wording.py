"""The questions `anticipate` writes offline for an LLM-maintained wiki read as a person would
write them (issue 19; the pages' new "Anticipated questions" are what a user sees first). Seen on
a wiki of software-engineering books nobody tuned on: a "relationship" section titled by the
page's thing in fewer words and another ("Sidecars and coupling" on *Sidecar Pattern*) was asked
"What are Sidecar Pattern's sidecars and coupling?"; the sentence "Because the ambassador is a
separate container, it ..." was asked "What is because the ambassador?"; and "Burns's
contribution is ..." was asked "What is burns's contribution?"."""

from __future__ import annotations

from kbsleep.llm.model import Passage
from kbsleep.passes.heading_phrases import part_of
from kbsleep.passes.offline_questions import generate


def questions(text: str, name: str) -> list[str]:
    return [qa.question for qa in generate([Passage(name, text)])]


def test_a_heading_s_first_words_are_part_of_the_title_when_each_is_one_of_its_words() -> None:
    assert part_of("Sidecars", "Sidecar Pattern")
    assert part_of("Health checks", "Health Check Adapter")
    assert not part_of("Session tracking", "Session Tracked Services")  # "tracking" is no word of it
    assert not part_of("", "Sidecar Pattern")


GREENHOUSE = """\
# Greenhouse Ventilation

**Summary**: Opening a greenhouse's vents to keep its air below 27 degrees.

## Relationship to other pages

### Ventilation and shading

Shading cuts the heat that comes in; ventilation lets out the heat that is in.

### Ventilation and watering

Open vents dry the soil faster, so water in the morning.
"""


def test_a_section_pairing_the_page_s_thing_with_another_asks_how_they_work_together() -> None:
    asked = questions(GREENHOUSE, "Greenhouse Ventilation")
    assert "How does Greenhouse Ventilation work with shading?" in asked
    assert "How does Greenhouse Ventilation work with watering?" in asked
    assert not any("Ventilation's ventilation" in q or "ventilation and" in q.casefold() for q in asked)


def test_a_page_whose_title_joins_two_things_keeps_its_pairs_as_topics() -> None:
    # "Pests and diseases" is two topics: "Pests and weather" pairs one of them with a third
    page = "# Pests and Diseases\n\nIntro line without a definition\n\n## Pests and weather\n\nAphids thrive in warm, dry weeks.\n"
    assert not any("work with weather" in q for q in questions(page, "Pests and Diseases"))


KILNS = """\
# Kiln Firing

Kiln firing turns clay to ceramic.

## Cones

Because the witness cone is a small clay pyramid, it bends when the kiln reaches its temperature.
Orton's cone chart is the standard table of cone temperatures.
A bisque firing is a first, low firing that hardens the clay.
"""


def test_a_sentence_opening_with_a_subordinate_clause_defines_nothing() -> None:
    asked = questions(KILNS, "Kiln Firing")
    assert not any(q.casefold().startswith("what is because") for q in asked)
    assert "What is a bisque firing?" in asked


def test_a_definition_asked_of_something_someone_owns_keeps_the_owner_s_name() -> None:
    asked = questions(KILNS, "Kiln Firing")
    assert "What is Orton's cone chart?" in asked


def _section(title: str, heading: str, body: str) -> list[str]:
    text = f"# {title}\n\nIntro line without a definition\n\n## {heading}\n\n{body}\n"
    return [q for q in questions(text, title) if q != f"What is {title}?"]


def test_a_heading_s_verb_agrees_with_its_head_noun_not_with_a_name_or_a_clause_before_it() -> None:
    # "Kubernetes" is written so mid-sentence: a name, not the plural head of "Kubernetes implementation"
    body = "The probes are declared in Kubernetes as two fields. The spec has both."
    assert _section("Health Checks", "Kubernetes implementation", body) == ["What is Health Checks' Kubernetes implementation?"]
    assert _section("Sharded Cache", "Hit rate as a capacity multiplier", "A cache doubles capacity.") == ["What is Sharded Cache's hit rate as a capacity multiplier?"]
    assert _section("Cold Frames", "Goals (s. 19)", "Keep seedlings warm.") == ["What are Cold Frames' Goals (s. 19)?"]  # (its capital as written: the heading's case is left alone here)
    assert _section("Cold Frames", "Shared resources that matter", "Light and heat.") == ["What are Cold Frames' shared resources that matter?"]
