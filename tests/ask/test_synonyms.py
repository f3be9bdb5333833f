"""The synonym table: words and phrases folded into concepts, for retrieval and extraction."""

from __future__ import annotations

from kbsleep.search.match import concepts, mentions, synonym_groups
from kbsleep.search.retrieve import bm25_terms


def test_concepts_fold_synonyms_stems_and_filler() -> None:
    assert concepts("Who looks after Cobalt these days?") == ["maintain", "cobalt"]
    assert concepts("Who is Cobalt's maintainer nowadays?") == ["cobalt", "maintain"]
    assert concepts("What licence? What license? Licensed?") == ["licence"]


def test_groups_keep_the_asked_word_and_add_its_synonyms() -> None:
    found = synonym_groups("Who looks after Tokyo?")
    assert found[0][:3] == ["maintain", "maintainer", "maintenance"] and found[1] == ["tokyo"]


def test_a_question_names_a_page_only_by_a_whole_name() -> None:
    names = ("Kestrel Field Trial Log", "kestrel-log")
    assert mentions("What did the Kestrel field trial log record?", names)
    assert mentions("When was kestrel-log started?", names)
    assert not mentions("When did Kestrel fly?", names)


def test_bm25_searches_the_asked_word_and_another_spelling_of_it_not_its_synonyms() -> None:
    assert bm25_terms("Which license does Cobalt use?")[:2] == ["license", "licence"]
    assert bm25_terms("How do I stop a folder from syncing?") == ["stop", "folder", "syncing", "exclude"]  # not "end"; the verb "stop ... from" stands for
    assert bm25_terms("Who looks after Tokyo?") == ["maintain", "maintainer", "tokyo"]  # a phrase is its concept


def test_a_text_s_stems_are_each_of_its_words_stemmed() -> None:
    from kbsleep.search.words import stem, stems, tokenize

    for text in ("Snapshots, snapshot and snapshotting: the snapshots meet.", "The Templater plugin's templates", "", "the and of", "東京 tower Über ÜBER"):
        assert stems(text) == {stem(w) for w in tokenize(text)}
    assert stems("Snapshots, snapshot and snapshotting") == {"snapshot"}
