"""A phrasal verb of the question written as one word on the page: "How long can a template run
before it times out?" is answered by "10-second execution timeout", "How do I log in?" by
"Login", "How do I set up sync?" by "Setup". The page's word stands for the question's verb
when, less the particle, it is the same word (the same stem): "time" for "times"."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kbsleep.search.units import Unit
from kbsleep.search.words import stem, tokenize

_PHRASAL = re.compile(r"\b([a-z]+)(?=[\s-]+(up|out|in|on|off|down|back|over)\b)")  # (a lookahead: "back up" in "I back up")


def closed_compounds(text: str, found: Sequence[Unit]) -> dict[str, str]:
    """Words of the units that write a phrasal verb of `text` as one word: stem -> the verb's stem."""
    pairs = {(stem(verb), particle) for verb, particle in _PHRASAL.findall(text.casefold())}
    if not pairs:
        return {}
    vocabulary = {t.casefold() for u in found for t in tokenize(f"{u.text} {u.lead}")}
    return {stem(word): verb for word in vocabulary for verb, particle in pairs
            if word.endswith(particle) and len(word) > len(particle) + 1 and stem(word[: -len(particle)]) == verb}  # fmt: skip
