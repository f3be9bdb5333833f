"""What a question describes instead of naming: "the one-time supporter purchase that unlocks
beta builds early" is the *Catalyst license*, whose page opens "The Catalyst license is a
one-time purchase that gives you early access to beta versions"; "Obsidian's paid web-hosting
add-on" is *Obsidian Publish*. A description is a phrase of the question ("the X that Y",
"Owner's ADJ NOUN") that matches one page's defining sentence (the first "NAME is a ..." of
its opening sections, NAME in the page's title) clearly better than any other's, by the static
vectors: then the question is searched again with the name in its place (`retrieve.retrieve`).
A phrase that matches two pages alike, or speaks of several things ("Obsidian's add-on
services") where the page defines one, resolves to nothing, and the question is left as asked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kbsleep.search.blocks import plain
from kbsleep.search.words import STOP_WORDS, query_terms, stem, tokenize

if TYPE_CHECKING:
    from kbsleep.search.index import Hit, Index

FLOOR = 0.4  # a description at least this close (cosine) to what a page's first sentence says it is ...
MARGIN = 0.15  # ... and this much closer than to any other page's
CANDIDATES = 60  # sections searched for pages that might define the description
MIN_WORDS = 2  # a description says at least this many words of its own ("Obsidian's servers" names no one thing)
OPENING = 2  # a page's first sections, where it says what it is about
# "the X that Y": the thing, then what it does, up to the end of the clause
_RELATIVE = re.compile(r"\bthe\s+((?:[\w-]+\s+){0,4}[\w-]+)\s+(?:that|which)\s+([^.,;:?!]+)", re.I)
# "Obsidian's paid web-hosting add-on": an owner's thing, said by up to five words that are not function words
_POSSESSIVE = re.compile(r"\b([A-Z][\w-]*)['’]s\s+((?:[\w-]+\s+){0,4}[\w-]+)")
# a page's defining sentence: "The Catalyst license is a ...", "Obsidian Sync is an add-on service ..."
_DEFINES = re.compile(r"^\W*(?:(?i:the)\s+)?(?P<name>(?!(?:An?|The)\s)[A-Z][\w-]*(?:\s+[\w-]+){0,4}?)(?:\s*\([^)]*\))?\s+(?P<copula>is|are)\s+(?:a|an|the|one|your)\s+(?P<what>[^.!?\n]+)")
_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")  # "web-hosting" is two words to the static model: as one it is near nothing
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
_HEADINGS = re.compile(r"^#{1,6}\s.*$", re.M)
_FRONTMATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


@dataclass(frozen=True)
class Described:
    """A phrase of the question that describes a page's subject, and the question with its name."""

    phrase: str  # as written in the question
    page: str
    name: str  # the subject as the page's first sentence names it
    question: str  # the question with `name` in place of `phrase`
    score: float  # cosine of the description with the page's definition
    margin: float  # over the next page's


def phrases(text: str) -> list[tuple[str, str, str]]:
    """(span, description, noun) for each phrase of `text` that describes a thing: the span is
    replaced by a name, the description is what it says of the thing, the noun what it is ("" for
    an owner's thing, whose words may run on into a verb)."""
    found: list[tuple[str, str, str]] = []
    for m in _RELATIVE.finditer(text):  # (the thing's noun is the last word before "that": "the yearly subscription")
        found.append((m.group(0), f"{m.group(1)} {m.group(2)}", m.group(1).split()[-1]))
    for m in _POSSESSIVE.finditer(text):
        start = end = m.start(2)
        for word in re.finditer(r"[\w-]+", m.group(2)):
            if word.group(0).casefold() in STOP_WORDS:
                if end > start:
                    break
                start = end = m.start(2) + word.end()  # "Obsidian's own paid syncing": what is said of it starts after "own"
                continue
            end = m.start(2) + word.end()
        if end > start:
            # (its noun is known once the definition says which words describe it: "Acme's yearly
            # backup subscriptions renew" runs on into the verb)
            found.append((text[m.start() : end], text[start:end].strip(), ""))
    return [(span, said, head) for span, said, head in found if len(_content(said)) >= MIN_WORDS]


def _plural(word: str) -> bool:
    """Whether a noun is plural by its ending ("services", not "access", "status" or "analysis")."""
    return len(word) > 3 and word.casefold().endswith("s") and not word.casefold().endswith(("ss", "us", "is"))


def _content(text: str) -> list[str]:
    return [w for w in tokenize(text) if w not in STOP_WORDS]


def definition_of(sections: Sequence[Hit]) -> tuple[str, str, bool] | None:
    """(name, what it is, whether it is plural) from the first sentence of a page's opening
    sections (`OPENING`) that defines a subject the page's title names ("Obsidian Sync" in *Introduction to Obsidian
    Sync*, "The Intel Management Engine (ME) is a ..." on *Intel Management Engine*)."""
    if not sections:
        return None
    first = sections[0]
    titled = {stem(w) for w in tokenize(f"{first.title} {first.page.rsplit('/', 1)[-1].removesuffix('.md')}")}
    for hit in sections[:OPENING]:
        body = _HEADINGS.sub("", _FRONTMATTER.sub("", hit.text))
        for line in body.splitlines():
            line = plain(line).replace("`", "")
            for sentence in _SENTENCE_END.split(line.strip()):
                m = _DEFINES.match(sentence)
                said = {stem(w) for w in tokenize(m.group("name"))} if m else set()
                if m and said and said <= titled:
                    return m.group("name"), m.group("what"), m.group("copula") == "are"
    return None


def resolve(index: Index, text: str, named: Sequence[str] = ()) -> Described | None:
    """The page a phrase of the question describes, when one page's definition matches it
    clearly (`FLOOR`, `MARGIN`); None when the question describes nothing, or nothing clearly."""
    from kbsleep.search.vectors import StaticEmbedder

    embedder = index.embedder
    if not isinstance(embedder, StaticEmbedder):  # FLOOR and MARGIN are the static model's cosines; an endpoint's differ
        return None
    for span, said, noun in phrases(text):
        best = _best(index, embedder, said, {stem(n) for n in named})
        if best is None:
            continue
        page, name, what, plural, score, margin = best
        if name.casefold() in span.casefold():  # "the Gold plan that adds cloud backup" names it
            continue
        span = _described_part(span, f"{name} {what}")
        noun = noun or re.findall(r"[\w-]+", span)[-1]  # an owner's thing: the last word the definition says too
        if _plural(noun) != plural:  # "Obsidian's add-on services" are more than the one thing "Obsidian Sync is an add-on service"
            continue
        question = text.replace(span, f"{span[:4]}{name}" if span[:4].casefold() == "the " else name, 1)
        return Described(span, page, name, question, score, margin)
    return None


def _best(index: Index, embedder: Any, said: str, named: set[str]) -> tuple[str, str, str, bool, float, float] | None:
    """(page, name, what it is, whether it is plural, cosine, margin) of the page whose definition `said` matches clearly."""
    import numpy as np

    words = query_terms(said)
    vector = embedder.embed([_HYPHEN.sub(" ", said)])[0]
    rows = [hit.page for hit in index.search(words, k=CANDIDATES)]
    nearest = index.nearest(vector, CANDIDATES)
    rows += [hit.page for hit in index.sections([row for row, _ in nearest])]
    pages = list(dict.fromkeys(rows))
    definitions: list[tuple[str, str, str, bool]] = []
    sections: dict[str, list[Hit]] = {}
    for hit in index.page_sections(pages):
        sections.setdefault(hit.page, []).append(hit)
    for page in pages:
        if (defined := definition_of(sections.get(page, []))) is not None:
            definitions.append((page, *defined))
    if not definitions:
        return None
    matrix = embedder.embed([_HYPHEN.sub(" ", what) for _, _, what, _ in definitions])
    cosines = matrix @ vector / (np.linalg.norm(matrix, axis=1) * np.linalg.norm(vector) + 1e-9)
    order = sorted(range(len(definitions)), key=lambda i: -cosines[i])
    first = order[0]
    second = float(cosines[order[1]]) if len(order) > 1 else 0.0
    page, name, _, plural = definitions[first]
    score, margin = float(cosines[first]), float(cosines[first]) - second
    if score < FLOOR or margin < MARGIN or {stem(w) for w in tokenize(name)} <= named:
        return None
    return page, name, definitions[first][2], plural, score, margin


def _described_part(span: str, definition: str) -> str:
    """`span` up to its last word the definition says too: a clause runs on into what the
    question asks ("the core plugin that displays the number of words of the active note *show
    up*"), and that part stays in the question."""
    said = {stem(w) for w in tokenize(definition) if w not in STOP_WORDS}
    words = list(re.finditer(r"[\w'-]+", span))
    clause = next((i for i, w in enumerate(words) if w.group(0).casefold() in ("that", "which")), 0)
    last = max((i for i, w in enumerate(words) if i > clause and stem(w.group(0).casefold()) in said), default=None)
    return span if last is None else span[: words[last].end()]
