"""Questions worded as the page writes its words (issue 20, seen on Obsidian's help vault; the cases
here are of our own): a name the page writes capitalised in a phrase keeps its capital ("What is
git?" was asked on a page writing "a Git repository"), a heading that repeats a word of the title is
asked without the title's possessive ("Catalyst license's Catalyst tiers"), one thing takes the
article the page writes it with ("What is mobile toolbar?"), a topic written in lower case and never
counted is no place ("apply for an exemption in sales tax"), and a label on a task's page says
whose task it labels ("What is supported content?" on every importer's page)."""

from __future__ import annotations

from kbsleep.llm.model import Passage
from kbsleep.passes.offline_questions import generate


def questions(text: str, name: str) -> list[str]:
    return [qa.question for qa in generate([Passage(name, text)])]


BACKUPS = """\
# Back up your recipes

Keep a copy of your recipe box somewhere other than your laptop.

## Fossil

Fossil is a version control system with a wiki of its own. Create a Fossil repository for the recipe box and commit after each change.

## Archive

Archive is the folder where old copies go. Open the menu and choose Archive.
"""


def test_a_one_word_name_written_in_a_phrase_keeps_its_capital() -> None:
    asked = questions(BACKUPS, "Back up your recipes")
    assert "What is Fossil?" in asked
    assert "What is fossil?" not in asked


def test_a_heading_written_alone_as_a_label_is_lowered() -> None:
    asked = [q for q in questions(BACKUPS, "Back up your recipes") if "rchive" in q]
    assert asked and all("Archive" not in q for q in asked)


def test_a_heading_set_off_in_bold_mid_sentence_is_a_label() -> None:
    # "an **Archive** folder": the app's label, though it stands in a phrase
    text = BACKUPS.replace("choose Archive.", "choose an **Archive** folder.")
    asked = [q for q in questions(text, "Back up your recipes") if "rchive" in q]
    assert asked and all("Archive" not in q for q in asked)


HARBOR = """\
# Mooring fees

Mooring fees are what a boat pays for each night at the quay.

## Mooring permits

Three permits cover a season: day, week and season.

## Mooring waiver

A fishing boat registered in the town can apply for a mooring waiver at the harbor office.

## Mooring

The rate is four crowns a night.
"""


def test_a_heading_repeating_a_title_word_is_asked_without_the_possessive() -> None:
    asked = questions(HARBOR, "Mooring fees")
    assert "What are mooring permits?" in asked
    assert not any("' mooring" in q.casefold() for q in asked)


def test_one_thing_takes_the_article_the_page_counts_it_with() -> None:
    asked = questions(HARBOR, "Mooring fees")
    assert "What is a mooring waiver?" in asked


def test_a_title_word_alone_as_a_heading_is_no_question() -> None:
    asked = questions(HARBOR, "Mooring fees")
    assert not any(q.casefold().rstrip("?").endswith(("is mooring", "' mooring")) for q in asked)


KILN = """\
# Kiln room

The kiln room is where pieces are fired.

## Loading shelf

Loading shelf is a rack beside the kiln. Stack bisque ware on the loading shelf before a firing.
"""


def test_a_thing_the_page_writes_with_the_takes_the() -> None:
    asked = questions(KILN, "Kiln room")
    assert "What is the loading shelf?" in asked


GLAZES = """\
# Glaze chemistry

A glaze is glass melted onto a pot. Most potters learn glaze chemistry from a recipe book.

## Adjust a recipe

Weigh each oxide and compare the flux to the silica.
"""


def test_a_topic_written_in_lower_case_and_never_counted_is_no_place() -> None:
    asked = questions(GLAZES, "Glaze chemistry")
    assert "How do I adjust a recipe?" in asked
    assert not any(q.endswith("in glaze chemistry?") for q in asked)


def test_a_thing_the_page_counts_is_a_place() -> None:
    text = GLAZES.replace("learn glaze chemistry from a recipe book", "open a glaze chemistry. They learn from a recipe book")
    assert "How do I adjust a recipe in glaze chemistry?" in questions(text, "Glaze chemistry")


SHORTCUTS = """\
# Shortcuts

Every command can have a key of its own. The file is kept at config/shortcuts in your vault.

## Fix the save key

Press the new keys while the old binding is selected.
"""


def test_a_path_is_not_the_page_writing_its_title() -> None:
    asked = questions(SHORTCUTS, "Shortcuts")
    assert "How do I fix the save key?" in asked


IMPORT = """\
# Import from Quillpad

Notes you write in Quillpad can be exported as a folder of JSON files.

## Supported content

The importer reads notes, checklists and pinned images. Voice memos are left out.

## Nested notebooks

Nested notebooks become folders; the importer keeps nested notebooks in order.
"""


def test_a_label_on_a_task_page_says_whose_task_it_labels() -> None:
    asked = questions(IMPORT, "Import from Quillpad")
    assert "What is supported content when I import from Quillpad?" in asked
    assert "What is supported content?" not in asked


def test_a_thing_the_task_page_names_in_its_sentences_stands_alone() -> None:
    asked = questions(IMPORT, "Import from Quillpad")
    assert "What are nested notebooks?" in asked


def test_a_generic_word_of_the_title_keeps_the_possessive() -> None:
    # "Setup" alone would not say whose: the page's name says it
    text = "# Tidal Drift Model\n\nThe Tidal Drift Model predicts where a lost net ends up.\n\n## Model Setup\n\nThree inputs: the tide table, the wind and the hour the net was lost.\n"
    assert "What is Tidal Drift Model's Model Setup?" in questions(text, "Tidal Drift Model")


def test_a_thing_defined_in_passing_takes_the_article_the_page_writes() -> None:
    text = "# Weirs\n\nA weir holds water back. Spill flow is the water over its crest. We measure the spill flow daily.\n"
    assert "What is the spill flow?" in questions(text, "Weirs")


def test_the_former_and_the_latter_are_defined_by_the_sentence_before() -> None:
    text = "# Weirs\n\nA weir can be sharp-crested or broad-crested. The former is a weir with a thin plate edge. The latter is a weir with a flat top.\n"
    assert not any("former" in q or "latter" in q for q in questions(text, "Weirs"))
