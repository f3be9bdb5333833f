"""Shapes of questions and pages the tuned vaults lacked, met on a D&D vault and a 4,600-page
LLM-written security wiki: a question that sets a scene before it asks, a count asked by "how
many", an infobox written as a two-column table, a stat block that names an attribute by its
acronym, a row picked by its level, a named page found by its title alone, a length in bits, and
a plural no suffix rule undoes."""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.alike import acronym_of
from kbsleep.search.counts import counted, counts
from kbsleep.search.facts import fact_key
from kbsleep.search.index import Index
from kbsleep.search.question import analyse, answers_form
from kbsleep.search.retrieve import retrieve
from kbsleep.search.rows import picked, picks
from kbsleep.search.units import Unit
from kbsleep.search.words import stem


WORDS_ONLY = {"kbsleep.toml": '[embeddings]\nbackend = "off"\n'}  # the words decide, not a vector model's closeness


def _ask(root: Path, question: str) -> str:
    return ask(root, load_config(root), question, engine="offline", record=False).text


# -- a scene set before the question -------------------------------------------------------------


def test_a_clause_of_time_or_condition_before_the_comma_does_not_make_the_question_one_of_when() -> None:
    howto = analyse("When my kettle is cold, how do I brew the tea?")
    assert (howto.kind, howto.form) == ("howto", None)
    assert analyse("If I lose my library card, can I still borrow books?").kind == "yesno"
    assert analyse("Once the harvest ends, which crops are stored first?").kind == "which"
    assert analyse("Whenever the gate jams, what do I do?").kind == "what"


def test_a_question_of_when_stays_one() -> None:
    assert (analyse("When was the lighthouse built?").kind, analyse("When was the lighthouse built?").form) == ("when", "date")
    assert analyse("When did the ferry start running?").form == "date"  # no comma: no scene, the question itself


# -- counts -----------------------------------------------------------------------------------------


def test_how_many_counts_the_word_after_it() -> None:
    assert counted("How many levels of frost are there?") == stem("levels")
    assert counted("How many spell slots does a ranger get?") == stem("slots")
    assert counted("How many?") is None
    assert counts("Frost is measured in four levels.", stem("level"))
    assert counts("a boat with 3 spare oars", stem("oar"))
    assert not counts("the frost level drops below 1 at dawn", stem("level"))  # a number near the word counts nothing


FROST = """\
# Frost

## Description

Frost settles on anyone who sleeps outside in the high passes of the Ember Range without a fire.
A traveller whose frost level drops below 1 at dawn is no longer affected by frost at all.
Frost is measured in four levels.
"""


def test_a_count_of_the_thing_asked_answers_how_many_over_a_number_near_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Conditions/Frost.md": FROST, "Places/Ember Range.md": "# Ember Range\n\nA cold mountain range with high passes.\n", **WORDS_ONLY})
    assert _ask(root, "How many levels of frost are there?") == "Frost is measured in four levels."


# -- an infobox written as a table -----------------------------------------------------------------

MORROW = """\
# Morrow

## Description

Morrow is the favourite roast of the night-shift nurses at the harbour clinic.

## Summary

| Attribute | Value |
|-----------|-------|
| Origin | Highland estates |
| Roast | Dark |
"""


def test_a_row_of_a_two_column_table_is_a_fact_keyed_by_its_first_cell(make_repo) -> None:  # type: ignore[no-untyped-def]
    # (with the vectors: the sentence is closer in meaning, the fact's key is what is asked)
    root: Path = make_repo({"Coffee/Morrow.md": MORROW, "Coffee/Dawn Blend.md": "# Dawn Blend\n\nA light roast for filter brewing.\n"})
    assert _ask(root, "Which roast is Morrow?") == "Roast: Dark."


def test_a_row_of_a_wider_table_or_for_a_how_to_has_no_key() -> None:
    row = Unit("Morrow#Summary", "Roast: Dark", "row", 0, 1, "Attribute | Value")
    assert fact_key(row) == "Roast"
    assert fact_key(row, howto=True) is None  # "| `{{date}}` | Today's date |" names a thing, it says no way to do one
    assert fact_key(Unit("Morrow#Prices", "Size: 250 g; Price: 9 EUR", "row", 0, 1, "Size | Price | Stock")) is None


# -- a stat block's acronyms -----------------------------------------------------------------------

GLIMMERHAWK = """\
# Glimmerhawk

## Traits

The glimmerhawk is a bird of prey whose feathers shine in moonlight; falconers of the coast prize it.

## Taming

Taming a glimmerhawk is a challenge even for a skilled falconer.

## Habitat

Glimmerhawks nest on sea cliffs and hunt over the tidal flats at dusk.

## Stats

| CR | HP | AC |
|----|----|----|
| 1/2 | 11 | 13 |
"""


def test_an_acronym_in_a_section_spells_the_words_the_question_writes_out() -> None:
    assert acronym_of(["challenge", "rating", "glimmerhawk"], "| CR | HP | AC |")
    assert not acronym_of(["glimmerhawk", "feathers"], "| CR | HP | AC |")
    assert not acronym_of(["challenge", "rating"], "| cr | hp |")  # an acronym is written in capitals


def test_a_section_of_the_named_page_that_writes_the_asked_attribute_as_an_acronym_is_read(make_repo) -> None:  # type: ignore[no-untyped-def]
    # a context this small holds the page's first sections only: the stats come last on the page
    root: Path = make_repo({
        "Bestiary/Glimmerhawk.md": GLIMMERHAWK,
        "Rules/Challenge.md": "# Challenge\n\nA challenge rating says how hard a creature is for a party of four adventurers.\n",
        "Rules/Rating.md": "# Rating\n\nEach rating of a challenge is a number from 0 to 30.\n",
        "kbsleep.toml": '[embeddings]\nbackend = "off"\n\n[ask]\ncontext-tokens = 120\n',
    })  # fmt: skip
    assert _ask(root, "What is the challenge rating of a Glimmerhawk?") == "CR: 1/2; HP: 11; AC: 13."


# -- words --------------------------------------------------------------------------------------------


def test_a_length_in_bits_or_bytes_is_an_extent() -> None:
    assert analyse("How long is the salt used by Quillhash?").form == "extent"
    assert answers_form("extent", "Quillhash draws a 128-bit salt for each password.")
    assert answers_form("length", "The tag is 16 bytes long.")
    assert not answers_form("extent", "Quillhash draws a fresh salt for each password.")


def test_an_irregular_plural_meets_its_singular() -> None:
    assert stem("dice") == stem("die")
    assert stem("feet") == stem("foot")
    assert stem("indices") == stem("index")


def test_a_verb_ending_in_er_meets_its_other_forms() -> None:
    # ("enter" lost its "er" as an agent noun would, "entering" only its "ing": they never met)
    for forms in (("enter", "enters", "entered", "entering"), ("render", "renders", "rendering"), ("filter", "filtered", "filtering")):
        assert len({stem(form) for form in forms}) == 1, forms
    assert stem("users") == stem("user") == "user"  # (too short to lose its "er")


# -- a row picked by a number in one of its columns ------------------------------------------------

LAMPLIGHTER = """\
# Lamplighter

## Progression

| Level | Features | 1st | 2nd |
|-------|----------|-----|-----|
| 1 | Kindle | 2 | — |
| 2 | Wickcraft | 3 | — |
| 3 | Long Night | 4 | 2 |
"""


def test_an_ordinal_before_a_column_name_picks_the_row_holding_that_number() -> None:
    assert picks("Which feature does a lamplighter gain at 2nd level?") == ((stem("level"), "2"),)
    assert picks("What spells are there at level 3?") == ((stem("level"), "3"),)
    assert picks("What changed in version 1.2?") == ()  # a version is no row's number
    row = Unit("Lamplighter#Progression", "Level: 2; Features: Wickcraft; 1st: 3", "row", 0, 1, "Level | Features | 1st | 2nd")
    assert picked(row, ((stem("level"), "2"),)) is True
    assert picked(row, ((stem("level"), "3"),)) is False
    assert picked(row, ((stem("rank"), "2"),)) is None  # no such column: no say


def test_a_question_at_a_level_is_answered_by_that_levels_row(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Classes/Lamplighter.md": LAMPLIGHTER, "Classes/Warden.md": "# Warden\n\nA warden gains a hound at 1st level.\n", **WORDS_ONLY})
    assert _ask(root, "Which feature does a lamplighter gain at 2nd level?") == "Level: 2; Features: Wickcraft; 1st: 3."


# -- a named page found by its title alone ---------------------------------------------------------


def test_the_sections_of_a_short_named_page_found_by_its_title_alone_follow_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Classes/Lamplighter.md": LAMPLIGHTER, "Classes/Warden.md": "# Warden\n\nA warden keeps the gate.\n", **WORDS_ONLY})
    with Index(root, load_config(root)) as index:
        index.refresh()
        ranked = retrieve(index, analyse("What does a Lamplighter get?"), k=1)  # the search's one section: the title
    assert [hit.target for hit in ranked.hits] == ["Lamplighter#Lamplighter", "Lamplighter#Progression"]


def test_a_how_many_or_how_long_clause_after_another_question_word_is_what_it_asks_about() -> None:
    assert (analyse("Where can I see how long an operation took?").kind, analyse("Where can I see how long an operation took?").form) == ("where", None)
    assert analyse("Which setting limits how many files are synced?").form is None
    assert (analyse("How long does a wrap take?").form, analyse("How many steps are there?").kind) == ("duration", "quantity")
