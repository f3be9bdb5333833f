"""Notes taken as questions: a list item that asks ("- How do I pause the render?") is answered
by the items nested under it ("    - Press Ctrl+Z"), as an FAQ's paragraph answers its question.
The answer rarely repeats the question's words, so the asking item is its lead. A question,
quoted or emphasised as an exam prompt writes it ("- "Why does 2PC block?""), answers nothing."""

from __future__ import annotations

from kbsleep.llm.model import Passage
from kbsleep.search.extract import pick
from kbsleep.search.question import analyse
from kbsleep.search.units import asks, units

RENDERING = """\
# Rendering

When a render runs in the foreground:

- It holds the terminal
- How do I pause the render?
    - Press Ctrl+Z
    - The farm keeps the frames done so far
- How do I resume it?
    - Run `resume` in the same shell
        - it picks up at the next frame
- Renders log to `render.log`
"""


def test_items_nested_under_an_asking_item_take_it_as_their_lead() -> None:
    found = [(u.text, u.lead) for u in units("Rendering", RENDERING) if u.kind == "item"]
    assert found == [
        ("It holds the terminal", "When a render runs in the foreground:"),
        ("How do I pause the render?", "When a render runs in the foreground:"),
        ("Press Ctrl+Z", "How do I pause the render?"),
        ("The farm keeps the frames done so far", "How do I pause the render?"),
        ("How do I resume it?", "When a render runs in the foreground:"),
        ("Run `resume` in the same shell", "How do I resume it?"),
        ("it picks up at the next frame", "How do I resume it?"),  # deeper still: the same question
        ("Renders log to `render.log`", "When a render runs in the foreground:"),  # back out: the list's lead again
    ]


def test_in_a_callout_too_and_a_heading_ends_the_question() -> None:
    text = "> [!faq] Shortcuts\n> - Which key saves?\n>     - Ctrl+S\n\n## Other\n\n- Unrelated\n    - nested\n"
    assert [(u.text, u.lead) for u in units("Keys", text) if u.kind == "item"] == [
        ("Which key saves?", "Shortcuts"),
        ("Ctrl+S", "Which key saves?"),
        ("Unrelated", "Other"),
        ("nested", "Other"),  # under a statement, an item keeps its list's lead
    ]


def test_the_item_under_the_asked_question_is_picked_though_it_repeats_none_of_its_words() -> None:
    passages = [
        Passage("Rendering", RENDERING),
        Passage("Farm", "# Farm\n\nThe farm pauses a render when a node overheats, and the render resumes by itself.\n"),
    ]
    asked = analyse("How do I pause the render?")
    found = pick(asked, passages, {t: 1.0 for t in asked.terms})
    assert found is not None and found.text.startswith("- Press Ctrl+Z")


def test_a_question_quoted_or_emphasised_still_asks() -> None:
    assert [asks(t) for t in ('"Why does 2PC block?"', "**Why is it slow?**", "“What is X?”", "(see: why?)", "It blocks.", '"It blocks."')] == [
        True, True, True, True, False, False,
    ]  # fmt: skip


def test_an_exam_prompt_in_quotes_is_no_answer() -> None:
    text = (
        "# Two-phase commit\n\n## Trade-offs\n\n"
        "- Blocks if the coordinator crashes after the participants voted yes: they hold their locks.\n\n"
        "## Common exam framing\n\n"
        '- "What happens if the coordinator crashes after the participants voted yes?"\n'
        '- "Why does two-phase commit sacrifice availability?"\n'
    )
    asked = analyse("What happens if the coordinator crashes after the participants voted yes?")
    found = pick(asked, [Passage("Two-phase commit", text)], {t: 1.0 for t in asked.terms})
    assert found is not None and found.text.startswith("Blocks if the coordinator crashes")
