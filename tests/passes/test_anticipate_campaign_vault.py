"""What `anticipate` writes offline for a hand-kept vault of entity pages (a tabletop campaign's
NPCs, a team's handbook): frontmatter a template filled in, lists of linked names.

Seen on a public D&D campaign vault: every NPC page got "What is the name of Toodle?" answered
"The name of Toodle is Toodle.", a blank template field ("species: -") was asked about, and
list items that start with a linked name were quoted lower-cased ("venn", "pipe refuses to
return"), as if they were common words.
"""

from __future__ import annotations

from kbsleep.llm.model import Passage
from kbsleep.passes.offline_questions import generate


def questions(text: str, name: str) -> dict[str, str]:
    return {qa.question: qa.answer for qa in generate([Passage(name, text)])}


NPC = """---
name: Toodle
species: Construct
occupation: "-"
location: "[[Jinx|with Jinx]]"
---
## Notes
- Summoned by [[Mr Mayfair]] 300 years ago
- Left behind after the fair disappeared

## Friends
- [[Venn]]
- [[Roderick Ashford]]
- Mayfair's old crew
"""


def test_a_fact_that_restates_the_page_name_is_not_asked():
    asked = questions(NPC, "Toodle")
    assert not any("name of Toodle" in q for q in asked)
    assert not any("The name of Toodle is Toodle" in a for a in asked.values())
    assert asked["What is the species of Toodle?"].startswith("The species of Toodle is Construct.")


def test_a_name_in_other_words_is_still_asked():
    page = NPC.replace("name: Toodle", "name: Toodle the Tireless")
    asked = questions(page, "Toodle")
    assert any("Toodle the Tireless" in a for a in asked.values())


def test_a_blank_template_field_is_not_asked():
    asked = questions(NPC, "Toodle")
    assert not any("occupation" in q.casefold() or "does Toodle do" in q for q in asked)


def test_list_items_that_start_with_a_linked_name_keep_their_capital():
    answer = questions(NPC, "Toodle")["What are Toodle's friends?"]
    assert answer.startswith("Venn; Roderick Ashford; Mayfair's old crew.")


def test_a_common_first_word_is_still_lowered_mid_answer():
    page = "# Harbour\n\n## Rules\n- No swimming near the pier\n- Boats moor on the east side\n"
    answer = questions(page, "Harbour")["What are Harbour's rules?"]
    assert "; boats moor on the east side" in answer


def test_canonical_is_a_page_state_not_a_fact():
    page = "---\ntitle: Team & roles\nstatus: canonical\n---\nThe team is two founders and eight agents.\n\n## Authority\n\nHumans approve every external send.\n"
    asked = questions(page, "team-and-roles")
    assert not any("status" in q for q in asked)


def test_a_place_with_its_own_preposition_is_not_put_in_another():
    asked = questions(NPC, "Toodle")
    assert asked["Where is Toodle?"].startswith("Toodle is with Jinx.")
    buried = questions(NPC.replace('"[[Jinx|with Jinx]]"', "Buried in the Thornhaven Graveyard"), "Toodle")
    assert buried["Where is Toodle?"].startswith("Toodle is buried in the Thornhaven Graveyard.")
    plain = questions(NPC.replace('"[[Jinx|with Jinx]]"', "Thornhaven"), "Toodle")
    assert plain["Where is Toodle?"].startswith("Toodle is in Thornhaven.")
