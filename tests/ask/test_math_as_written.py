"""Inline math is quoted as written: Obsidian renders `$...$` with MathJax from its LaTeX, so an
`_` there is a subscript and `\\{` a brace, never Markdown emphasis or an escape. An LLM wiki's
"filtration $(\\mathcal{F}_n)_{n \\geq 0}$" was quoted as "$(\\mathcal{F}n){n \\geq 0}$" (its
underscores taken for italics) and "$\\{-1, +1\\}$" as "${-1, +1}$"; text around the math is
still shown as reading view shows it, and dollars that are money are text."""

from __future__ import annotations

import pytest

from kbsleep.llm.model import Passage
from kbsleep.passes.offline_questions import generate
from kbsleep.search.blocks import plain


@pytest.mark.parametrize(
    ("block", "shown"),
    [
        (r"a filtration $(\mathcal{F}_n)_{n \geq 0}$ here", r"a filtration $(\mathcal{F}_n)_{n \geq 0}$ here"),
        (r"with $\xi_n \in \{-1, +1\}$ _independent_", r"with $\xi_n \in \{-1, +1\}$ independent"),
        (r"$$a_1 * b_2 * c$$ and **bold**", r"$$a_1 * b_2 * c$$ and bold"),
        (r"from $x_i$ to $y_j$, *each*", r"from $x_i$ to $y_j$, each"),
        (r"costs $5 and _it_ $10", r"costs $5 and it $10"),  # money, not math
        (r"a \$ sign and \_under\_", r"a $ sign and _under_"),  # escapes outside math
    ],
)
def test_inline_math_is_kept_as_written(block: str, shown: str) -> None:
    assert plain(block) == shown


PAGE = r"""# Discrete Martingales

A discrete martingale is a process with $\mathbb{E}[X_{n+1} \mid \mathcal{F}_n] = X_n$ for a filtration $(\mathcal{F}_n)_{n \geq 0}$.
"""


def test_an_answer_quotes_the_math_of_its_page() -> None:
    answers = " ".join(qa.answer for qa in generate([Passage("Discrete Martingales", PAGE)]))
    assert r"$(\mathcal{F}_n)_{n \geq 0}$" in answers
