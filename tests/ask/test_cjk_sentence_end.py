"""A quoted sentence that ends with a CJK full stop gets no second, Latin one ("。." was seen on
every answer of a public Chinese LLM wiki)."""

from __future__ import annotations

from kbsleep.llm.model import Passage
from kbsleep.search.extract import pick
from kbsleep.search.question import analyse

PAGE = "喜诗糖果由玛丽·喜于一个世纪前在洛杉矶创立。\n\n1972年，巴菲特和芒格收购了喜诗糖果。\n"


def test_a_sentence_ending_in_a_cjk_full_stop_keeps_it_alone() -> None:
    found = pick(analyse("伯克希尔在哪一年收购了喜诗糖果？"), [Passage("喜诗糖果", PAGE)], {})
    assert found is not None
    assert "1972" in found.text
    assert "。." not in found.text and found.text.endswith("。")
