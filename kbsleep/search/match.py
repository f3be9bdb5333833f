"""Which questions and words mean the same: the fast path's same-question test, the synonym
table, and whether a question names a page's entity.

The fast path serves a precomputed answer only when its question asks the same thing
(`same_question`), which means all of:
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

The synonym table (`SYNONYMS`) folds words and phrases into concepts ("looks after",
"maintainer", "in charge of" are all `maintain`), after dropping filler ("these days"): retrieval
searches a phrase by its concept (`synonym_groups`), answer extraction takes a synonym for the
asked word (`concept_of`), and `mentions` tells whether a question names a page by a whole name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kbsleep.search.question import Question, analyse
from kbsleep.search.words import STOP_WORDS, concept_stem, stem, tokenize

WORD_COSINE = 0.62  # two words mean the same thing here (static word vectors)
QUESTION_COSINE = 0.80  # two questions are about the same thing
_SAME_KIND = {"what": "what", "which": "what"}
# "What year was Ada born?" asks what "When was Ada born?" asks: a year is the date a precomputed
# answer to either gives (the answer was checked against its own question)
_SAME_FORM = {"year": "date"}
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
    if _SAME_FORM.get(asked.form, asked.form) != _SAME_FORM.get(other.form, other.form):
        return Match(0.0, f"asks for {asked.form or 'no particular form'}, not {other.form or 'no particular form'}")
    asked_names = mentions(asked.text, names)
    if asked_names != mentions(cached, names):
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


# -- the synonym table ------------------------------------------------------------------------

FILLER = frozenset(
    """
    these days nowadays currently current now today presently exactly actually please tell
    know me us anyone someone still really also ever anymore right thing things kind sort
    whats who's whos does did do done get got many much
    """.split()
)

# concept -> words and phrases that express it (phrases are matched before tokenizing).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "maintain": ("maintain", "maintainer", "maintenance", "look after", "looks after", "looking after",
                 "looked after", "in charge of", "responsible for", "take care of", "takes care of",
                 "steward", "own", "owner", "owns", "lead", "leads", "run", "runs", "manage",
                 "manager", "manages", "head", "heads", "keeper", "keep"),
    "start": ("start", "started", "begin", "began", "begun", "found", "founded", "establish",
              "established", "launch", "launched", "create", "created", "inception", "origin"),
    "licence": ("licence", "license", "licensed", "licensing", "licenses", "licences"),
    "choose": ("choose", "chooses", "chose", "chosen", "choosing", "choice", "pick", "picks", "picked",
               "picking", "select", "selects", "selected", "selecting", "selection"),
    "cost": ("cost", "costs", "price", "budget", "spend", "spent", "expense", "money", "funding",
             "fund", "funded", "funds", "finance", "financed", "pay", "paid", "grant"),
    "locate": ("locate", "located", "location", "situated", "based", "site", "sited", "place"),
    "use": ("use", "uses", "used", "using", "employ", "employs", "utilise", "utilize", "rely"),
    "born": ("born", "birth", "birthday"),
    "die": ("die", "died", "death", "dead", "pass away", "passed away"),
    "write": ("write", "wrote", "written", "author", "authored", "authors"),
    "build": ("build", "built", "construct", "constructed", "develop", "developed", "developer",
              "make", "made", "design", "designed", "designer"),
    "size": ("size", "big", "large", "length", "long", "tall", "wide", "width", "weigh", "weight"),
    "work": ("work", "works", "worked", "job", "employer", "employed", "role", "position"),
    "release": ("release", "released", "version", "publish", "published", "ship", "shipped"),
    "goal": ("goal", "goals", "aim", "aims", "purpose", "objective", "objectives", "motivation", "why"),
    "member": ("member", "members", "team", "staff", "people", "crew", "participant", "participants"),
    "command": ("master", "captain", "captains", "skipper", "commander", "command", "commands"),
    "end": ("end", "ended", "finish", "finished", "complete", "completed", "stop", "stopped", "close", "closed"),
}

ENTITY = "\0entity"


def _build() -> tuple[list[tuple[re.Pattern[str], str]], dict[str, str]]:
    phrases: list[tuple[re.Pattern[str], str]] = []
    words: dict[str, str] = {}
    for concept, forms in SYNONYMS.items():
        for form in forms:
            if " " in form:
                phrases.append((re.compile(rf"\b{re.escape(form)}\b"), f" {concept} "))
            else:
                words[concept_stem(form)] = concept
        words[concept_stem(concept)] = concept
    phrases.sort(key=lambda pair: -len(pair[0].pattern))
    return phrases, words


_PHRASES, _WORDS = _build()
STOP = STOP_WORDS | FILLER  # what a question's concepts leave out
_ASKS_WHEN = re.compile(r"\b(in |since )?(what|which) (year|date)\b|\bsince when\b")


def concepts(text: str) -> list[str]:
    """The question's content as concepts: stemmed, synonyms folded, filler dropped."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'")
    text = _ASKS_WHEN.sub(" ", text)  # "what year" asks when: a kind of question, not a concept
    for pattern, concept in _PHRASES:
        text = pattern.sub(concept, text)
    found: list[str] = []
    for token in tokenize(text, STOP):
        concept = _WORDS.get(concept_stem(token), concept_stem(token))
        if concept not in found:
            found.append(concept)
    return found


def synonym_groups(text: str) -> list[list[str]]:
    """The question's words, each with its synonyms: what retrieval must find one of, per word.

    A phrase ("looks after") becomes the synonyms of its concept; other words stay as asked.
    """
    text = unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'")
    for pattern, concept in _PHRASES:
        text = pattern.sub(concept, text)
    found: list[list[str]] = []
    for token in dict.fromkeys(tokenize(text, STOP)):
        concept = _WORDS.get(concept_stem(token))
        group = [token] if concept is None else list(dict.fromkeys(
            [token, concept, *(w for form in SYNONYMS[concept] for w in tokenize(form))]
        ))  # fmt: skip
        if group not in found:
            found.append(group)
    return found


def concept_of(token: str) -> str:
    """The concept one already-tokenized word stands for."""
    key = concept_stem(token)
    return _WORDS.get(key, key)


def mentions(question: str, entity_names: Iterable[str]) -> bool:
    """Whether `question` names the page's entity by one of its full names."""
    names = [found for name in entity_names if (found := concepts(name))]
    return _entity(concepts(question), names)[:1] == [ENTITY]


def _entity(terms: list[str], names: list[list[str]]) -> list[str]:
    """`terms` with every full name of the page (title, alias, file name) folded into ENTITY.

    Only a whole name counts: "Kestrel" does not name the page "Kestrel Field Trial Log".
    """
    found = set(terms)
    named = [name for name in names if set(name) <= found]
    if not named:
        return terms
    covered = {t for name in named for t in name}
    return [ENTITY, *(t for t in terms if t not in covered)]
