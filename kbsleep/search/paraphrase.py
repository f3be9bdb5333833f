"""Does an asked question mean the same as a precomputed one? The fast path's matcher.

Policy: a wrong cached answer is worse than a slower right one, so a match needs all of
- the same kind of question (who / when / where / how many ...; "what" and "which" fit any),
- the page's entity named in the asked question whenever the precomputed question names it,
- at least half of the precomputed question's non-entity concepts in the asked one,
- a score of at least the threshold: the smaller of the weighted overlap (Dice, entity words
  counting double) and the share of the asked question's non-entity concepts it covers.

Words are reduced to concepts by a small stemmer and a synonym table ("looks after",
"maintainer", "in charge of" are all `maintain`), after dropping filler ("these days").
The score is 0 when a gate fails.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from kbsleep.search.words import STOP_WORDS, tokenize

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

_KINDS = (  # (pattern, kind), first match wins; "what"/"which" and no question word fit any kind
    (r"\b(since when|what year|which year|what date|which date|how long ago)\b", "when"),
    (r"\bhow (many|much)\b", "quantity"),
    (r"\bhow (long|big|large|tall|old|far|deep)\b", "measure"),
    (r"\b(who|whom|whose)\b", "who"),
    (r"\bwhen\b", "when"),
    (r"\bwhere\b", "where"),
    (r"\bwhy\b", "why"),
    (r"\bhow\b", "how"),
    (r"\b(is|are|was|were|does|did|do|has|have|can|could|will)\b", "yesno"),
)
ENTITY = "\0entity"
_COMPATIBLE = {("how", "measure"), ("measure", "how"), ("how", "quantity"), ("quantity", "how")}


def _stem(word: str) -> str:
    for suffix in ("ations", "ation", "ings", "ing", "ers", "ies", "ied", "ed", "er", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
            break
    return word


def _build() -> tuple[list[tuple[re.Pattern[str], str]], dict[str, str]]:
    phrases: list[tuple[re.Pattern[str], str]] = []
    words: dict[str, str] = {}
    for concept, forms in SYNONYMS.items():
        for form in forms:
            if " " in form:
                phrases.append((re.compile(rf"\b{re.escape(form)}\b"), f" {concept} "))
            else:
                words[_stem(form)] = concept
        words[_stem(concept)] = concept
    phrases.sort(key=lambda pair: -len(pair[0].pattern))
    return phrases, words


_PHRASES, _WORDS = _build()
_STOP = STOP_WORDS | FILLER


_KIND_PHRASES = re.compile(r"\b(in |since )?(what|which) (year|date)\b|\bsince when\b")


def concepts(text: str) -> list[str]:
    """The question's content as concepts: stemmed, synonyms folded, filler dropped."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'")
    text = _KIND_PHRASES.sub(" ", text)  # "what year" asks when; `kind` keeps that
    for pattern, concept in _PHRASES:
        text = pattern.sub(concept, text)
    found: list[str] = []
    for token in tokenize(text, _STOP):
        concept = _WORDS.get(_stem(token), _stem(token))
        if concept not in found:
            found.append(concept)
    return found


def kind(question: str) -> str | None:
    text = question.casefold()
    if re.search(r"\b(what|which)\b", text) and not re.search(r"\b(what|which) (year|date)\b", text):
        head = re.search(r"\b(what|which|who|whom|whose|when|where|why|how)\b", text)
        if head and head.group(1) in ("what", "which"):
            return None
    for pattern, name in _KINDS:
        if re.search(pattern, text):
            return name
    return None


@dataclass(frozen=True)
class Match:
    score: float
    reason: str  # why it failed, or "match"


def similarity(asked: str, cached: str, entity_names: Iterable[str]) -> Match:
    """How well `cached` (a precomputed question) answers `asked`, 0..1; see the module policy."""
    a_kind, c_kind = kind(asked), kind(cached)
    if a_kind and c_kind and a_kind != c_kind and (a_kind, c_kind) not in _COMPATIBLE:
        return Match(0.0, f"a {a_kind} question against a {c_kind} question")
    names = [found for name in entity_names if (found := concepts(name))]
    entity = {ENTITY}
    a, c = _entity(concepts(asked), names), _entity(concepts(cached), names)
    if not a or not c:
        return Match(0.0, "nothing to compare")
    if entity & set(c) and not entity & set(a):
        return Match(0.0, "the page's entity is not named")
    a_rest = [t for t in a if t not in entity]
    c_rest = [t for t in c if t not in entity]
    if not a_rest:
        return Match(0.0, "no predicate asked")
    shared = set(a) & set(c)
    cover_a = len(set(a_rest) & set(c_rest)) / len(a_rest)
    cover_c = len(set(a_rest) & set(c_rest)) / len(c_rest) if c_rest else 1.0
    weight = lambda terms: sum(2.0 if t in entity else 1.0 for t in terms)  # noqa: E731
    if cover_c < 0.5:
        return Match(0.0, "the precomputed question asks about more")
    dice = 2 * weight(shared) / (weight(a) + weight(c))
    return Match(round(min(dice, cover_a), 3), "match")


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


def groups(text: str) -> list[list[str]]:
    """The question's words, each with its synonyms: what retrieval must find one of, per word.

    A phrase ("looks after") becomes the synonyms of its concept; other words stay as asked.
    """
    text = unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'")
    for pattern, concept in _PHRASES:
        text = pattern.sub(concept, text)
    found: list[list[str]] = []
    for token in dict.fromkeys(tokenize(text, _STOP)):
        concept = _WORDS.get(_stem(token))
        group = [token] if concept is None else list(dict.fromkeys(
            [token, concept, *(w for form in SYNONYMS[concept] for w in tokenize(form))]
        ))  # fmt: skip
        if group not in found:
            found.append(group)
    return found


def concept_of(token: str) -> str:
    """The concept one already-tokenized word stands for."""
    stem = _stem(token)
    return _WORDS.get(stem, stem)


def mentions(question: str, entity_names: Iterable[str]) -> bool:
    """Whether `question` names the page's entity by one of its full names."""
    names = [found for name in entity_names if (found := concepts(name))]
    return _entity(concepts(question), names)[:1] == [ENTITY]
