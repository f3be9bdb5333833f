"""The offline question generator: which question each kind of page text becomes."""

from __future__ import annotations

from kbsleep.llm.model import Passage
from kbsleep.passes.offline_questions import asked_questions, asked_section, generate


def questions(text: str, name: str = "Kestrel", *linked: Passage) -> dict[str, str]:
    return {qa.question: qa.answer for qa in generate([Passage(name, text), *linked])}


def test_facts_become_questions_through_the_template_table() -> None:
    found = questions("---\npopulation: 41,000\nborn: 1988\nlength_m: 2.4\nstations: 9\nupdated: 2026-01-01\n---\n# Kestrel\n")
    assert found == {
        "How many people live in Kestrel?": "Kestrel has a population of 41,000. [[Kestrel]]",
        "When was Kestrel born?": "Kestrel was born in 1988. [[Kestrel]]",
        "How long is Kestrel?": "Kestrel is 2.4 m long. [[Kestrel]]",
        "How many stations does Kestrel have?": "Kestrel has 9 stations. [[Kestrel]]",
    }  # `updated` describes the page, not its subject


def test_unknown_facts_get_a_generic_question_and_dated_participles_a_when() -> None:
    found = questions("---\ndepth rating: 120 m\nlicense decided: 2023-11-14\n---\n")
    assert found == {
        "What is the depth rating of Kestrel?": "The depth rating of Kestrel is 120 m. [[Kestrel]]",
        "When was Kestrel's license decided?": "Kestrel's license was decided on 2023-11-14. [[Kestrel]]",
    }


def test_a_fact_whose_key_has_no_words_asks_nothing() -> None:
    found = questions("---\n_: 41\n---\n# Kestrel\n\n- ** **: the settings page.\n\n__:: 9\n")
    assert found == {}


def test_a_fact_stated_in_a_sentence_is_answered_by_that_sentence() -> None:
    found = questions("---\npopulation: 41,000\n---\n# Evra\n\nEvra is a town of about 41,000 people.\n", "Evra")
    assert found["How many people live in Evra?"] == "Evra is a town of about 41,000 people. [[Evra]]"
    assert found["What is Evra?"] == "Evra is a town of about 41,000 people. [[Evra]]"


def test_a_fact_whose_value_is_the_page_s_own_name_is_not_stated_by_a_sentence_naming_the_page() -> None:
    text = "---\nplugin-id: calendar\naliases:\n- Calendar\n---\n# Calendar\n\nCalendar view of your daily notes.\n"
    found = questions(text, "calendar")
    assert found["What is the plugin id of Calendar?"] == "The plugin id of Calendar is calendar. [[calendar]]"


def test_headings_become_questions_in_the_readers_words() -> None:
    text = (
        "# Waves\n\n## Licensing\n\nIt is free to use.\n\n## Where they occur here\n\nAt the shelf edge.\n\n"
        "## Why the Observatory cares\n\nLong records.\n\n## Other responsibilities\n\n- Runs the link.\n- Wrote the validator.\n\n"
        "## See also\n\nNothing.\n"
    )
    assert list(questions(text, "Waves")) == [
        "What licence does Waves use?",
        "Where do Waves occur here?",
        "Why does the Observatory care about Waves?",
        "What are Waves' other responsibilities?",
    ]


def test_lists_and_tables_are_answered_whole() -> None:
    text = (
        "# Tern\n\n## Economy\n\nIt rests on two pillars:\n\n- the ferry terminal;\n- Timber exports\n\n"
        "## Team\n\n| Role | Person |\n|---|---|\n| Skipper | Ines |\n| Engineer | Tomas |\n"
    )
    found = questions(text, "Tern")
    assert found["What is Tern's economy based on?"] == "It rests on two pillars: the ferry terminal; timber exports. [[Tern#Economy]]"
    assert found["Who works on Tern?"] == "Skipper: Ines; Engineer: Tomas. [[Tern#Team]]"


def test_linked_pages_give_cross_page_questions_and_the_intermediate_fact() -> None:
    project = "---\nmaintainer: \"[[Ada]]\"\n---\n# Loom\n\nLoom is a weaving engine.\n\nIts docs live at [[Archive]].\n"
    ada = Passage("Ada", "---\ntags: [person]\n---\n# Ada\n\nAda is the engineer who keeps Loom running.\n")
    archive = Passage("Archive", "# Archive\n\nThe Archive is the documentation site of the lab.\n")
    found = questions(project, "Loom", ada, archive)
    assert found["Who maintains Loom?"] == "Loom is maintained by Ada. [[Loom]] Ada is the engineer who keeps Loom running. [[Ada]]"
    assert found["How is Loom connected to Archive?"] == (
        "Its docs live at Archive. [[Loom]] The Archive is the documentation site of the lab. [[Archive]]"
    )


def test_other_definition_sentences_become_what_is_questions() -> None:
    found = questions("# Port\n\n## Old Quay\n\nThe Old Quay is the original stone quay. A pontoon is a floating dock.\n", "Port")
    assert found["What is the Old Quay?"] == "The Old Quay is the original stone quay. A pontoon is a floating dock. [[Port#Old Quay]]"
    assert found["What is a pontoon?"] == "A pontoon is a floating dock. [[Port#Old Quay]]"


def test_queued_questions_round_trip_through_the_prompt_and_come_first() -> None:
    prompt = "Write at most 8 questions.\n" + asked_section(["When did the railway arrive?"])
    assert asked_questions(prompt) == ["When did the railway arrive?"]
    text = "# Evra\n\n## History\n\nThe railway arrived in 1884. The quay is older.\n"
    first = generate([Passage("Evra", text)], asked_questions(prompt))[0]
    assert (first.question, first.answer) == ("When did the railway arrive?", "The railway arrived in 1884. [[Evra#History]]")


def test_a_queued_how_to_is_written_as_ask_quotes_it_with_its_steps_numbered_and_items_apart() -> None:
    text = (
        "# Canvas\n\n## Create a new canvas\n\n**Command palette:**\n1. Open the Command palette.\n2. Select **Canvas: Create new canvas**.\n\n"
        "## Shortcuts\n\nUse a keyboard shortcut to open a canvas:\n\n- **Windows:** `Ctrl+t`\n- **macOS:** `Cmd+t`\n"
    )
    found = {qa.question: qa.answer for qa in generate([Passage("Canvas", text)], ["How do I create a new canvas?", "Which keyboard shortcut opens a canvas?"])}
    assert found["How do I create a new canvas?"] == (
        "Command palette: 1. Open the Command palette. 2. Select Canvas: Create new canvas. [[Canvas#Create a new canvas]]"
    )
    # the shortcuts are in the list the best sentence announces: it holds what the question asks for
    assert found["Which keyboard shortcut opens a canvas?"] == "Use a keyboard shortcut to open a canvas: Windows: `Ctrl+t`; macOS: `Cmd+t`. [[Canvas#Shortcuts]]"


def test_an_empty_page_has_nothing_to_ask() -> None:
    assert generate([Passage("Empty", "")]) == []


def test_a_how_to_heading_asks_how_and_a_callout_marker_is_not_part_of_the_answer() -> None:
    text = "# Recovery\n\n## Recover a snapshot\n\n> [!tip] Open Settings first.\n\nSelect the snapshot you want.\n"
    found = questions(text, "Recovery")
    assert "How do I recover a snapshot in Recovery?" in found
    assert "[!tip]" not in found["How do I recover a snapshot in Recovery?"]


def test_a_label_whose_value_is_a_sentence_and_a_description_ask_nothing() -> None:
    text = (
        "---\ndescription: Keeps snapshots of your notes.\n---\n# Recovery\n\n"
        "**Apple lockdown mode**: This feature is unavailable on Apple devices with Lockdown mode enabled.\n\n"
        "**Depth**: 120 m\n"
    )
    found = questions(text, "Recovery")
    assert found["How deep is Recovery?"] == "Depth: 120 m [[Recovery]]"
    assert not [q for q in found if "lockdown" in q.casefold() or "description" in q.casefold()]


def test_a_placeholder_left_by_a_template_answers_nothing() -> None:
    text = (
        "# Glossary\n\n## Avoid list\n\n| Avoid | Use instead | Reason |\n|---|---|---|\n| *(none identified yet)* | | |\n\n"
        "## Regional terms\n\n- (to be written)\n\n## Open gaps\n\n_(Empty, filled at the next ingest.)_\n\n"
        "## Style rules\n\n| Rule | Example | Source |\n|---|---|---|\n| *(none yet)* | | |\n| Bold product names | **Kestrel** | guide |\n"
    )
    assert questions(text, "Kestrel") == {
        "What are Kestrel's style rules?": "Bold product names (example Kestrel, source guide). [[Kestrel#Style rules]]",
    }


def test_a_heading_named_as_a_linked_page_relates_the_two_only_when_its_section_says_that_page() -> None:
    archive = Passage("Archive", "# Archive\n\nThe Archive is the documentation site of the lab.\n")
    said = "# Loom\n\nLoom is a weaving engine.\n\n## Archive\n\nLoom writes its manuals to the Archive every night.\n\nSee [[Archive]].\n"
    assert "How does Loom relate to Archive?" in questions(said, "Loom", archive)
    # a details view's group named like a linked page ("### Scope" of scoping fields) relates nothing
    group = "# Loom\n\nLoom is a weaving engine.\n\n## Archive\n\n- Path: where old runs go\n- Format: zip\n\n## Related\n\n- [[Archive]]\n"
    assert not [q for q in questions(group, "Loom", archive) if "relate" in q]
    # nor one whose section names a longer name ending in it ("the Stacker Base Scope" is no Scope)
    longer = "# Loom\n\nLoom is a weaving engine.\n\n## Archive\n\n- Path: where the Night Archive keeps runs\n\n## Related\n\n- [[Archive]]\n"
    assert not [q for q in questions(longer, "Loom", archive) if "relate" in q]
