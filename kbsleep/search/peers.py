"""Question to question: the asked question compared with the questions the wiki already asks.

A question and the passage that answers it are worded apart ("the other notes that point to
it" / "backlinks"); two questions that ask the same thing are worded alike far more often, so
in a static model's vector space (a text is the mean of its tokens' vectors) a question lies
nearer a question than a passage. The questions compared, for the first pages of the fused
ranking only (never a scan of the wiki):

- the anticipated questions kept for those pages (`anticipate` wrote them; their vectors were
  computed at index time, by content hash, with the sections'): "While reading a note, how can
  I find all the other notes that point to it?" lies nearest *Backlinks*' "What is a backlink
  for a note?";
- their headings that are questions (a FAQ's "How long do you keep my data after my
  subscription expires?"), embedded when asked: a handful of short texts.

The pages whose question is nearest (at most PAGES of them, cosine at least FLOOR) are one more
ranking in the fusion, given to each page's best-fused section: the page moves up, and the order
of its own sections, which the answer is chosen from, stays the fusion's. Giving the rank to the
section the question cites instead cost answers on the held-out set ("Which colour does Dev
Arunachalam like best?" got the page's frontmatter line, after "Who is Dev Arunachalam?"), and
so did more than two pages or a floor of 0.55 (benchmarks/README.md).

Only with the static model: FLOOR is a cosine on WordLlama's scale, and an endpoint would be
called for the headings on every ask.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kbsleep.search.index import Hit, Index
    from kbsleep.search.question import Question

WEIGHT = 1.0  # of this ranking in the fusion (BM25's is 1)
FLOOR = 0.6  # a question at least this close (cosine of plain token means) to the asked one
PAGES = 2  # pages ranked: the nearest questions' pages, best first
DEPTH = 10  # first pages of the fusion whose questions are compared
SECTIONS = 60  # first fused sections their pages are taken from


def fuse(index: Index, question: Question, fused: dict[int, float], known: dict[int, Hit], k: int) -> dict[int, float]:
    """`fused` (section row -> RRF score) with the ranking of the pages whose questions are
    nearest `question` added, `k` being RRF's constant; `known` holds hits already read."""
    from kbsleep.search.vectors import StaticEmbedder

    embedder = index.embedder
    if not isinstance(embedder, StaticEmbedder) or not fused:
        return fused
    order = sorted(fused, key=lambda row: (-fused[row], row))[:SECTIONS]
    fetched = {hit.id: hit for hit in index.sections([row for row in order if row not in known])}
    lead: dict[str, int] = {}  # page -> its best-fused section
    for row in order:
        hit = known.get(row) or fetched.get(row)
        if hit is not None:
            lead.setdefault(hit.page, row)
    pages = list(lead)[:DEPTH]
    near = nearest_pages(index, embedder, question.text, pages)
    out = dict(fused)
    for rank, page in enumerate(near[:PAGES]):
        out[lead[page]] += WEIGHT / (k + rank)
    return out


def nearest_pages(index: Index, embedder: object, text: str, pages: list[str]) -> list[str]:
    """Of `pages`, those holding a question at least FLOOR close to `text`, nearest first."""
    import numpy as np

    if not pages:
        return []
    owners: list[str] = []
    rows = []
    asked = [qa for qa in index.anticipated_on(pages) if qa.hash]
    stored = index.vectors([qa.hash for qa in asked])
    for qa in asked:
        if qa.hash in stored:
            owners.append(qa.page)
            rows.append(stored[qa.hash])
    headed = [hit for hit in index.page_sections(pages) if hit.heading.rstrip().endswith("?")]
    if headed:
        owners.extend(hit.page for hit in headed)
        rows.extend(embedder.embed([hit.heading for hit in headed]))  # type: ignore[attr-defined]
    if not rows:
        return []
    sims = np.asarray(rows, dtype=np.float32) @ embedder.embed([text])[0]  # type: ignore[attr-defined]
    best: dict[str, float] = {}
    for page, sim in zip(owners, sims.tolist()):
        if sim >= FLOOR and sim > best.get(page, -1.0):
            best[page] = sim
    return sorted(best, key=lambda page: (-best[page], pages.index(page)))
