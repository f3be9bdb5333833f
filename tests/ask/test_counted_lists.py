"""A question asking for a number of things by name ("Which four conditions cause a deadlock?")
is answered with the list that holds them, not with the one item closest to its words: the
sentence leading the list counts the things, or the list has as many items as asked."""

from __future__ import annotations

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.counts import listed
from kbsleep.search.words import stem

FERMENTATION = (
    "# Fermentation\n\nA batch of beer goes wrong for many reasons. It spoils when three conditions are met:\n\n"
    "1. The wort is left uncovered after boiling.\n2. Wild yeast reaches the wort while it cools.\n"
    "3. The fermenter stays warmer than 25 degrees for days.\n\nA clean fermenter avoids most of this.\n"
)
PAGES = {"Brewing/Fermentation.md": FERMENTATION, "Brewing/Hops.md": "# Hops\n\nHops add bitterness to the beer and keep it fresh for longer.\n"}
WHOLE = ("It spoils when three conditions are met:", "The wort is left uncovered", "Wild yeast reaches the wort", "The fermenter stays warmer")


def test_a_question_names_the_number_of_things_it_asks_for() -> None:
    assert listed("Which four conditions cause a deadlock?") == (4, stem("conditions"))
    assert listed("What are the 3 states of a client?") == (3, stem("states"))
    assert listed("How many states can a client be in?") is None  # asks the number, not the things
    assert listed("What does a semaphore's P operation do?") is None


def test_the_things_asked_for_are_the_whole_list_the_lead_counts(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(PAGES)
    answer = ask(root, load_config(root), "Which three conditions must hold, with wild yeast reaching the wort while it cools?", engine="offline", record=False)
    assert answer.found and all(part in answer.text for part in WHOLE)


def test_a_list_of_as_many_items_as_asked_holds_the_things_in_other_words(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(PAGES)
    answer = ask(root, load_config(root), "Which three things, like wild yeast reaching the cooling wort, ruin a batch?", engine="offline", record=False)
    assert answer.found and all(part in answer.text for part in WHOLE)


def test_one_item_answers_a_question_asking_for_one_thing(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(PAGES)
    answer = ask(root, load_config(root), "What happens when wild yeast reaches the wort while it cools?", engine="offline", record=False)
    assert answer.found and "Wild yeast reaches the wort" in answer.text and "The fermenter stays warmer" not in answer.text
