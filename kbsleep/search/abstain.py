"""Abstention: when the wiki does not answer, say "Not in the wiki" instead of quoting a neighbour.

The decision uses what the answer was built from, never the answer's wording:
- a definition question about a page that says nothing yet (a stub holding only a placeholder)
  is not answered from other pages' mentions of its name;
- the names the question uses (capitalised words, quoted words, words with digits: "Ubuntu",
  ".deb") must each occur somewhere in the wiki: a question about a product the wiki never
  mentions is not answered by the page about another;
- a definition question about a name of one to three words the wiki never writes as a whole
  ("What is a red-black tree?") is not answered from its words apart (`defined_phrase`);
- a version the question names ("Obsidian 1.0") must be in the answer, and a "how do I" is not
  answered from pages that never say its task's verb (`tasks.untold`);
- the chosen passage must hold the kind of thing asked for (an amount of money for "how much
  does it cost", a version for "since which version"; `question.FORMS`);
- the chosen passage, with its page title and headings, must hold enough of the question's
  idf-weighted words (`min-coverage`), or, with vectors, be close in meaning and hold some.

The thresholds were tuned on Obsidian's help vault question set (benchmarks/README.md gives the
precision and recall of "not in the wiki" there and on a second set).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from kbsleep.search.extract import Pick
from kbsleep.search.question import Question

UNKNOWN_SHARE = 0.3  # names the wiki never mentions carry this share of the question's weight
RARE = 0.2  # a name in at most this share of pages (or 2) is specific: the evidence must hold it ...
RARE_COVERAGE = 0.6  # ... unless the evidence holds this share of the question
VECTOR_WEIGHT = 0.8  # with vectors: coverage + 0.8 x cosine must reach `JOINT`
JOINT = 0.45
UNASKED = 0.7  # a passage that holds none of what is asked about the named thing needs this much


@dataclass(frozen=True)
class Verdict:
    found: bool
    reason: str  # why not, or "answered"


def unknown_names(question: Question, frequency: Mapping[str, int]) -> list[str]:
    """The names the question uses that no page of the wiki holds."""
    return [name for name in question.named if frequency.get(name, 1) == 0]


def unknown_attribute(question: Question, frequency: Mapping[str, int], about_title: str | None, about_name: str | None = None) -> list[str]:
    """When the question names a page of the wiki (`about_title`, its file name `about_name`): its
    other words, if no page holds any of them ("What is Ada Lovelace's favourite colour?" on a
    wiki that never says "favourite" or "colour")."""
    if not about_title or question.form is not None:
        return []  # (a form asked for says what is asked: "How fast can the rover move?" asks a speed, whatever "move")
    from kbsleep.search.defining import names_page
    from kbsleep.search.words import stem, tokenize

    if question.subject and names_page(question.subject, about_name, about_title):
        return []  # "What is LaTeX, according to the hub?", "What does HSTU stand for?" ask for the page's definition, whatever their other words

    names = {stem(w) for w in tokenize(about_title)} | {stem(n) for n in question.named}
    rest = [t for t in question.terms if stem(t) not in names]
    return rest if rest and all(frequency.get(t, 1) == 0 for t in rest) else []


_PHRASE = re.compile(r"^[\w'-]+(?: [\w'-]+){0,2}$")  # a name of one to three words, no clause ("the thing that shows links")
_CLAUSE = frozenset("that which who whom where when how with without for from to in on by as like".split())


def defined_phrase(question: Question) -> str | None:
    """What a definition question asks to define, as the words a page would write it in ("red
    black tree" for "What is a red-black tree?"), when it is a name of one to three words: a wiki
    that never writes them together does not say what it is."""
    subject = " ".join(question.subject.split())
    if not subject or not _PHRASE.match(subject) or _CLAUSE & set(subject.casefold().split()):
        return None
    return " ".join(re.findall(r"\w+", subject.casefold())) or None


def unknown_share(question: Question, frequency: Mapping[str, int], idf: Mapping[str, float]) -> float:
    """The share of the question's weight (1 + idf a word) in names the wiki never mentions."""
    unknown = set(unknown_names(question, frequency))
    weights = {t: 1.0 + idf.get(t, 0.0) for t in question.terms}
    total = sum(weights.values()) or 1.0
    return sum(w for t, w in weights.items() if t in unknown) / total


def decide(question: Question, pick: Pick | None, frequency: Mapping[str, int], idf: Mapping[str, float],
           pages: int, min_coverage: float, vectors: bool) -> Verdict:  # fmt: skip
    """Whether `pick` answers `question`; see the module's policy."""
    if unknown_share(question, frequency, idf) >= UNKNOWN_SHARE:
        return Verdict(False, f"the wiki never mentions {', '.join(unknown_names(question, frequency))}")
    if pick is None:
        return Verdict(False, "no passage shares a word or a meaning with the question")
    if pick.unwritten:
        return Verdict(False, f"the page {pick.unwritten} has no text yet")
    if pick.task and frequency.get(pick.task, 1) > 0:
        return Verdict(False, f"no page retrieved says how to {pick.task}")
    if not pick.form:
        return Verdict(False, f"no passage about the question holds the {question.form} asked for")
    versions = [n for n in pick.missing if n in question.versions]
    if versions:
        return Verdict(False, f"no passage that answers mentions {', '.join(versions)}")  # "Obsidian 1.0": another version's date is no answer
    rare = [n for n in pick.missing if 0 < frequency.get(n, 1) <= max(2, RARE * pages)]
    if rare and pick.coverage < RARE_COVERAGE:
        return Verdict(False, f"no passage that answers mentions {', '.join(rare)}")
    joint = pick.coverage + VECTOR_WEIGHT * pick.cosine
    if pick.attribute == 0 and joint < UNASKED and question.form is None:  # (a form asked for and held says what is asked: "0.3 m/s" for "How fast ... move?")
        return Verdict(False, "no passage says anything of what the question asks about what it names")
    if vectors:
        if joint < JOINT:
            return Verdict(False, f"the best passage holds {pick.coverage:.0%} of the question's words and is not close in meaning")
        return Verdict(True, "answered")
    if pick.coverage < min_coverage:
        return Verdict(False, f"the best passage holds {pick.coverage:.0%} of the question's words")
    return Verdict(True, "answered")
