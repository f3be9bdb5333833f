"""A name the question uses that the answer does not hold: when the name is specific (in at most a
fifth of the pages), the answer is about something else (issue 19, abstain when the wiki is silent)."""

from __future__ import annotations

from kbsleep.search.abstain import decide
from kbsleep.search.extract import Pick
from kbsleep.search.question import analyse

QUESTION = analyse("Who is the lecturer of IN4120?")


def _pick(missing: tuple[str, ...], coverage: float = 0.55) -> Pick:
    # "lectures" holds "lecturer" (a rarer word than the course's code): 55% of the question
    return Pick(units=(), text="The lectures also use the Unique Name Assumption.", sources=("IN4060/Obligatory 5#Exercise",),
                coverage=coverage, own=coverage, cosine=0.6, form=True, best=0.5, missing=missing)  # fmt: skip


def test_an_answer_without_a_name_in_a_fifth_of_the_pages_or_fewer_is_no_answer() -> None:
    frequency = {"lecturer": 14, "in4120": 22}  # the course's code names 22 of 174 pages (its folder)
    verdict = decide(QUESTION, _pick(("in4120",)), frequency, {}, 174, 0.5, True)
    assert (verdict.found, verdict.reason) == (False, "no passage that answers mentions IN4120")


def test_a_name_on_most_pages_need_not_be_in_the_answer() -> None:
    frequency = {"lecturer": 14, "in4120": 60}  # on a third of the pages: the wiki's own subject
    assert decide(QUESTION, _pick(("in4120",)), frequency, {}, 174, 0.5, True).found
    assert decide(QUESTION, _pick(()), {"lecturer": 14, "in4120": 22}, {}, 174, 0.5, True).found
    assert decide(QUESTION, _pick(("in4120",), coverage=0.7), {"lecturer": 14, "in4120": 22}, {}, 174, 0.5, True).found  # most of the question
