"""The model's context for an answer: what `ask` sends a model, within `ask.context-tokens`.

`select` takes the best raw sections that fit a budget (the context without precomputed
passages). `compact` sends what sleep precomputed first (issue 19, item 7): the anticipated Q&A
of the first pages whose question holds most of the question's words, then the `SECTIONS` best
sections, each as its summary (`search.summaries`), or raw where the summary does not cover the
question: where a unit of the section (a sentence, list item, table row, `Key: value` line)
holds more of the question's idf-weighted words, outside its page's and headings' own, than any
unit of its summary does, or holds the kind of thing asked for (an amount, a version, a key
combination: `question.FORMS`) that the summary lacks. The best section goes raw on any such
gap, the others on a gap of `RAW_GAIN`; `RAW` of them at most. A "how do I" question's task section (the first sent
whose heading's words the question holds more than `TASK_SHARE` of: "Pin a command" for "How do
I pin a command ...?") is sent as its lists, each with the sentence that introduces it, in
place of its summary: a summary keeps only some of the steps; so is any of the first
`HOWTO_LISTS` sections whose summary cut its numbered steps, when the heading does not say the
task in the question's words ("Enable 2FA" for "turn on two-factor authentication"). Each passage keeps the id of the
section it stands for, so an answer cites the section, whichever form was sent. With
`summaries.method = "off"`: the Q&A, then raw sections within `COMPACT_SHARE` of the budget.
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING

from kbsleep.llm.passage import Passage, local_tokens
from kbsleep.search.question import FORMS, stem
from kbsleep.search.units import units
from kbsleep.search.words import tokenize

if TYPE_CHECKING:
    from kbsleep.config import Config
    from kbsleep.search.index import Anticipated, Hit, Index
    from kbsleep.search.question import Question
    from kbsleep.search.retrieve import Ranked

SECTIONS = 8  # the best sections sent, as summaries or raw
FIRST_GAIN = 0.0  # the best section goes raw when any unit of it holds more of the question than its summary's
RAW_GAIN = 0.25  # a section goes raw when one of its units holds this much more of the question than its summary's
RAW = 2  # of them, at most this many sent raw
TASK_SHARE = 0.5  # a how-to's task section: the question holds more than this share of its heading's words
HOWTO_LISTS = 2  # a how-to: of the first sections, this many whose summary cut steps go as their lists
QAS = 3  # anticipated Q&A sent, at most
QA_SHARE = 0.8  # a Q&A is sent when its question holds this share of the question's words
COMPACT_SHARE = 0.25  # with summaries off: the share of `ask.context-tokens` that Q&A and raw sections may fill


def compact(index: Index, config: Config, asked: Question, ranked: Ranked) -> tuple[tuple[Passage, ...], dict[str, Hit]]:
    """The model's context from precomputed passages first (see the module doc), within
    `ask.context-tokens`; and the section each passage id stands for."""
    room = config.ask.context_tokens
    if config.summaries.method == "off":
        room = max(200, int(room * COMPACT_SHARE))
    passages: list[Passage] = []
    by_target: dict[str, Hit] = {}
    for target, text, hit in _answered(index, asked, ranked):
        if local_tokens(text) <= room:
            passages.append(Passage(target, text))
            by_target[target] = hit
            room -= local_tokens(text)
    if config.summaries.method == "off":
        for hit in select(ranked.hits, room):
            passages.append(Passage(hit.target, hit.text))
            by_target[hit.target] = hit
        return tuple(passages), by_target
    hits = ranked.hits[:SECTIONS]
    shorter = summaries_of(index, hits)
    weights = _weights(asked, ranked.hits)
    task = task_section(asked, [h for h in hits if h.id in shorter])
    raw = RAW
    for rank, hit in enumerate(hits):
        text = shorter.get(hit.id)
        if text is None or (raw and needs_raw(asked, hit, text, weights, FIRST_GAIN if rank == 0 else RAW_GAIN)):
            raw -= text is not None
            text = hit.text
        elif hit is task or (asked.kind == "howto" and rank < HOWTO_LISTS and _cut_steps(hit.text, text)):
            text = steps(hit.text) or text
        cost = local_tokens(text)
        if cost > room:
            text = shorter.get(hit.id, "")
            cost = local_tokens(text)
        if not text.strip() or cost > room:
            continue
        passages.append(Passage(hit.target, text))
        by_target[hit.target] = hit
        room -= cost
    return tuple(passages), by_target


def _cut_steps(section: str, summary: str) -> bool:
    """Whether the summary keeps fewer of the section's numbered steps than it has."""
    held = sum(1 for u in units("", section) if u.kind == "step")
    return held > 1 and sum(1 for u in units("", summary) if u.kind in ("step", "item")) < held


def needs_raw(asked: Question, hit: Hit, summary: str, weights: dict[str, float], gain: float = 0.0) -> bool:
    """Whether the section holds a sentence (list item, row, fact) that matches the question
    better than any of its summary's, by more than `gain` of the question's weight; or the
    kind of thing the question asks for where the summary has none."""
    total = sum(weights.values())
    if not total:
        return False
    place = _stems(f"{hit.title} {hit.page.removesuffix('.md').replace('/', ' ')} {hit.heading}")
    asked_words = {t: w for t, w in weights.items() if t not in place}

    def best(text: str) -> float:
        held = (_stems(u.text) for u in units("", text))
        return max((sum(w for t, w in asked_words.items() if t in words) for words in held), default=0.0) / total

    if best(hit.text) - best(summary) > gain:
        return True
    form = FORMS.get(asked.form or "")
    return form is not None and form.search(hit.text) is not None and form.search(summary) is None


def task_section(asked: Question, hits: list[Hit]) -> Hit | None:
    """For a "how do I" question: the first of `hits` with a list whose heading names the task
    best, when the question holds more than `TASK_SHARE` of the heading's words ("Pin a command",
    not "Unpin a command", for "How do I pin a command?": words as written, never similar ones)."""
    if asked.kind != "howto":
        return None
    words = {stem(t) for t in asked.terms}
    best: tuple[float, Hit] | None = None
    for hit in hits:
        heading = _stems(hit.heading)
        share = len(heading & words) / len(heading) if heading else 0.0
        if share > TASK_SHARE and (best is None or share > best[0]) and steps(hit.text):
            best = (share, hit)
    return best[1] if best else None


def steps(text: str) -> str:
    """The lists of a section, as Markdown, each after the sentence that introduces it; "" when
    it has none."""
    found = units("", text)
    lines: list[str] = []
    block = None
    for unit in found:
        if unit.kind not in ("step", "item"):
            continue
        if unit.block != block:
            block, number = unit.block, 0
            lead = next((u for u in found if u.order == unit.order - 1 and u.kind == "sentence" and u.text == unit.lead), None)
            lines += [""] * bool(lines) + ([lead.text] if lead is not None else [])
        number += 1
        lines.append(f"{number}. {unit.text}" if unit.kind == "step" else f"- {unit.text}")
    return "\n".join(lines).strip()


def _weights(asked: Question, hits: list[Hit]) -> dict[str, float]:
    """Stem -> 1 + its idf among the retrieved sections: a word every one of them holds tells
    little about which one answers."""
    docs = [_stems(f"{h.title} {h.heading} {h.text}") for h in hits]
    total = len(docs)
    found = {}
    for term in dict.fromkeys(stem(t) for t in asked.terms):
        n = sum(term in d for d in docs)
        found[term] = 1.0 + math.log(1 + (total - n + 0.5) / (n + 0.5))
    return found


def summaries_of(index: Index, hits: list[Hit]) -> dict[int, str]:
    """Section row id -> its summary, for those of `hits` that have one."""
    from kbsleep.search import summaries

    if not hits:
        return {}
    marks = ",".join("?" * len(hits))
    # the section's content hash is the summary's key; the index keeps it beside the section
    hashes = dict(index.db.execute(f"SELECT id, hash FROM docs WHERE id IN ({marks})", [h.id for h in hits]).fetchall())
    kept = summaries.lookup(index.path.parent, list(dict.fromkeys(hashes.values())))
    return {row: kept[key][1] for row, key in hashes.items() if key in kept}


def _answered(index: Index, asked: Question, ranked: Ranked) -> list[tuple[str, str, Hit]]:
    """(passage id, text, the section it stands for) of the anticipated Q&A that share most of
    the question's words: one passage a page, cited as the page."""
    words = {stem(t) for t in asked.terms}
    if not words:
        return []
    scored: list[tuple[float, int, Anticipated]] = []
    for order, qa in enumerate(index.anticipated_on(ranked.pages[:3])):
        share = len(words & _stems(f"{qa.question} {qa.title}")) / len(words)
        if share >= QA_SHARE:
            scored.append((-share, order, qa))
    chosen = [qa for *_, qa in sorted(scored, key=lambda s: (s[0], s[1]))[:QAS]]
    found = []
    for page in dict.fromkeys(qa.page for qa in chosen):
        first = next((h for h in ranked.hits if h.page == page), None)
        if first is None:
            continue
        text = "\n".join(f"Q: {qa.question}\nA: {qa.answer}" for qa in chosen if qa.page == page)
        found.append((f"{_stem(page)}#{answers_heading()}", text, dataclasses.replace(first, heading="")))
    return found


def _stems(text: str) -> set[str]:
    return {stem(t) for t in tokenize(text)}


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
