"""FAQ answers: a passage under an FAQ's question ("### How long do you keep my data after my
subscription expires?", or "**Will I lose my data?**" in bold) answers that question, in words
that rarely repeat it ("We keep data ... for one month after your subscription expires.").

When the FAQ's question asks for the same kind of thing as the asked question (a duration for a
"how long" question, an amount of money for "how much does it cost"; `question.FORMS`), and the
answer under it holds one, that is strong evidence that it answers: stronger than a sentence
elsewhere sharing a few more words, and enough to say the passage is about the question when a
paraphrase shares few of its words.
"""

from __future__ import annotations

from functools import lru_cache

from kbsleep.search.question import Question, analyse, answers_form
from kbsleep.search.units import Unit, asks

ALIKE = 1.5  # a unit answering an FAQ's question that asks for the same form counts this much more


@lru_cache(maxsize=4096)
def _form(asked: str) -> str | None:
    return analyse(asked).form


def answers_alike(question: Question, unit: Unit) -> bool:
    """Whether `unit` answers an FAQ's question (its lead) that asks for the answer form
    `question` asks for, and holds one: "We keep data ... for one month ..." under "How long do
    you keep my data ...?" for "How long will my notes stay stored ...?"."""
    if question.form is None or unit.kind not in ("sentence", "item", "step") or not asks(unit.lead):
        return False
    return _form(unit.lead) == question.form and answers_form(question.form, unit.text)
