"""Questions `anticipate` writes offline on LLM-maintained wikis read as a careful person would
write them (the eighteenth session's reading of real wikis: a wiki of campaign logs and pull requests,
an Ansys mesh wiki, a software-design wiki). Seen there: a heading's dash aside cut inside its
brackets ("What is LOW Severity (Exempt in ...?"), a title's label asked with the page ("What is ...
in Source: Workflow Rules?"), a heading that says the title again folded into its possessive
("What is X — Scene 227's Scene 227 Summary?", "What are Session Tracked Services' Session tracking
and the base pattern?"), bookkeeping facts ("What is the source file of ...?", "What is the scene
number of X — Scene 266?"), a heading that is a question left in lower case, and a question in a
story's dialogue read as a definition ("What is and more importantly, what?")."""

from __future__ import annotations

from kbsleep.llm.model import Passage
from kbsleep.passes.citable_units import unlabelled
from kbsleep.passes.offline_questions import generate
from kbsleep.passes.question_templates import said_of, without_aside


def questions(text: str, name: str) -> list[str]:
    return [qa.question for qa in generate([Passage(name, text)])]


def test_a_dash_inside_brackets_belongs_to_the_bracket_s_aside() -> None:
    assert without_aside("Naive lock — simple and broken") == "Naive lock"
    assert without_aside("Weather Log (Day 3 — squall)") == "Weather Log"
    assert without_aside("Port map [Mac — May]") == "Port map"
    assert without_aside("Tide table (Oban) — spring tides") == "Tide table (Oban)"
    assert without_aside("Tide table (Oban)") == "Tide table (Oban)"


LEG = """\
---
leg_number: 12
source_file: raw/tern/leg-12.json
raw_path: raw/tern/leg-12.md
crew: 12
---
# Tern Voyage — Leg 12

The Tern sailed from Oban to Tobermory on the twelfth leg.

## Leg 12 Summary

A calm crossing with one squall near Kerrera.

## Weather Log (Day 3 — squall)

Wind rose to force 6 for an hour.

## what went wrong?

The bilge pump failed twice.
"""


def test_a_heading_s_aside_is_dropped_whole_never_left_open() -> None:
    asked = questions(LEG, "Tern Voyage — Leg 12")
    assert "What is Tern Voyage — Leg 12's Weather Log?" in asked
    assert all(q.count("(") == q.count(")") for q in asked)


def test_a_heading_that_says_the_title_again_is_asked_without_it() -> None:
    asked = questions(LEG, "Tern Voyage — Leg 12")
    assert "What is Tern Voyage — Leg 12's summary?" in asked
    assert not any("Leg 12 Summary" in q for q in asked)


def test_one_shared_word_is_a_kind_of_the_page_s_thing_and_stays() -> None:
    page = "# Wrapping\n\nWrapping fits a surface mesh around a dirty geometry.\n\n## Wrapper Controls\n\nThree controls set the gap size.\n"
    assert "What are Wrapping's Wrapper Controls?" in questions(page, "Wrapping")


def test_the_page_s_thing_said_in_another_form_pairs_with_another() -> None:
    assert said_of("Session tracking", "Session Tracked Services")
    assert said_of("Composting", "Composted Soils")
    assert not said_of("Drainage", "Composted Soils")
    page = "# Composted Soils\n\nComposted soils hold water longer.\n\n## Composting and drainage\n\nA composted bed drains more slowly than sand.\n"
    asked = questions(page, "Composted Soils")
    assert "How do Composted Soils work with drainage?" in asked
    assert not any("Soils' Composting" in q for q in asked)


def test_bookkeeping_facts_and_facts_the_title_states_are_not_asked() -> None:
    asked = questions(LEG, "Tern Voyage — Leg 12")
    assert not any("source file" in q or "raw path" in q or "leg number" in q for q in asked)
    assert "How big is the crew of Tern Voyage — Leg 12?" in asked  # 12 is in the title, but the crew is not


def test_a_number_the_title_holds_by_chance_is_still_asked() -> None:
    page = "---\nappearances: 4\n---\n# Intake Cell 4\n\nIntake Cell 4 is a holding cell under the keep.\n"
    assert "How many appearances does Intake Cell 4 have?" in questions(page, "Intake Cell 4")


def test_a_heading_that_is_a_question_starts_with_a_capital() -> None:
    assert "What went wrong?" in questions(LEG, "Tern Voyage — Leg 12")


def test_a_title_s_label_says_what_kind_of_page_it_is_not_its_subject() -> None:
    assert unlabelled("Source: Workflow Rules") == ("source", "Workflow Rules")
    assert unlabelled("Concept: Mesh quality") == ("concept", "Mesh quality")
    assert unlabelled("PR #10: chore(deps): bump vite") == ("", "PR #10: chore(deps): bump vite")
    assert unlabelled("Ratio: a primer") == ("", "Ratio: a primer")  # no kind of page
    page = "# Source: Harbour Survey\n\nThe survey counted the moorings in 2021.\n\n## Mooring Counts\n\nOban had 212 moorings.\n\n## Proposal\n\nMoor the survey boats at the north pier.\n"
    asked = questions(page, "harbour-survey")
    assert not any("Source:" in q for q in asked)
    assert "What does Harbour Survey say about Mooring Counts?" in asked  # a document, asked what it says
    assert "What does Harbour Survey say about the proposal?" in asked


def test_a_question_in_dialogue_defines_nothing() -> None:
    page = (
        "# Harbour Night\n\nYou smile at the harbourmaster. \"But tell me, sir, what are you doing out here? And more "
        "importantly, what is a man of your rank doing without a boat?\"\n\n## The quay\n\nFor a heartbeat, the world is a still picture of masts. "
        "The Augur is right\u2014he is a man of the sea.\n"
    )
    asked = questions(page, "Harbour Night")
    assert not any(q.startswith(("What is and", "What is for a", "What is the Augur")) for q in asked)


def test_a_number_written_with_leading_zeros_in_the_title_is_the_same_number() -> None:
    page = "---\nleg_number: 7\n---\n# Tern Voyage — Leg 007\n\nThe Tern rounded Ardnamurchan Point on this leg.\n"
    assert not any("leg number" in q for q in questions(page, "Tern Voyage — Leg 007"))


def test_a_hyphenated_pair_of_the_title_s_words_is_the_title_again() -> None:
    page = "# Fail-Closed Locks\n\nA fail-closed lock stays shut when its power fails.\n\n## Fail-Closed States\n\nLocked, and locked with an alarm.\n"
    asked = questions(page, "Fail-Closed Locks")
    assert "What are Fail-Closed Locks' states?" in asked


def test_a_section_label_every_page_has_is_asked_of_the_page() -> None:
    page = "# Moonrise Towers\n\n## Definition\n\nThe seat of the Absolute's cult in the south.\n\n## Connections\n\n- [[Ketheric Thorm]] — its master\n"
    asked = questions(page, "Moonrise Towers")
    assert {"What are Moonrise Towers?", "What are Moonrise Towers connected to?"} <= set(asked)  # (a plural title agrees)
    assert not any(q.endswith(("' definition?", "' connections?")) for q in asked)
    one = page.replace("# Moonrise Towers", "# Moonrise Keep")
    assert {"What is Moonrise Keep?", "What is Moonrise Keep connected to?"} <= set(questions(one, "Moonrise Keep"))


def test_a_label_the_section_talks_about_is_a_thing_of_the_page_s() -> None:
    page = "# Link previews\n\nHow a shared link shows.\n\n## Definition\n\nThe `definition` field sets the text under the link's title.\n"
    assert "What is Link previews' definition?" in questions(page, "Link previews")
