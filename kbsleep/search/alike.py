"""The words of a unit that stand for a question's words: the same concept in the synonym table
("license" for "licence"), a word whose static vector is close ("built" for "constructed"), or an
acronym of words the question writes out ("AC" for "armor class")."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from kbsleep.search.units import Unit
from kbsleep.search.words import stem, stems, tokenize

_ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")
_SPELLED = re.compile(r"((?:[A-Za-z][\w-]*\s+){2,5})\(([A-Z]{2,5})\)")  # "Boundary Element Method (BEM)"


def stands_for(terms: Sequence[str], found: Sequence[Unit], embedder: Any) -> dict[str, str]:
    """Words of the units that stand for question words: stem -> the question words' stems
    (space-separated: an acronym stands for several)."""
    from kbsleep.search.match import WORD_COSINE, concept_of

    vocabulary = sorted({t for u in found for t in tokenize(u.text)} | {t for u in found for t in tokenize(u.lead)})
    concepts = {concept_of(t): stem(t) for t in terms}
    alike = {stem(w): concepts[concept_of(w)] for w in vocabulary if concept_of(w) in concepts}
    if embedder is not None and vocabulary and terms:
        asked = embedder.embed(list(terms))
        seen = embedder.embed(vocabulary)
        close = (asked @ seen.T) >= WORD_COSINE
        for i, term in enumerate(terms):
            for j in close[i].nonzero()[0]:
                alike.setdefault(stem(vocabulary[j]), stem(term))
    for acronym in {a for u in found for a in _ACRONYM.findall(u.text)}:
        run = spelled_out(acronym, terms)
        if run:
            alike.setdefault(stem(acronym.casefold()), " ".join(stem(t) for t in run))
    for acronym, words in defined_acronyms(found).items():
        run = part_of(words, [stem(t) for t in terms])
        if run:  # "boundary element" for the "BEM" of "Boundary Element Method (BEM)"
            alike.setdefault(stem(acronym.casefold()), " ".join(run))
    return alike


def defined_acronyms(found: Sequence[Unit]) -> dict[str, tuple[str, ...]]:
    """The acronyms the units spell out before them ("Boundary Element Method (BEM)"): acronym ->
    the stems of its words."""
    defined: dict[str, tuple[str, ...]] = {}
    for unit in found:
        for spelled in _SPELLED.finditer(unit.text):
            acronym, words = spelled.group(2), tokenize(spelled.group(1))
            words = words[len(words) - len(acronym) :] if len(words) >= len(acronym) else []
            if words and "".join(w[0] for w in words) == acronym.casefold():
                defined.setdefault(acronym, tuple(stem(w) for w in words))
    return defined


def part_of(words: Sequence[str], terms: Sequence[str]) -> tuple[str, ...]:
    """The longest run of two words or more of `words` that the question writes in a row (stems), or none."""
    for size in range(len(words), 1, -1):
        for start in range(len(words) - size + 1):
            run = tuple(words[start : start + size])
            if any(tuple(terms[i : i + size]) == run for i in range(len(terms) - size + 1)):
                return run
    return ()


def spelled_out(acronym: str, terms: Sequence[str]) -> Sequence[str]:
    """The run of consecutive question words `acronym` stands for ("AC" for "armor class", "HP" for
    "hit points"), or none."""
    for start in range(len(terms) - len(acronym) + 1):
        run = terms[start : start + len(acronym)]
        if "".join(t[0] for t in run) == acronym.casefold():
            return run
    return ()


def acronym_of(terms: Sequence[str], text: str) -> bool:
    """Whether `text` writes, as an acronym in capitals, a run of the question's words: a stat
    block's "CR" column answers "What is the challenge rating of ...?"."""
    return any(spelled_out(acronym, terms) for acronym in set(_ACRONYM.findall(text)))


def shared(text: str, alike: Mapping[str, str]) -> set[str]:
    """The stems of `text`'s words, with the question words they stand for."""
    found = stems(text)
    return found | {word for w in found if w in alike for word in alike[w].split()}
