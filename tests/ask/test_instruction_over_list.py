"""A how-to is answered by the instruction that does its task, not by a nearby list about its
words (issue 19, answers that answer). Seen on an LLM-maintained wiki of software books: "How do
I document a reusable container's ports and parameters?" was answered with the list "reasonable
parameters include: the path to the TLS certificate; the port ...", when the best passage was
"Document each environment-variable parameter and give it a sensible default"; and "How should I
pass settings such as a port or certificate path into a sidecar container?" with the same list,
when the section "How to pass parameters" says "Burns prefers environment variables"."""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config


def _ask(root: Path, question: str):  # type: ignore[no-untyped-def]
    return ask(root, load_config(root), question, engine="offline", record=False)


def _fitting(steps_heading: str, instruction: str) -> dict[str, str]:
    return {
        "Bike fitting.md": (
            "# Bike fitting\n\n## 1. Measure the rider\n\nUseful measurements for a fit include:\n\n"
            "- The height of the saddle.\n- The reach to the bars.\n\n"
            f"### {steps_heading}\n\n{instruction}\n\n## 2. Ride\n\nRide a week between changes.\n"
        ),
        "Saddles.md": "# Saddles\n\nSaddle height sets the knee angle; a saddle too high rocks the hips.\n",
        "Bars.md": "# Bars\n\nThe bar height sets the back angle.\n",
    }


def test_an_instruction_opening_with_the_task_s_verb_answers_over_a_list_of_the_question_s_words(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(_fitting("Small steps", "Tune the saddle height and the bar reach in small steps: `saddle +5 mm`, then a week of riding."))
    answer = _ask(root, "How do I tune measurements such as the saddle height or the bar reach on my bike?")
    assert answer.found and "`saddle +5 mm`" in answer.text
    assert "Useful measurements for a fit include" not in answer.text


def test_the_passage_under_a_how_to_heading_for_the_task_answers_over_a_list_of_the_question_s_words(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(_fitting("How to tune measurements", "Most fitters move the saddle height and the bar reach in small steps: `saddle +5 mm`, then a week of riding."))
    answer = _ask(root, "How should I tune measurements such as the saddle height or the bar reach on my bike?")
    assert answer.found and "`saddle +5 mm`" in answer.text
    assert "Useful measurements for a fit include" not in answer.text


def test_a_passage_that_only_mentions_the_task_leaves_the_list_its_place(make_repo) -> None:  # type: ignore[no-untyped-def]
    # "Most fitters move ..." under "Small steps" is no instruction of the task: the list answers, as before
    root = make_repo(_fitting("Small steps", "Most fitters move the saddle height and the bar reach in small steps: `saddle +5 mm`, then a week of riding."))
    answer = _ask(root, "How should I tune measurements such as the saddle height or the bar reach on my bike?")
    assert answer.found and "Useful measurements for a fit include" in answer.text


STEPS = """\
# Bottling cider

## Bottle the cider

Bottle the cider once the gravity stops falling:

1. Sanitise the bottles.
2. Add a teaspoon of sugar to each bottle.
3. Fill and cap.
"""


def test_an_instruction_announcing_its_own_steps_keeps_them(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Bottling cider.md": STEPS})
    answer = _ask(root, "How do I bottle cider?")
    assert answer.found and "Sanitise the bottles." in answer.text and "Fill and cap." in answer.text
