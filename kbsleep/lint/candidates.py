"""Which sections `lint --deep` shows a model: pairs that talk about the same entity, ranked, capped.

Deterministic and about linear in the size of the wiki: each section is indexed under the
entities it mentions (its own page, resolved links, titles and aliases named in its text, and
capitalised key terms); each entity contributes pairs among at most `PER_ENTITY` of its
sections, so the number of pairs grows with the number of entities, never with its square.
Pairs are ranked by what they share (rarer entities weigh more; numeric claims about the same
entity and attribute weigh most) and capped; a whole-wiki prompt is never built.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Literal

from kbsleep.lint.rules.facts import YEAR_KEYS, Names, claimed_number, mentions, numeric_facts
from kbsleep.wiki import Page, Wiki
from kbsleep.wiki.claims import ATTRIBUTE_WORDS, SENTENCE_END, mentions_attribute
from kbsleep.wiki.resolve import fold

PER_ENTITY = 6  # sections of one entity that are paired with each other, at most
PER_PAGE = 2  # of them from one page
PER_SECTION = 3  # candidates one section takes part in, at most
CONFLICT_WEIGHT = 10.0  # two numeric claims that disagree: the likeliest contradictions
CLAIM_WEIGHT = 1.0  # two numeric claims on one entity and attribute that agree
SOURCES_WEIGHT = 1.0  # a page and one of its sources
KEY_TERM = re.compile(r"\b[A-Z][\w-]*[a-z][\w-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w-]*)+")
DIGIT = re.compile(r"\d")
ARTICLES = frozenset({"the", "a", "an"})


@dataclass(frozen=True)
class Chunk:
    """A section's own lines: from its heading (or the body's start) to the next heading."""

    path: str
    start: int
    end: int
    heading: str  # "" for the text before the first heading, or a whole page body


@dataclass(frozen=True)
class Claim:
    """A number or year stated in prose for an entity's attribute ("founded in 1712")."""

    entity: str  # page path of the entity
    key: str  # attribute, as in `ATTRIBUTE_WORDS`
    value: float
    path: str
    line: int
    text: str  # the sentence


@dataclass(frozen=True)
class Candidate:
    kind: Literal["pair", "sources"]  # two sections on one entity, or a page and its source
    a: Chunk
    b: Chunk
    shared: tuple[str, ...]  # what both mention: page paths, or "term:<key term>"
    score: float
    claims: tuple[Claim, ...] = ()  # numeric claims of a and b on a shared entity and attribute


@dataclass(frozen=True)
class Candidates:
    chosen: tuple[Candidate, ...]  # best first, at most the cap
    considered: int  # candidates ranked before the cap
    chunks: int  # sections indexed


@dataclass
class _Info:
    chunk: Chunk
    entities: set[str]
    claims: list[Claim]
    digits: bool


def select_candidates(wiki: Wiki, limit: int, scope: Iterable[str] | None = None, *, pairs: bool = True, sources: bool = True) -> Candidates:
    """The `limit` best candidates; with `scope`, only those touching one of its pages.

    `pairs`: sections of different pages on one entity; `sources`: pages with their sources.
    """
    infos = index_chunks(wiki) if pairs else []
    scored: dict[tuple[int, int], float] = defaultdict(float)
    shared: dict[tuple[int, int], list[str]] = defaultdict(list)
    by_entity: dict[str, list[int]] = defaultdict(list)
    for index, info in enumerate(infos):
        for entity in info.entities:
            by_entity[entity].append(index)
    for entity in sorted(by_entity):
        members = by_entity[entity]
        pages = {infos[i].chunk.path for i in members}
        if len(pages) < 2:
            continue
        weight = 1.0 / math.log2(2 + len(pages))
        picked = _pick(entity, members, infos)
        for x, i in enumerate(picked):
            for j in picked[x + 1 :]:
                if infos[i].chunk.path == infos[j].chunk.path:
                    continue
                key = (i, j) if i < j else (j, i)
                scored[key] += weight
                shared[key].append(entity)
    found: list[Candidate] = []
    for (i, j), score in scored.items():
        a, b = infos[i], infos[j]
        claims = _shared_claims(a.claims, b.claims)
        values = defaultdict(set)
        for claim in claims:
            values[(claim.entity, claim.key)].add(claim.value)
        score += sum(CONFLICT_WEIGHT if len(v) > 1 else CLAIM_WEIGHT for v in values.values())
        score += 0.25 if a.digits and b.digits else 0.0
        found.append(Candidate("pair", a.chunk, b.chunk, tuple(shared[(i, j)]), round(score, 6), claims))
    if sources:
        found.extend(source_candidates(wiki))
    if scope is not None:
        wanted = set(scope)
        found = [c for c in found if c.a.path in wanted or c.b.path in wanted]
    found.sort(key=lambda c: (-c.score, c.a.path, c.a.start, c.b.path, c.b.start))
    return Candidates(tuple(_cap(found, limit)), len(found), len(infos))


def index_chunks(wiki: Wiki) -> list[_Info]:
    """Every section with text, with the entities it mentions and its numeric claims."""
    names = Names(wiki, set(wiki.pages) - wiki.unjudged)
    structured = {(path, key) for path, keys in numeric_facts(wiki).items() for key in keys}
    skip = {wiki.config.index_page, wiki.config.log_page, *wiki.unjudged}  # templates, Excluded files: not content
    infos: list[_Info] = []
    for path, page in wiki.pages.items():
        if path in skip or not page.parsed or not page.blocks:
            continue
        # kbsleep's own sections (anticipated Q&A, conflict callouts) restate the page: no claims of
        # their own, so never judged, and a section of nothing else is no candidate
        generated = page.generated_lines
        links = [(item.link.line, item.target) for item in wiki.outlinks.get(path, ()) if item.ok and item.target and not item.attachment and not item.link.in_frontmatter and not item.link.in_comment and item.link.line not in generated]
        for chunk in chunks(page):
            blocks = [b for b in page.blocks if chunk.start <= b.line <= chunk.end and b.line not in generated]
            if not any(b.line != chunk.start or not chunk.heading for b in blocks):
                continue  # a heading alone
            entities = {path}
            entities.update(target for line, target in links if chunk.start <= line <= chunk.end)
            claims: list[Claim] = []
            for block in blocks:
                entities.update(found for _, _, found in names.find(block.text))
                for match in KEY_TERM.finditer(block.text):
                    words = Names.WORD.findall(fold(match.group()))
                    if words[0] in ARTICLES:
                        words = words[1:]  # "The Orion Pump" at a sentence start
                    term = " ".join(words)
                    if len(words) > 1 and term not in names.table:
                        entities.add("term:" + term)
                if mentions_attribute(block.text):
                    claims.extend(_claims(wiki, page, block.line, block.text, names, structured))
            entities.discard("")
            infos.append(_Info(chunk, entities, claims, any(DIGIT.search(b.text) for b in blocks)))
    return infos


def chunks(page: Page) -> list[Chunk]:
    starts = [page.frontmatter_end + 1, *(h.line for h in page.headings)]
    titles = ["", *(h.text for h in page.headings)]
    last = page.line_count
    out = []
    for index, start in enumerate(starts):
        end = (starts[index + 1] - 1) if index + 1 < len(starts) else last
        if end >= start:
            out.append(Chunk(page.path, start, end, titles[index]))
    return out


def source_candidates(wiki: Wiki) -> list[Candidate]:
    """Each page with each of its frontmatter `sources` that is a page of the wiki."""
    found = []
    unjudged = wiki.unjudged
    for path, page in wiki.pages.items():
        listed = page.frontmatter.get("sources") if path not in unjudged else None
        if not listed:
            continue
        text = str(listed)
        seen: set[str] = set()
        for item in wiki.outlinks.get(path, ()):
            target = item.target
            if not (item.link.in_frontmatter and item.ok and target and not item.attachment):
                continue
            if item.link.raw not in text or target in seen or target == path or target in unjudged:
                continue
            seen.add(target)
            found.append(Candidate("sources", body(page), body(wiki.pages[target]), (target,), SOURCES_WEIGHT))
    return found


def body(page: Page) -> Chunk:
    return Chunk(page.path, page.frontmatter_end + 1, max(page.line_count, page.frontmatter_end + 1), "")


def _pick(entity: str, members: list[int], infos: list[_Info]) -> list[int]:
    """At most `PER_ENTITY` sections, `PER_PAGE` a page: those with claims on the entity first."""

    def rank(i: int) -> tuple:
        info = infos[i]
        on_entity = sum(1 for c in info.claims if c.entity == entity)
        own = info.chunk.path == entity
        return (-on_entity, -len(info.claims), not own, not info.digits, info.chunk.path, info.chunk.start)

    picked: list[int] = []
    per_page: dict[str, int] = defaultdict(int)
    for i in sorted(members, key=rank):
        page = infos[i].chunk.path
        if per_page[page] >= PER_PAGE:
            continue
        per_page[page] += 1
        picked.append(i)
        if len(picked) == PER_ENTITY:
            break
    return picked


def _shared_claims(a: list[Claim], b: list[Claim]) -> tuple[Claim, ...]:
    keys = {(c.entity, c.key) for c in a} & {(c.entity, c.key) for c in b}
    return tuple(c for c in (*a, *b) if (c.entity, c.key) in keys)


def _claims(wiki: Wiki, page: Page, line: int, text: str, names: Names, structured: set[tuple[str, str]]) -> list[Claim]:
    """Numeric claims of one block, on entities with no structured fact for that attribute.

    Where the entity page has the fact in its frontmatter, `contradicting-claims` (KB402)
    already compares the prose with it; judging prose against prose there would say it twice.
    """
    found: list[Claim] = []
    start = 0
    for sentence in SENTENCE_END.split(text):
        start = text.find(sentence, start)
        at = line + text.count("\n", 0, start)
        start += len(sentence)
        if not mentions_attribute(sentence):
            continue
        spots = sorted(mentions(wiki, page, sentence, names))
        for index, (_, end, entity) in enumerate(spots):
            following = spots[index + 1][0] if index + 1 < len(spots) else len(sentence)
            window = sentence[end:following]
            for key in ATTRIBUTE_WORDS:
                if (entity, key) in structured:
                    continue
                value = claimed_number(window, key)
                if value is None or (key in YEAR_KEYS and not 1000 <= value <= 2999):
                    continue
                found.append(Claim(entity, key, value, page.path, at, " ".join(sentence.split())))
    return found


def _cap(found: list[Candidate], limit: int) -> list[Candidate]:
    """The best `limit`, each section in at most `PER_SECTION` of them, to spread the budget."""
    taken: dict[Chunk, int] = defaultdict(int)
    chosen = []
    for candidate in found:
        if len(chosen) >= limit:
            break
        if taken[candidate.a] >= PER_SECTION or taken[candidate.b] >= PER_SECTION:
            continue
        taken[candidate.a] += 1
        taken[candidate.b] += 1
        chosen.append(candidate)
    return chosen
