"""The fast path's test: does a precomputed question ask the same thing as the asked one?

Same thing means all of:
- the same entity: the page's name (title, alias or file name) is in both questions, or in
  neither; and the asked question names the page the answer is kept on;
- the same answer type: the same kind of question ("who", "when", "how do I", yes or no ...;
  "what" and "which" are one kind) and the same answer form (an amount, a version, a date ...);
- the same attribute: every content word left once the entity's words are set aside has its
  counterpart in the other question, both ways: the same stem, or a word whose vector is close
  (`WORD_COSINE`); and the two questions' vectors are close (`QUESTION_COSINE`).

"What does the Orion plugin do?" and "What is its plugin id?" share the entity and the kind, not
the attribute (do / id). Without vectors a counterpart must be the same stem: fewer questions
are served from the cache, never a neighbour's answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kbsleep.search import paraphrase
from kbsleep.search.question import Question, analyse
from kbsleep.search.words import stem, tokenize

WORD_COSINE = 0.62  # two words mean the same thing here (static word vectors)
QUESTION_COSINE = 0.80  # two questions are about the same thing
_SAME_KIND = {"what": "what", "which": "what"}
_DOES = re.compile(r"\bdoes\b.*\bdo\s*\?\s*$")


@dataclass(frozen=True)
class Match:
    score: float  # 0..1, 0 when a gate fails
    reason: str  # "match", or the gate that failed


def residual(question: Question, names: Iterable[str]) -> list[str]:
    """The question's content words that are not words of the entity's names."""
    named = {w for name in names for t in tokenize(name) for w in (t, stem(t))}
    rest = [t for t in question.terms if stem(t) not in named and t not in named]
    # "What does Orion do?" asks what it does: the verb is the attribute, not filler
    return [*rest, "do"] if _DOES.search(question.text.casefold()) else rest


def same_question(asked: Question, cached: str, names: Sequence[str], *, vectors: Any = None, words: Any = None) -> Match:
    """Whether the precomputed question `cached` asks what `asked` asks, for a page named `names`.

    `vectors`: (asked, cached) question vectors; `words`: a function from words to unit vectors
    (the embedder's `embed`). Both None: stems only.
    """
    other = analyse(cached)
    if _SAME_KIND.get(asked.kind, asked.kind) != _SAME_KIND.get(other.kind, other.kind):
        return Match(0.0, f"a {asked.kind} question against a {other.kind} question")
    if asked.form != other.form:
        return Match(0.0, f"asks for {asked.form or 'no particular form'}, not {other.form or 'no particular form'}")
    asked_names = paraphrase.mentions(asked.text, names)
    if asked_names != paraphrase.mentions(cached, names):
        return Match(0.0, "the page's entity is named in one question only")
    mine, theirs = residual(asked, names), residual(other, names)
    if not mine or not theirs:
        return Match(0.0, "no attribute asked" if not mine else "the precomputed question asks no attribute")
    there, back = _aligned(mine, theirs, words), _aligned(theirs, mine, words)
    if there < 1.0 or back < 1.0:
        missing = "a word of the asked question" if there < 1.0 else "a word of the precomputed question"
        return Match(0.0, f"{missing} has no counterpart in the other")
    score = 1.0
    if vectors is not None:
        score = float(vectors[0] @ vectors[1])
        if score < QUESTION_COSINE:
            return Match(0.0, f"the questions are not close enough ({score:.2f})")
    return Match(round(score, 3), "match")


def _aligned(source: Sequence[str], target: Sequence[str], words: Any) -> float:
    """The share of `source`'s words with a counterpart among `target`'s."""
    target_stems = {stem(t) for t in target}
    unmatched = [w for w in source if stem(w) not in target_stems]
    if not unmatched:
        return 1.0
    if words is None:
        return (len(source) - len(unmatched)) / len(source)
    left = words(unmatched)
    right = words(list(target))
    close = (left @ right.T).max(axis=1) >= WORD_COSINE
    return (len(source) - len(unmatched) + int(close.sum())) / len(source)
