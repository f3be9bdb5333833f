"""Who-questions: whether a passage names someone. "Who ...?" is answered by a name ("Dev
Arunachalam", "GitHub", "@kepano"), a fact whose key names an agent ("Designed by: kepano") or a
word for people ("the Obsidian team", "no one"); "Founded: 1987" or a label ("Lead TA") names no
one, however many of the question's words it holds."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from kbsleep.search.facts import AGENT_KEY, subject_note
from kbsleep.search.question import FILLER, Question
from kbsleep.search.render import render
from kbsleep.search.units import Unit
from kbsleep.search.words import STOP_WORDS, stem, tokenize

_PERSON = frozenset(
    """people person persons team staff member members user users owner owners author authors developer developers
    contributor contributors maintainer maintainers admin admins administrator administrators moderator moderators
    community volunteer volunteers anyone everyone nobody someone somebody anybody he she him his her we us our""".split()
)  # ("we": the wiki's writers, "We can't read your data"; never "you", whom every how-to page addresses)
_QUOTED = re.compile(r'"[^"]*"|\u201c[^\u201d]*\u201d|`[^`]*`')
# "Dev", "GitHub", "SilentVoid13", and an acronym after "by" ("Created by MIT"); not "ID", "TA" alone
_CAPITALISED = re.compile(r"(?<![\w'])([A-Z][\w'-]*[a-z][\w'-]*|(?<=\bby )[A-Z][A-Z0-9&]+\b)")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*(?:[-*+]|\d+[.)])?\s*)$")
_ORDINARY = STOP_WORDS | FILLER
_CALENDAR = frozenset(
    "january february march april may june july august september october november december monday tuesday wednesday thursday friday saturday sunday".split()
)


def names_someone(question: Question, units: Sequence[Unit], text: str) -> bool:
    """Whether the answer to a who-question names someone the question does not: a capitalised
    name ("Dev Arunachalam", "GitHub"; a sentence's first word only when it is no function word
    and a second capitalised word follows: not "If Obsidian ..."), an `@handle`, a fact whose key
    names an agent ("Designed by: kepano"), or a word for people
    ("the Obsidian team", "no one", "we"). Quoted words are labels ("Copy vault ID"), not names."""
    if any(u.kind == "field" and AGENT_KEY.search(u.text.partition(":")[0]) for u in units):
        return True
    asked = {stem(t) for t in question.terms} | {stem(n) for n in question.named}
    text = _QUOTED.sub(" ", text)
    if "@" in text and re.search(r"(?<![\w.])@\w", text):
        return True
    if {w for w in tokenize(text, frozenset())} & _PERSON or re.search(r"\bno one\b", text, re.I):
        return True
    for found in _CAPITALISED.finditer(text):
        word = found.group(1)
        if stem(word.casefold()) in asked or word.casefold() in _CALENDAR:
            continue
        first = _SENTENCE_START.search(text[: found.start()]) is not None
        if first and (word.casefold() in _ORDINARY or not re.match(r"\s+[A-Z]", text[found.end() :])):
            continue  # a sentence's first word is capitalised anyway, unless a name of two words starts it ("Roderick Ashford: ...")
        return True
    return False


def quotes_someone(question: Question, unit: Unit, names: Mapping[str, str]) -> bool:
    """Whether `unit`, as an answer quotes it ("Devendra Arunachalam, maintains: Cobalt" for the
    fact "maintains: Cobalt" on his page; `names`: page name -> title), names someone."""
    return names_someone(question, [unit], subject_note([unit], names) or render([unit], names))
