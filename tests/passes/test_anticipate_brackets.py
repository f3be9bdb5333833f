"""A heading's brackets and quotation marks, in any script, are part of its words: the question
keeps both halves of a pair ("世界图书百科全书（World Book）" was asked "What is the 世界图书百科全书（World
Book?", its fullwidth closing bracket cut off as an edge symbol). Symbols that only decorate a heading
(an emoji, a numbering) still go."""

from __future__ import annotations

import pytest

from kbsleep.passes.heading_phrases import clean
from kbsleep.passes.offline_questions import generate
from kbsleep.llm.model import Passage


@pytest.mark.parametrize(
    ("heading", "cleaned"),
    [
        ("Encyclopedia（World Book）", "Encyclopedia（World Book）"),  # fullwidth parentheses
        ("《三体》", "《三体》"),  # book-title marks
        ("「引用」とは", "「引用」とは"),  # corner brackets
        ("“Quoted” words", "“Quoted” words"),  # curly quotes
        ("«Citation»", "«Citation»"),
        ("Pump (v2)", "Pump (v2)"),
        ("🗂️ Templates", "Templates"),  # an emoji before
        ("Original Inspiration ✨", "Original Inspiration"),  # and after
        ("3. Embed view", "Embed view"),
        ("—— 标题 ——", "标题"),  # dashes are no brackets
    ],
)
def test_a_heading_keeps_its_brackets(heading: str, cleaned: str) -> None:
    assert clean(heading) == cleaned


PAGE = """\
# Scott Fetzer

Scott Fetzer is a group of businesses.

## Encyclopedia（World Book）

World Book sells encyclopedias door to door and is the largest business of the group.
"""


def test_no_question_opens_a_bracket_it_does_not_close() -> None:
    questions = [qa.question for qa in generate([Passage("Scott Fetzer", PAGE)])]
    assert questions, "the page asks something"
    for question in questions:
        for opener, closer in ("（）", "()"):
            assert question.count(opener) == question.count(closer), question
