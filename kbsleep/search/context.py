"""The model's context for an answer: what `ask` sends a model, within `ask.context-tokens`.

`select` takes the best raw sections that fit a budget; `compact` puts what sleep precomputed
first (the anticipated Q&A of the pages retrieved) and raw sections only within what is left.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from kbsleep.llm.budget import local_tokens
from kbsleep.llm.model import Passage

if TYPE_CHECKING:
    from kbsleep.config import Config
    from kbsleep.search.index import Hit, Index
    from kbsleep.search.question import Question
    from kbsleep.search.retrieve import Ranked

COMPACT_SHARE = 0.25  # of `ask.context-tokens`: the model's context when precomputed passages lead it
COMPACT_QAS = 8


def compact(index: Index, config: Config, asked: Question, ranked: Ranked) -> tuple[tuple[Passage, ...], dict[str, Hit]]:
    """The model's context from precomputed passages first: the anticipated Q&A of the first
    pages (one passage a page, cited as the page), then the best raw sections that still fit in
    `COMPACT_SHARE` of the budget. A citation of a Q&A passage cites the page it is about."""
    room = max(200, int(config.ask.context_tokens * COMPACT_SHARE))
    passages: list[Passage] = []
    by_target: dict[str, Hit] = {}
    pages = ranked.pages[:3]
    for page in pages:
        qas = index.anticipated_on([page])[:COMPACT_QAS]
        if not qas:
            continue
        text = "\n".join(f"Q: {qa.question}\nA: {qa.answer}" for qa in qas)
        target = f"{_stem(page)}#{answers_heading()}"
        first = next((h for h in ranked.hits if h.page == page), None)
        if first is None or local_tokens(text) > room:
            continue
        passages.append(Passage(target, text))
        by_target[target] = dataclasses.replace(first, heading="")
        room -= local_tokens(text)
    for hit in select(ranked.hits, room):
        passages.append(Passage(hit.target, hit.text))
        by_target[hit.target] = hit
    return tuple(passages), by_target


def answers_heading() -> str:
    from kbsleep.answers import HEADING

    return HEADING.lstrip("# ")


def select(hits: list[Hit], budget_tokens: int) -> list[Hit]:
    """The best sections that fit in `budget_tokens`; a section too long is cut, never the budget."""
    chosen: list[Hit] = []
    used = 0
    for hit in hits:
        cost = local_tokens(hit.text)
        room = budget_tokens - used
        if room <= 50:
            break
        if cost > room:
            if chosen:
                continue  # a smaller later section may still fit
            hit = dataclasses.replace(hit, text=hit.text[: room * 4])
            cost = room
        chosen.append(hit)
        used += cost
    return chosen


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".md")
