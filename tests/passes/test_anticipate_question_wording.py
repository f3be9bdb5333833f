"""The questions `anticipate` writes offline read as a person would write them.

Every page of a vault gets an "Anticipated questions" section, so a clumsy question is seen
everywhere. These cases follow the shapes of real headings and titles (Obsidian's help vault, a
community vault, an LLM wiki): a task, a gerund, a question word, a statement, a navigation
heading, a heading that repeats the title, a title that is itself a task.
"""

from __future__ import annotations

import pytest

from kbsleep.llm.model import Passage
from kbsleep.passes.heading_phrases import gerund_base, task, wh_question
from kbsleep.passes.offline_questions import generate


def questions(text: str, name: str) -> dict[str, str]:
    return {qa.question: qa.answer for qa in generate([Passage(name, text)])}


def section(title: str, heading: str, body: str = "Some text about it.") -> list[str]:
    """The questions one section under `heading` gets on a page titled `title`."""
    text = f"# {title}\n\nIntro line without a definition\n\n## {heading}\n\n{body}\n"
    return [q for q in questions(text, title) if q != f"What is {title}?"]


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Recover a snapshot", "recover a snapshot"),
        ("Close the sandbox vault", "close the sandbox vault"),
        ("Formatting text", "format text"),
        ("Writing CSS for Obsidian", "write CSS for Obsidian"),
        ("Opening the sandbox vault", "open the sandbox vault"),
        ("Dragging from outside Obsidian", "drag from outside Obsidian"),
        ("Customize your reading view", "customize my reading view"),
        ("View a file", "view a file"),  # "view" before a determiner is a verb
        ("Log in", "log in"),
        ("Import OneNote files", "import OneNote files"),  # a name, then lower-case words
        ("Sync changes between collaborators", "sync changes between collaborators"),
        ("Open or reopen tabs", "open or reopen tabs"),
        ("Automatically select data to publish", "automatically select data to publish"),
        # not tasks: a noun a gerund describes, a noun-noun name, one word
        ("Reading view", None),
        ("Editing shortcuts", None),
        ("Turning point", None),
        ("View settings", None),
        ("Sync history", None),
        ("Search terms", None),
        ("Use cases", None),
        ("Being especially unpleasant", None),
        ("Install", None),
    ],
)
def test_a_task_is_a_verb_then_its_object_and_only_where_the_verb_is_certain(heading: str, expected: str | None) -> None:
    assert task(heading) == expected


def test_a_word_the_page_says_as_a_verb_leads_a_task() -> None:
    page = "You can limit the total number of tasks. To resize a tab group, drag its edge. Sync runs in the background; to sync the vault, sign in. Then commit the changes."
    assert task("Limit total number of tasks", page, said=page) == "limit total number of tasks"
    assert task("Resize a tab group", page, said=page) == "resize a tab group"
    assert task("Limit total number of tasks", page) is None  # (a page's title: a thing's name more often)
    assert task("Limit total number of tasks", "The limit is 50 tasks.", said="The limit is 50 tasks.") is None  # said as a noun only
    assert task("Sync behavior", page, said=page) is None  # a word that is a noun as often, before one other word
    assert task("Commit 1: Add new plugins", page, said=page) is None  # a label's number is no object


def test_a_gerund_has_a_base_form_only_when_exactly_one_regular_form_is_a_known_verb() -> None:
    assert [gerund_base(w) for w in ("formatting", "writing", "dragging", "adding", "handling")] == ["format", "write", "drag", "add", "handle"]
    assert [gerund_base(w) for w in ("reading", "meeting", "string", "ing")] == [None, None, None, None]


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("How to use bases", "How do I use bases?"),
        ("When to use prompt variables", "When should I use prompt variables?"),
        ("What formulas can do", "What can formulas do?"),
        ("How Obsidian stores data", "How does Obsidian store data?"),
        ("How Obsidian Sync handles conflicts", "How does Obsidian Sync handle conflicts?"),
        ("When Markdown appears to work in HTML", "When does Markdown appear to work in HTML?"),
        ("What gets imported", "What gets imported?"),
        ("What is Obsidian", "What is Obsidian?"),
        ("How plugins work", None),  # a plural subject and a bare verb: no certain rule, no question
        ("What This Wiki Covers", None),  # "this" opens the subject; it is no verb as "gets" is
        ("What its settings do", "What do its settings do?"),
        ("What the Steps Page Has", "What does the Steps Page have?"),
    ],
)
def test_a_heading_led_by_a_question_word_becomes_a_direct_question(heading: str, expected: str | None) -> None:
    assert wh_question(heading) == expected


def test_navigation_headings_ask_nothing() -> None:
    for heading in ("Learn more", "See also", "Related", "Next steps", "Further reading", "References", "Frequently asked questions"):
        assert section("Graph view", heading) == [], heading



def test_a_heading_that_is_only_an_adjective_asks_nothing() -> None:
    # a details view's groups ("General", "Advanced"): "What is Warning Info's general?" is no question
    for heading in ("General", "Advanced"):
        assert section("Warning Info", heading, "- Outcome Type: Displays the selected outcome type") == [], heading


def test_statements_ask_nothing() -> None:
    for heading in (
        "Syncing is not a backup",
        "Obsidian does not open",
        "No content appears in Obsidian",
        "Sync deleted a note I just created on two devices",
        "Your own toolkit",
        "On iPhone",
        "As director",
        "Figuring out your hierarchies",  # a gerund whose base form no rule knows, with its particle
        "Dealing with test failures",
    ):
        assert section("Graph view", heading) == [], heading


def test_a_task_title_is_not_a_place_and_a_question_that_names_the_page_stands_alone() -> None:
    assert section("Create your first note", "Formatting text") == ["How do I format text?"]
    assert section("Create your first note", "Create a new note") == ["How do I create a new note?"]
    assert section("Create your first note", "Learn more") == []
    assert section("Themes", "Install a new theme") == ["How do I install a new theme?"]
    assert section("Ribbon", "Customize the ribbon") == ["How do I customize the ribbon?"]
    assert section("File recovery", "Recover a snapshot") == ["How do I recover a snapshot in File recovery?"]
    assert section("Obsidian Headless", "Log in") == ["How do I log in to Obsidian Headless?"]


def test_a_heading_that_repeats_the_title_is_asked_without_the_possessive() -> None:
    assert section("Callouts", "Foldable callouts") == ["What are foldable callouts?"]
    assert section("Daily notes", "Daily notes and properties") == ["How do Daily notes work with properties?"]


def test_a_heading_keeps_one_casing_and_a_link_to_it_is_no_evidence_of_a_name() -> None:
    text = (
        "# Callouts\n\nTo see all types, refer to [[#Supported types]].\n\n"
        "## Supported types\n\nYou can use several types.\n\n## Foldable callouts\n\nYou can fold them.\n\n"
        "## Sync with OneDrive\n\nIt works.\n"
    )
    found = list(questions(text, "Callouts"))
    assert found == ["What are Callouts' supported types?", "What are foldable callouts?", "How do I sync with OneDrive in Callouts?"]


def test_a_title_that_joins_words_is_a_place_not_a_possessive() -> None:
    assert section("Help and support", "Community forum") == ["What is the community forum in Help and support?"]
    assert section("Graph view", "Filters") == ["What are Graph view's filters?"]
    assert section("Developers", "Open source projects") == ["What are Developers' open source projects?"]


def test_a_task_on_a_page_whose_title_joins_words_is_asked_without_the_title() -> None:
    # "How do I add a site password in Security and privacy?": a topic is no place a task is done in
    assert section("Security and privacy", "Add a site password") == ["How do I add a site password?"]
    assert section("Plans and storage limits", "Upgrade your plan") == ["How do I upgrade my plan?"]
    assert section("File recovery", "Recover a snapshot") == ["How do I recover a snapshot in File recovery?"]


@pytest.mark.parametrize("title", ["Frequently asked questions", "FAQ", "Glossary", "README", "00 - Start here", "index", "log"])
def test_a_title_that_names_a_kind_of_page_is_no_thing_to_ask_about(title: str) -> None:
    text = f"# {title}\n\nSee [[Sync]] for syncing.\n\n## Embed\n\nAn embed shows one note inside another.\n\n## Create a new note\n\nUse the menu.\n"
    sync = Passage("Sync", "# Sync\n\nSync is a service that keeps your notes in step.\n")
    found = [qa.question for qa in generate([Passage(title, text), sync])]
    assert not [q for q in found if title.casefold() in q.casefold()]  # no "How is Glossary connected to Sync?", no "Glossary's embed"
    assert "How do I create a new note?" in found


def test_a_standalone_thing_gets_the_article_the_page_gives_it() -> None:
    body = "The metadata cache speeds up the vault."
    assert section("How Obsidian stores data", "Metadata cache", body) == ["What is the metadata cache?"]
    assert section("How Obsidian stores data", "Tag format", "Tags are words.") == ["What is tag format?"]


def test_an_introduction_is_about_its_subject() -> None:
    text = "# Introduction to Bases\n\nBases is a core plugin that lets you create views.\n\n## How to use bases\n\nOpen a base.\n"
    assert list(questions(text, "Introduction to Bases")) == ["What is Bases?", "How do I use bases?"]


def test_a_page_defined_by_the_head_of_its_title_is_asked_by_its_title() -> None:
    text = "# Cards view\n\nCards is a type of view you can use in Bases.\n"
    assert questions(text, "Cards view") == {"What is Cards view?": "Cards is a type of view you can use in Bases. [[Cards view]]"}


def test_an_answer_never_quotes_a_question() -> None:
    text = (
        "# Callouts\n\n## Nested callouts\n\n> [!question] Can callouts be nested?\n> > [!todo] Yes!, they can.\n\n"
        "You can nest callouts in multiple levels. No other syntax is needed.\n"
    )
    found = questions(text, "Callouts")
    assert found == {"What are nested callouts?": "You can nest callouts in multiple levels. No other syntax is needed. [[Callouts#Nested callouts]]"}
    assert not [a for a in found.values() if "?" in a]


def test_labels_of_list_items_and_callouts_are_not_facts_about_the_page() -> None:
    text = (
        "# Style guide\n\n## Optimization\n\nUse a tool:\n\n- **Windows:** FileOptimizer\n- **macOS:** ImageOptim\n\n"
        "> **Asia**: Singapore\n\n**Founded:** 2020\n"
    )
    found = questions(text, "Style guide")
    assert "When was Style guide founded?" in found
    assert not [q for q in found if "windows" in q.casefold() or "macos" in q.casefold() or "asia" in q.casefold()]


def test_a_task_title_asks_no_generic_fact_and_no_connection() -> None:
    text = "# Sync your notes across devices\n\n**Recommended systems**: Windows\n\nUse [[Sync]] for this.\n"
    sync = Passage("Sync", "# Sync\n\nSync is a service that keeps your notes in step.\n")
    found = [qa.question for qa in generate([Passage("Sync your notes across devices", text), sync])]
    assert found == []


def test_a_clause_heading_names_the_page_where_it_leaves_it_unsaid() -> None:
    text = "# Data Provenance\n\n## Why the Observatory cares\n\nLong records.\n\n## How Cobalt enforces it\n\nBy hashes.\n"
    assert list(questions(text, "Data Provenance")) == [
        "Why does the Observatory care about Data Provenance?",
        "How does Cobalt enforce Data Provenance?",
    ]


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("What It Does", "What does Checkpoint do?"),
        ("What it does", "What does Checkpoint do?"),
        ("Why It Matters", "Why does Checkpoint matter?"),
        ("What It Has", "What does Checkpoint have?"),
        ("Where it is kept", "Where is Checkpoint kept?"),
        ("What it can do", "What can Checkpoint do?"),
        ("What it did", "What did Checkpoint do?"),
        ("How It Watches files", "How does Checkpoint watch files?"),
    ],
)
def test_a_clause_heading_in_any_casing_asks_with_the_verb_s_base_form(heading: str, expected: str) -> None:
    assert section("Checkpoint", heading) == [expected]


def test_what_frames_a_heading_or_a_title_is_not_part_of_the_question() -> None:
    assert section("🗂️ Templates", "3. Updating a template") == ["How do I update a template?"]
    assert section("🗂️ Snippets", "3. Updating a template") == ["How do I update a template in Snippets?"]
    assert section("Snippets", "Step 3 — Update a template") == ["How do I update a template in Snippets?"]  # a guide's step heading
    assert section("Snippets", "Step 6 — Improve the resulting mesh") == ["How do I improve the resulting mesh?"]
    assert section("Prism", "Original Inspiration ✨") == ["What is Prism's Original Inspiration?"]
    assert section("Testing code", "Scenario: Test passes") == []


def test_a_gerund_in_title_case_is_a_name_and_a_fragment_title_is_no_place() -> None:
    assert task("Linking Your Thinking") is None and task("Getting Things Done") is None
    assert section("for Knowledge Management", "People management") == ["What is people management?"]
    assert section("2022-10-01: Pandoc", "Plugin news") == ["What is the plugin news in 2022-10-01: Pandoc?"]
    assert section("Obsidian Hub", "Who is this for?") == ["Who is Obsidian Hub for?"]
    assert section("Plugins with custom views", "Plugins in this category") == []


def test_one_part_of_the_page_s_subject_is_asked_with_the_article() -> None:
    text = "---\naliases: [the Shelf]\n---\n# Greywater Shelf\n\nIntro line\n\n## Inner shelf\n\nFrom the shoreline to 15 m.\n"
    assert list(questions(text, "Greywater Shelf")) == ["What is the inner shelf?"]


def test_a_source_is_asked_what_it_says_even_under_a_labelled_heading() -> None:
    text = "---\ntags: [source]\n---\n# Trial Log\n\nIntro line\n\n## Phase 1: harbour trials\n\nThe rover ran.\n\n## Aboard the Tern\n\nCold.\n"
    assert list(questions(text, "Trial Log")) == ["What does Trial Log say about Phase 1: harbour trials?"]


def test_a_title_in_title_case_names_a_thing_unless_its_words_are_names_in_the_text() -> None:
    plugin = "---\nplugin-id: change-case\n---\n# Change Case\n\nPlugin to let you change the case of the selection.\n\n## Settings\n\nNone.\n"
    assert list(questions(plugin, "Change Case")) == ["What is the plugin id of Change Case?", "What are Change Case's settings?"]
    update = "# Update Obsidian\n\nYou can update Obsidian from the settings.\n\n## Installer updates\n\nThey come rarely.\n"
    assert list(questions(update, "Update Obsidian")) == ["What are installer updates?"]


def test_a_task_shaped_name_keeps_the_facts_its_frontmatter_gives() -> None:
    text = "---\nplugin-id: copy-as-html\n---\n# Copy as HTML\n\nCopies the note as HTML.\n"
    assert list(questions(text, "Copy as HTML")) == ["What is the plugin id of Copy as HTML?"]


def test_a_gerund_before_a_name_the_page_writes_is_a_task() -> None:
    text = "# Obsidian Credit\n\nYou can give Obsidian Credit to a friend.\n\n## Receiving Obsidian Credit\n\nIt arrives by email.\n"
    assert list(questions(text, "Obsidian Credit")) == ["How do I receive Obsidian Credit?"]


def test_related_headings_and_function_word_keys_ask_nothing() -> None:
    assert section("Sediment Plumes", "Related concepts") == []
    assert list(questions("# Ines\n\n**Role:** director\n**Since:** 2019\n", "Ines")) == ["What does Ines do?"]


def test_an_unfinished_sentence_to_type_is_no_definition() -> None:
    text = (
        "# Link notes\n\nLinks connect notes.\n\n## Create a link\n\n"
        '1. Create a note named "Law of Inertia" with the following text:\n\n   > The Law of Inertia is one of the\n\n'
        "2. Press the left square bracket twice.\n\nThe Orbit Desk is the team that keeps the links working.\n"
    )
    asked = questions(text, "Link notes")
    assert "What is the Law of Inertia?" not in asked
    assert "What is the Orbit Desk?" in asked


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Mobile", ["How does Ribbon work on mobile?"]),
        ("Desktop", ["How does Ribbon work on desktop?"]),
        ("macOS", ["How does Ribbon work on macOS?"]),
        ("Desktop and larger tablets", ["How does Ribbon work on desktop and larger tablets?"]),
        ("Important", []),
        ("Warning", []),
    ],
)
def test_a_platform_or_a_callout_word_as_a_heading_is_no_possession_of_the_page(heading: str, expected: list[str]) -> None:
    assert section("Ribbon", heading) == expected


def test_a_written_answer_never_ends_announcing_what_it_does_not_quote() -> None:
    text = (
        "# Tabs\n\nTabs hold notes.\n\n## Open a new tab\n\n"
        "Next to the last tab, select **New tab**\u00a0![[lucide-plus.svg#icon]]. Or, use a keyboard shortcut:\n\n"
        "- **Windows and Linux:** `Ctrl+t`\n- **macOS:** `Cmd+t`\n\n"
        "## Netlify\n\nIn `netlify.toml`, configure redirects:\n\n```toml\n[[redirects]]\nfrom = \"/*\"\nto = \"https://example.org/:splat\"\nstatus = 200\n```\n"
    )
    asked = questions(text, "Tabs")
    assert asked["How do I open a new tab?"].startswith("Next to the last tab, select New tab. [[")
    assert not any(answer.split(" [[")[0].endswith(":") for answer in asked.values())


def test_an_llm_wiki_s_bookkeeping_properties_ask_nothing() -> None:
    text = (
        '---\ntitle: "TIGER"\ncategory: "model"\ncreated: "2026-04-08"\nconfidence: "high"\nstatus: "stable"\n'
        'related:\n  - "../concepts/semantic_id.md"\nfetched: "2026-04-08"\noriginal_url: "https://example.org/tiger"\nvenue: NeurIPS 2023\n---\n'
        "# TIGER\n\nTIGER is a generative retrieval model for recommendation.\n"
    )
    asked = questions(text, "TIGER")
    assert not [q for q in asked if any(word in q.casefold() for word in ("confidence", "related", "fetched", "original"))]
    assert any("venue" in q.casefold() for q in asked)


def test_an_english_template_writes_no_question_about_a_chinese_heading_or_a_page_s_maturity() -> None:
    text = (
        '---\ntitle: "TIGER"\nstatus: "stable"\nvenue: NeurIPS 2023\n---\n# TIGER\n\nTIGER is a generative retrieval model for recommendation.\n\n'
        "## 要点\n\n生成式检索用语义 ID 表示物品。\n\n## Results\n\nTIGER beats the baselines on three datasets.\n"
    )
    asked = questions(text, "TIGER")
    assert not [q for q in asked if "要点" in q or "status" in q.casefold()]
    assert "What is TIGER?" in asked and any("venue" in q.casefold() for q in asked)


def test_a_definition_that_introduces_a_list_is_written_as_a_sentence() -> None:
    text = "# Properties view\n\nProperties view is a core plugin that adds two sidebar views that you can use to manage Properties:\n\n- All properties\n- File properties\n"
    assert questions(text, "Properties view")["What is Properties view?"].startswith(
        "Properties view is a core plugin that adds two sidebar views that you can use to manage Properties. [["
    )


PLUGIN_PAGE = (
    "---\nplugin-id: obsidian-git\n---\n\n# Obsidian Git\n\n"
    "Plugin ID: `obsidian-git`\nLinks: [GitHub repository](https://github.com/x/obsidian-git)\n"
    "Developed by: [[denolehov]]\nMobile compatible: [[Mobile-compatible plugins|Yes]]\n\n"
    "Backup your vault with Git.\n"
)


def test_a_paragraph_of_key_value_lines_is_asked_fact_by_fact() -> None:
    # obsidian-hub's header: each line a fact, as Obsidian shows it (strict line breaks off)
    mobile = Passage("Mobile-compatible plugins", "# Mobile-compatible plugins\n\nThese plugins work on phones.\n")
    found = {qa.question: qa.answer for qa in generate([Passage("obsidian-git", PLUGIN_PAGE), mobile])}
    assert list(found) == ["What is the plugin id of Obsidian Git?", "Who developed Obsidian Git?", "Is Obsidian Git mobile compatible?"]
    assert found["Who developed Obsidian Git?"] == "Obsidian Git was developed by denolehov. [[obsidian-git]]"
    assert found["Is Obsidian Git mobile compatible?"] == "Yes, Obsidian Git is mobile compatible. [[obsidian-git]]"  # the link's text says yes


THEME_PAGE = "# Venom\n\nDesigned by: [[fatiger92|Fatiger]]\nModes: [[Dark-mode themes|dark]]\nPalette: [[Warm palettes]]\n\nA theme.\n"
LINKED = [
    Passage("Dark-mode themes", "# Dark-mode themes\n\nThemes with a dark background.\n"),
    Passage("fatiger92", "---\naliases:\n- Fatiger\n---\n# Fatiger Ninety-Two\n\nA theme designer.\n"),
    Passage("Warm palettes", "---\ntitle: Warm colour palettes\n---\n# Warm palettes\n\nReds and oranges.\n"),
]


def test_a_fact_whose_link_shows_other_words_is_answered_with_the_words_the_page_shows() -> None:
    found = {qa.question: qa.answer for qa in generate([Passage("Venom", THEME_PAGE), *LINKED])}
    # the category page is where to read more; the value the reader sees is "dark"
    assert found["What are the modes of Venom?"] == "The modes of Venom are dark. [[Venom]]"
    # a link that shows the page by one of its names (an alias here, none at all below) is that page, by its title
    assert found["Who designed Venom?"].startswith("Venom was designed by Fatiger Ninety-Two.")
    assert found["What is the palette of Venom?"].startswith("The palette of Venom is Warm colour palettes.")


def test_a_quoted_example_or_a_link_s_label_is_no_fact_and_one_line_is_prose() -> None:
    examples = "# Style guide\n\n## Mentions\n\nFirst mention: \"Learn about Sync to keep your vault updated.\"\nLater mention: \"You can configure Sync.\"\n"
    assert not [q for q in questions(examples, "Style guide") if "mention" in q.casefold()]
    assert not [q for q in section("Tern", "Crew", "Master: Henrik Saar") if "master" in q.casefold()]  # one `Key: value` line is a sentence


def test_a_key_ending_in_a_preposition_is_asked_as_english_or_not_at_all() -> None:
    page = "# Orion\n\nOrion is a plugin.\n\n**Available for:** Windows\n**Part of:** [[Sky Suite]]\n**Runs on:** Linux\n"
    asked = questions(page, "Orion")
    assert asked["What is Orion available for?"].startswith("Orion is available for Windows.")
    assert asked["What is Orion part of?"].startswith("Orion is part of Sky Suite.")
    assert not [q for q in asked if "runs on" in q.casefold() or " of of " in q]  # ("What is the runs on of Orion?")


def test_a_section_of_tags_alone_is_not_asked_about_and_empty_table_values_are_not_quoted() -> None:
    page = (
        "# Boots of Haste\n\n## Item Summary\n\n| Attribute | Value |\n|---|---|\n| Type | |\n| Rarity | Very Rare |\n| Value (gp) | - |\n\n"
        "## Description\n\nWhile you wear these boots, you can click your heels together to cast haste on yourself.\n\n"
        "## Tags\n\n^Tags: #item #rarity_very_rare #source_tdcsr\n"
    )
    asked = questions(page, "Boots of Haste")
    assert not [q for q in asked if "tags" in q.casefold()]
    assert asked["What is Item Summary in Boots of Haste?"].startswith("Rarity: Very Rare. [[")
    assert "What is the description in Boots of Haste?" in asked  # (a title with "of" takes "in", and a noun its article)
