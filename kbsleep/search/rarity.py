"""How rare a word is in a wiki, whatever context a question is answered from.

An offline `ask` weighs the question's words by their idf over the wiki's pages. The offline
answerer standing in for a model (`ask.offline_answer`, in the payoff benchmark and as a
model's fallback) otherwise sees only the passages it was sent, where a page's own name, in
every passage of a context focused on that page, counts for nothing. `word_rarity` gives it the
wiki's table instead: the same whatever was sent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kbsleep.search.words import stem, tokenize

if TYPE_CHECKING:
    from kbsleep.llm.passage import Passage
    from kbsleep.search.index import Index


@dataclass(frozen=True)
class Rarity:
    """In how many of a wiki's pages each word occurs, of how many pages."""

    frequency: Mapping[str, int]
    pages: int

    def of(self, words: Sequence[str]) -> tuple[dict[str, int], dict[str, float]]:
        """(document frequency, idf) of `words`; a word the table lacks counts as in one page."""
        frequency = {w: self.frequency.get(w, 1) for w in words}
        return frequency, {w: idf(n, self.pages) for w, n in frequency.items()}


def word_rarity(index: Index, words: Sequence[str]) -> Rarity:
    """The wiki's table for `words` (the terms and names of the questions to be asked)."""
    frequency, pages = index.document_frequency(list(dict.fromkeys(words)))
    return Rarity(frequency, pages)


def idf(n: int, pages: int) -> float:
    """The idf of a word in `n` of `pages` pages, as `ask` and BM25 weigh it."""
    return math.log(1 + (pages - n + 0.5) / (n + 0.5))


def idf_from(passages: Sequence[Passage], terms: Sequence[str]) -> dict[str, float]:
    """The idf of `terms` among `passages` (each its page name and text), when the wiki's is not at hand."""
    docs = [{stem(t) for t in tokenize(p.source.replace("#", " ") + " " + p.text)} for p in passages]
    return {t: idf(sum(stem(t) in d for d in docs), len(docs) or 1) for t in terms}


SMOOTHING = 0.5  # `word_weight`'s a: a word in every page weighs a / (a + 1), one in no page 1


def word_weight(n: int | None, pages: int) -> float:
    """How much a word in `n` of `pages` pages counts in a question's vector (`None`: a stop word,
    as if in every page): the smooth inverse frequency a / (a + p) of Arora et al. (2017), p the
    share of pages that hold it."""
    share = 1.0 if n is None or pages <= 0 else min(n / pages, 1.0)
    return SMOOTHING / (SMOOTHING + share)
