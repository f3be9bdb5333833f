"""A question that sets a case ("... when my training data is very small?") is answered by the
unit of the page saying that case, when it scores close to the page's general answer: the general
answer ("Tune the learning rate on a held-out split ...") leaves out what was asked."""

from __future__ import annotations

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.conditions import case_words
from kbsleep.search.words import stem

PAGES = {
    "Training/Tuning.md": (
        "# Tuning\n\nTune the learning rate on a held-out split of the training data, then train the final model on all the training data.\n\n"
        "## Folds\n\nCross-validation tunes the learning rate on folds of the data and suits very small training sets.\n"
    ),
    "Training/Batches.md": "# Batches\n\nA small batch makes each step noisy but cheap.\n",
    "Training/Models.md": "# Models\n\nA small model trains fast and overfits less.\n",
}


def test_the_case_is_the_clause_after_when_or_if() -> None:
    assert case_words("How should I tune the learning rate when my training data is very small?") == {stem("training"), stem("data"), stem("small")}
    assert case_words("Can I sync a vault if it is encrypted, and how?") == {stem("encrypted")}
    assert case_words("When was the plugin released?") == set()  # a question of when sets no case


def test_the_unit_saying_the_case_answers_over_the_general_instruction(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(PAGES)
    answer = ask(root, load_config(root), "How should I tune the learning rate when my training data is very small?", engine="offline", record=False)
    assert answer.found and "Cross-validation tunes the learning rate" in answer.text


def test_without_a_case_the_general_instruction_answers(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(PAGES)
    answer = ask(root, load_config(root), "How should I tune the learning rate?", engine="offline", record=False)
    assert answer.found and "Tune the learning rate on a held-out split" in answer.text
