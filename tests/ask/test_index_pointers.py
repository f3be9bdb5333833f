"""An index page's line describing another page ("- [[Line Continuations]]" over "Break long
instructions up across multiple lines") points to that page: when the page it points to was
retrieved above the index, the answer comes from that page, and the index's words for it still
say what that page is about. A yes-or-no question that mentions "how much" asks yes or no, and a
number word in a question ("the six types") counts, it asks nothing the wiki must write."""

from __future__ import annotations

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.question import analyse
from kbsleep.search.units import units

INDEX = """\
# About Queries

Queries find tasks across the vault.

## Advanced searching

- [[Combining Filters]]
  - Join several filters with AND, OR and NOT.
- [[Queries/Line Continuations|Line Continuations]]
  - Break long instructions up across multiple lines for readability.
"""

CONTINUATIONS = """\
# Line Continuations

## Wrap long lines in queries

A backslash at the very end of a query line continues that line on the next one.
Indent the continued lines so the structure of the query stays clear.
"""

COMBINING = """\
# Combining Filters

Write each filter in brackets and join them with AND, OR or NOT.
"""

DATES = """\
# Task fields

Each task may carry a due date, written after the due emoji as a calendar date.

## See also

- [[Filename Dates]] for how to take the scheduled date of the tasks in a daily note from the note's file name.
"""

FILENAME = """\
# Filename Dates

Turn on 'Use filename as scheduled date' in the settings and restart the app.
The tasks of a daily note named after a date are then scheduled on the date in its file name.
"""

TYPES = """\
# Status Types

Each status has a type, one of a set of 4 possible types:

- TODO
- DONE
- CANCELLED
- NON_TASK
"""


def test_a_nested_item_under_a_link_only_item_points_to_that_page() -> None:
    found = {u.text: u for u in units("About Queries#Advanced searching", INDEX)}
    assert found["Break long instructions up across multiple lines for readability."].links == ("line continuations",)
    assert found["Join several filters with AND, OR and NOT."].links == ("combining filters",)
    assert found["Line Continuations"].links == ("line continuations",)
    assert found["Queries find tasks across the vault."].links == ()


def test_an_item_opening_with_a_link_points_to_it_prose_mentioning_one_does_not() -> None:
    text = (
        "[[Evra Coast Observatory]] was established with her as director, see [[Founders]].\n\n"
        "- [[Filename Dates]] for how to take the date from the file name.\n"
        "- Sorted by [[Urgency]] first.\n"
        "- ![[chart.png]] shows the order.\n"
    )
    found = {u.text: u.links for u in units("Sorting", text)}
    assert found == {
        "Evra Coast Observatory was established with her as director, see Founders.": (),
        "Filename Dates for how to take the date from the file name.": ("filename dates",),
        "Sorted by Urgency first.": (),
        "shows the order.": (),
    }


def test_the_answer_comes_from_the_page_an_index_points_to(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Queries/About Queries.md": INDEX, "Queries/Line Continuations.md": CONTINUATIONS, "Queries/Combining Filters.md": COMBINING})
    answer = ask(root, load_config(root), "How do I break a long query line over several lines?", engine="offline", record=False)
    assert answer.found, answer.why  # "break" is the index's word for what the page does
    assert "backslash" in answer.text
    assert [c.path for c in answer.citations][:1] == ["Queries/Line Continuations.md"]


def test_a_see_also_item_gives_way_to_the_page_it_names(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Task Fields.md": DATES, "Filename Dates.md": FILENAME})
    answer = ask(root, load_config(root), "How do I make the tasks in a daily note scheduled from the file name?", engine="offline", record=False)
    assert answer.found and [c.path for c in answer.citations] == ["Filename Dates.md"]


def test_a_pointer_stays_the_answer_when_its_page_was_not_retrieved_above_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Dates.md": DATES})  # [[Filename Dates]] is not written yet
    answer = ask(root, load_config(root), "How do I take the scheduled date from the file name of a daily note?", engine="offline", record=False)
    assert answer.found and "Filename Dates" in answer.text


def test_a_yes_or_no_question_mentioning_how_much_asks_yes_or_no() -> None:
    asked = analyse("Will the plugin track how much time I spend on each task?")
    assert (asked.kind, asked.form) == ("yesno", None)
    assert (analyse("Can I set how long snapshots are kept?").kind, analyse("Can I set how long snapshots are kept?").form) == ("yesno", None)
    for question in ("How many days are snapshots kept?", "Can you tell me how many days snapshots are kept?"):
        assert (analyse(question).kind, analyse(question).form) == ("quantity", "duration")
    asked = analyse("Does Obsidian empty its trash folder after some days, and if so, after how many?")
    assert (asked.kind, asked.form) == ("quantity", "number")  # a clause of its own asks the number


def test_a_number_word_is_no_word_the_wiki_must_write(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Status Types.md": TYPES, "Dates.md": DATES})
    answer = ask(root, load_config(root), "What are the four status types?", engine="offline", record=False)
    assert answer.found and "CANCELLED" in answer.text
    answer = ask(root, load_config(root), "What are the four status colours?", engine="offline", record=False)
    assert not answer.found  # "colours" is still a word no page writes


VIEWS = """\
# Views

## Columns view

The `view columns` instruction displays matching tasks in columns.

## Drag and drop between columns

For example, if there is a column of overdue tasks:

- you cannot drop tasks into that column,
- you can drag tasks out of that column into another one.
"""


def test_a_how_to_sentence_holding_the_whole_question_is_not_traded_for_a_list_about_something_else(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Views.md": VIEWS})
    answer = ask(root, load_config(root), "How do I display matching tasks in columns?", engine="offline", record=False)
    assert answer.found and answer.text.startswith("The `view columns` instruction displays matching tasks in columns.")
    answer = ask(root, load_config(root), "How do I drag tasks out of a column?", engine="offline", record=False)
    assert answer.found and "- you can drag tasks out of that column into another one." in answer.text


def test_a_time_word_narrowing_a_noun_asks_that_noun_not_a_time() -> None:
    asked = analyse("What date format does the plugin accept?")
    assert (asked.kind, asked.form) == ("what", "format") and "date" in asked.terms
    for question in ("What date is the release?", "What day of the week is trash day?", "What date should I pick?"):
        assert (analyse(question).kind, analyse(question).form) == ("when", "date"), question
    assert (analyse("In which year did Cobalt ship?").kind, analyse("In which year did Cobalt ship?").form) == ("when", "year")  # a year, not any date


def test_a_how_to_in_some_format_asks_the_way_not_a_format() -> None:
    assert analyse("How do I write a due date in Dataview format?").form is None
    assert analyse("What format are exports saved in?").form == "format"
    assert analyse("Is the export in PDF format?").form == "format"
