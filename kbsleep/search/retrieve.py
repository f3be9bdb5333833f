"""Fused retrieval: BM25 over sections (title, aliases, headings, text and the anticipated
questions that cite them) and vector similarity, merged by reciprocal rank fusion.

RRF (Cormack et al., 2009) adds 1 / (K + rank) over the rankings a section is in: it needs no
calibration between BM25's unbounded scores and cosines, and a section both rankings agree on
beats one only a single ranking likes. Without vectors it is BM25 alone. When the best BM25
sections hold under 60% of the question's words, the question is worded unlike the wiki (a
paraphrase: "stop paying" for "subscription expires") and the vector ranking counts three times.
The question's vector weighs its words by their rarity in the wiki (`vectors.question_vector`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kbsleep.search.match import STOP, synonym_groups
from kbsleep.search.question import Question
from kbsleep.search.tasks import NAMED, named_task
from kbsleep.search.words import query_terms, singular, stem, tokenize

if TYPE_CHECKING:
    from kbsleep.search.index import Hit, Index

K = 60  # RRF's constant
VECTOR_FLOOR = 0.25  # a section only vectors found must be at least this close to the question
DEPTH = 60  # sections taken from each ranking
LEXICAL_MISS = 0.6  # the first BM25 sections hold less than this share of the question's words ...
VECTOR_WEIGHT = 3.0  # ... so it is worded unlike the wiki (a paraphrase): the vector ranking counts this much
HEADED = 1.0  # a how-to's sections whose heading names the task (`tasks.NAMED`): a third ranking, weighted so
MAX_GROUPS = 32  # words of a question that BM25 considers
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Ranked:
    """Sections for a question, best first, and what ranked them."""

    hits: list[Hit]
    fused: dict[int, float]  # section row id -> RRF score
    cosine: dict[int, float] = field(default_factory=dict)  # section row id -> cosine with the question
    vector: Any = None  # the question's vector (numpy), None without vectors
    about: str | None = None  # the page the question names, if one of the retrieved pages
    linked: list[Hit] = field(default_factory=list)  # sections of pages the first links to, for the words it lacks

    @property
    def pages(self) -> list[str]:
        """The retrieved pages, best first."""
        return list(dict.fromkeys(hit.page for hit in self.hits))


def bm25_terms(text: str) -> list[str]:
    """The words BM25 searches for: each asked word, a phrase folded to its concept."""
    groups = synonym_groups(text)[:MAX_GROUPS]
    return list(dict.fromkeys(g[0] if len(g) == 1 else g[1] for g in groups)) or query_terms(text)


def retrieve(index: Index, question: Question, vector: Any = None, k: int = 30) -> Ranked:
    """The `k` best sections for `question`; `vector` is its embedding when vectors are on."""
    lexical = index.search(bm25_terms(question.text), k=DEPTH)
    tasks = task_sections(question, lexical) if question.kind == "howto" else []
    near: list[tuple[int, float]] = []
    weight = 1.0
    if vector is not None:
        weight = VECTOR_WEIGHT if lexical_share(question, lexical[:3]) < LEXICAL_MISS else 1.0
        near = index.nearest(vector, max(DEPTH, POOL))
    cosine = dict(near)
    fused = _fuse(lexical, tasks, near[:DEPTH], weight)
    if vector is not None and PRF_TOP:
        moved = _feedback(index, vector, fused, [row for row, _ in near], lexical)
        if moved:
            fused = _fuse(lexical, tasks, moved[:DEPTH], weight) if PRF_MODE == "replace" else _add(fused, moved[:DEPTH], PRF_RANK_WEIGHT * weight, lexical, tasks)
    if QQ_WEIGHT and vector is not None:
        fused = _qq(index, question, fused)
    if RM3_TERMS:
        fused = _rm3(index, question, fused, lexical)
    known = {hit.id: hit for hit in lexical}
    order = sorted(fused, key=lambda row: (-fused[row], row))[: max(k, 1)]
    fetched = {hit.id: hit for hit in index.sections([row for row in order if row not in known])}
    hits = [known.get(row) or fetched[row] for row in order if row in known or row in fetched]
    about = named_page(question, hits)
    if about is None:
        found = _named_elsewhere(index, question)
        if found is not None:
            about, sections = found
            have = {h.id for h in sections}
            hits = [*sections, *(h for h in hits if h.id not in have)][: max(k, 1)]
    return Ranked(hits, fused, cosine, vector, about, expand(index, question, hits))


PRF_TOP = 0
QQ_WEIGHT = 0.0
QQ_PAGES = 10
QQ_FLOOR = 0.5
QQ_TOP = 100
QQ_PAGE = False
QQ_HEADINGS = True
QQ_ANTICIPATED = True


def _qq(index: Index, question: Question, fused: dict[int, float]) -> dict[int, float]:
    """Question-question: the sections of the first pages whose questions (a heading that asks,
    an anticipated question citing them) are nearest the asked one, as one more ranking."""
    import numpy as np

    embedder = index.embedder
    if embedder is None:
        return fused
    order = sorted(fused, key=lambda row: (-fused[row], row))
    first = index.sections(order[:60])
    pages = list(dict.fromkeys(h.page for h in first))[:QQ_PAGES]
    sections = index.page_sections(pages)
    by_target = {}
    for hit in sections:
        by_target.setdefault(hit.target.casefold(), hit.id)
    texts: list[str] = []
    rows: list[int] = []
    vecs = []
    if QQ_HEADINGS:
        for hit in sections:
            if hit.heading.rstrip().endswith("?"):
                texts.append(hit.heading)
                rows.append(hit.id)
    heads = embedder.embed(texts) if texts else np.zeros((0, 1), dtype=np.float32)
    vecs.extend(heads)
    if QQ_ANTICIPATED:
        qas = index.anticipated_on(pages)
        stored = index.vectors([qa.hash for qa in qas])
        for qa in qas:
            if qa.hash not in stored or not qa.citations:
                continue
            row = by_target.get(qa.citations[0].casefold())
            if row is None:
                continue
            rows.append(row)
            vecs.append(stored[qa.hash])
    if not rows:
        return fused
    asked = embedder.embed([question.text])[0]
    sims = np.asarray(vecs, dtype=np.float32) @ asked
    best: dict[int, float] = {}
    for row, sim in zip(rows, sims):
        if sim >= QQ_FLOOR and sim > best.get(row, -1.0):
            best[row] = float(sim)
    out = dict(fused)
    chosen = sorted(best, key=lambda r: -best[r])[:QQ_TOP]
    if QQ_PAGE:
        page_of = {hit.id: hit.page for hit in sections}
        lead = {}
        for row in order:
            if row in page_of:
                lead.setdefault(page_of[row], row)
        chosen = list(dict.fromkeys(lead.get(page_of[row], row) for row in chosen))
    for rank, row in enumerate(chosen):
        out[row] = out.get(row, 0.0) + QQ_WEIGHT / (K + rank)
    return out

RM3_TERMS = 0
RM3_TOP = 3
RM3_WEIGHT = 0.5


def _rm3(index: Index, question: Question, fused: dict[int, float], lexical: Sequence[Hit]) -> dict[int, float]:
    """RM3-like: the words the first fused sections hold most (tf x idf), searched again, fused low."""
    import math
    from collections import Counter

    first = sorted(fused, key=lambda row: (-fused[row], row))[:RM3_TOP]
    hits = index.sections(first)
    asked = {stem(t) for t in question.terms}
    counts: Counter[str] = Counter()
    for hit in hits:
        words = [w.casefold() for w in tokenize(f"{hit.title} {hit.heading} {hit.text}")]
        words = [w for w in words if w not in STOP and len(w) > 2 and w.isalpha() and stem(w) not in asked]
        for w, n in Counter(words).items():
            counts[w] += n / max(len(words), 1)
    cands = [w for w, _ in counts.most_common(40)]
    df, pages = index.document_frequency(cands)
    scored = sorted(cands, key=lambda w: -counts[w] * math.log(1 + pages / (1 + df.get(w, 0))))[:RM3_TERMS]
    out = dict(fused)
    for rank, hit in enumerate(index.search(scored, k=DEPTH)):
        out[hit.id] = out.get(hit.id, 0.0) + RM3_WEIGHT / (K + rank)
    return out

PRF_WEIGHT = 0.5
PRF_MODE = "replace"
PRF_RANK_WEIGHT = 1.0
POOL = 200


def _fuse(lexical: Sequence[Hit], tasks: Sequence[int], near: Sequence[tuple[int, float]], weight: float) -> dict[int, float]:
    """RRF over BM25's ranking, a how-to's task sections and the vectors' ranking (`weight`)."""
    fused: dict[int, float] = {}
    for rank, hit in enumerate(lexical):
        fused[hit.id] = fused.get(hit.id, 0.0) + 1.0 / (K + rank)
    for rank, row in enumerate(tasks):
        fused[row] += HEADED / (K + rank)
    return _add(fused, near, weight, lexical, tasks)


def _add(fused: dict[int, float], near: Sequence[tuple[int, float]], weight: float, lexical: Sequence[Hit], tasks: Sequence[int]) -> dict[int, float]:
    out = dict(fused)
    seen = {hit.id for hit in lexical} | set(tasks)
    for rank, (row, cos) in enumerate(near):
        if row in seen or cos >= VECTOR_FLOOR:
            out[row] = out.get(row, 0.0) + weight / (K + rank)
    return out


def _feedback(index: Index, vector: Any, fused: dict[int, float], near: Sequence[int], lexical: Sequence[Hit]) -> list[tuple[int, float]]:
    """Rocchio: the question's vector moved toward the mean of the first fused sections'
    vectors, and the candidates ranked again by it."""
    import numpy as np

    first = sorted(fused, key=lambda row: (-fused[row], row))[:PRF_TOP]
    ids, rows = index.section_vectors(first)
    if not ids:
        return []
    moved = np.asarray(vector, dtype=np.float32) + PRF_WEIGHT * rows.mean(axis=0)
    moved /= max(float(np.linalg.norm(moved)), 1e-12)
    pool = list(dict.fromkeys([*near, *(hit.id for hit in lexical)]))
    ids, rows = index.section_vectors(pool)
    if not ids:
        return []
    sims = rows @ moved
    order = np.argsort(-sims, kind="stable")
    return [(ids[i], float(sims[i])) for i in order]


def task_sections(question: Question, hits: Sequence[Hit]) -> list[int]:
    """The rows of `hits` (BM25's order) whose heading names the task a how-to asks ("Embed an
    image in a note" for "How do I embed an image?"): the vectors, which weigh a section's whole
    text, rank the *Media files* page's "Images" first, though it is not how to embed one."""
    asked = {stem(t) for t in question.terms}
    return [hit.id for hit in hits if named_task(hit.heading, asked) >= NAMED]


_NAME_RUN = re.compile(r"(?<!^)(?<![\w'])[A-Z][\w.+-]*(?:\s+[A-Z][\w.+-]*)*")


def _named_elsewhere(index: Index, question: Question) -> tuple[str, list[Hit]] | None:
    """The page a name the question writes in capitals ("Who developed Dataview?") is the file
    name or title of, when retrieval did not bring it (a name on many pages, "Dataview", ranks
    the pages that mention it above its own): its sections, to be ranked first."""
    body = question.text.split(None, 1)[1] if " " in question.text else ""
    for run in sorted(_NAME_RUN.findall(body), key=len, reverse=True):
        page = index.page_named(run)
        if page is not None:
            sections = index.page_sections([page])
            if sections:
                return page, sections
    return None


def lexical_share(question: Question, hits: Sequence[Hit]) -> float:
    """The largest share of the question's words (stemmed) that one of `hits` holds, with its
    title and heading: low when the question says in other words what the wiki says."""
    asked = {stem(t) for t in question.terms}
    if not asked:
        return 1.0
    return max((len(asked & {stem(w) for w in tokenize(f"{h.title} {h.heading} {h.text}")}) / len(asked) for h in hits), default=0.0)


LINKED = 3  # sections of linked pages added for a question the first page answers only in part
ANCHOR_DEPTH = 10  # the first page's sections among this many first hits: their links by heading are followed


def expand(index: Index, question: Question, hits: list[Hit]) -> list[Hit]:
    """The sections of the pages the first page links to that hold the question's words it
    lacks: "Where does File recovery keep its snapshots on a Mac?" needs the page that says
    where Obsidian keeps its data, which File recovery links to. A section that one of the
    first page's retrieved sections links to by heading ("Snapshots are kept in the [[How
    Obsidian stores data#Global settings|Global settings]]") counts one word more: the page
    points the reader there for what it does not say itself."""
    if not hits:
        return []
    top = hits[0].page
    covered = {stem(w) for hit in hits if hit.page == top for w in tokenize(f"{hit.title} {hit.heading} {hit.text}")}
    missing = {stem(t) for t in question.terms} - covered
    if not missing:
        return []
    anchored = [hit for hit in index.anchored([hit.id for hit in hits[:ANCHOR_DEPTH] if hit.page == top]) if hit.page != top]
    pointed = {hit.id for hit in anchored}
    targets = index.linked([top]).get(top, [])[:10]
    have = {hit.id for hit in hits}
    candidates = {hit.id: hit for hit in [*index.page_sections(targets), *anchored]}
    scored = []
    for hit in candidates.values():
        words = {stem(w) for w in tokenize(f"{hit.title} {hit.heading} {hit.text}")}
        gain = len(missing & words) + (hit.id in pointed)
        if gain and hit.id not in have:
            scored.append((-gain, len(hit.text), hit))
    return [hit for *_, hit in sorted(scored, key=lambda x: (x[0], x[1]))[:LINKED]]


def named_page(question: Question, hits: Sequence[Hit]) -> str | None:
    """The retrieved page whose whole title or file name the question names (the longest such name),
    word for word but for a plural ("the Templater plugin" names "Templater", not "Template plugins")."""
    said = [singular(w) for w in (m.casefold() for m in _WORD.findall(question.text)) if w not in STOP]
    best: tuple[int, str] | None = None
    for hit in hits:
        for name in (hit.title, hit.page.rsplit("/", 1)[-1].removesuffix(".md")):
            parts = [singular(w) for w in (m.casefold() for m in _WORD.findall(name)) if w not in STOP]
            if parts and _contains(said, parts):
                if best is None or len(parts) > best[0]:
                    best = (len(parts), hit.page)
    return best[1] if best else None


def _contains(words: Sequence[str], run: Sequence[str]) -> bool:
    """Whether `run` occurs in `words` as consecutive words: a name is said as a phrase ("the
    Command palette"), never assembled from words strewn over the question ("a link ... that note"
    does not name "Link notes")."""
    size = len(run)
    return any(list(words[i : i + size]) == list(run) for i in range(len(words) - size + 1))
