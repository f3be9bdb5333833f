"""Prompt caching that saves: cache marks only on prefixes that later requests of the run reuse.

The Messages API caches a request's prefix up to a block marked `cache_control`; a later request
whose prefix is byte-identical up to that block reads it at 0.1x the input price, and writing it
costs 1.25x. So a mark pays only when another request sends the same prefix, and a prefix shorter
than the model's minimum cacheable length is not cached at all (`prices.min_cache_tokens`).

Policy, per run (`plan`, given every request the run will send):
- requests that share a model and instructions start with the same instructions block;
- the passages of context that several of them send come next, one block each, in one order
  for the whole run (most-shared first), so their prefixes are identical as far as they go;
  passages only one request sends follow, in the order written;
- a mark may close each prefix that another request also sends and that reaches the model's
  minimum, at the last block before the group of requests sharing it shrinks; of these, the
  (at most four, the API's limit) that save most (`_choose`);
- a request alone in its run (an `ask`) gets no mark: nothing would read it.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kbsleep.llm import prices
from kbsleep.llm.budget import local_tokens
from kbsleep.llm.model import Layout, Passage, Request
from kbsleep.llm.structured import instructions_for

if TYPE_CHECKING:
    from kbsleep.config import LLMConfig

MAX_MARKS = 4  # cache_control blocks the Messages API accepts in one request
SOURCE_OVERHEAD_TOKENS = 8  # the <source id="..."> wrapper around a passage


def plan(requests: Sequence[Request], config: LLMConfig) -> list[Request]:
    """`requests` (model resolved) with a `Layout` each, by the policy in the module docstring."""
    if len(requests) < 2:
        return list(requests)
    groups: dict[tuple[str, str], list[int]] = {}
    for index, request in enumerate(requests):
        groups.setdefault((request.model or "", instructions_for(request)), []).append(index)
    planned = list(requests)
    for (model, instructions), members in groups.items():
        minimum = prices.min_cache_tokens(model, config.prices)
        for index, layout in _group(model, instructions, [requests[i] for i in members], minimum):
            planned[members[index]] = dataclasses.replace(requests[members[index]], layout=layout)
    return planned


def _group(
    model: str, instructions: str, requests: list[Request], minimum: int
) -> list[tuple[int, Layout]]:
    """The layouts of requests that share a model and instructions."""
    ids: dict[tuple[str, str], int] = {}
    tokens: list[int] = []
    uses: Counter[int] = Counter()
    sent: list[list[int]] = []  # per request: passage id per context position
    for request in requests:
        row = []
        for passage in request.context:
            key = (passage.source, passage.text)
            if key not in ids:
                ids[key] = len(ids)
                tokens.append(_tokens(passage))
            row.append(ids[key])
        sent.append(row)
        uses.update(set(row))
    sources = {pid: key[0] for key, pid in ids.items()}
    rank = sorted(uses, key=lambda pid: (-uses[pid], sources[pid], pid))
    position = {pid: n for n, pid in enumerate(rank)}
    orders: list[tuple[int, ...]] = []
    shared_ids: list[tuple[int, ...]] = []
    for row in sent:
        first = set()
        shared = sorted((pid for pid in set(row) if uses[pid] > 1), key=position.__getitem__)
        order = []
        for pid in shared:
            at = row.index(pid)
            order.append(at)
            first.add(at)
        order += [at for at in range(len(row)) if at not in first]
        orders.append(tuple(order))
        shared_ids.append(tuple(shared))
    prefixes: Counter[tuple[int, ...]] = Counter()
    for shared in shared_ids:
        for depth in range(len(shared) + 1):
            prefixes[shared[:depth]] += 1
    base = local_tokens(instructions) if instructions else 0
    salt = f"{model}\0{instructions}"
    layouts = []
    for index, (order, shared) in enumerate(zip(orders, shared_ids)):
        candidates = []
        length = base
        for depth in range(len(shared) + 1):
            if depth:
                length += tokens[shared[depth - 1]]
            count = prefixes[shared[:depth]]
            closes = depth == len(shared) or prefixes[shared[: depth + 1]] < count
            if count > 1 and closes and length >= minimum and (depth or instructions):
                candidates.append((depth, count, length))
        chosen = _choose(candidates)
        keys = tuple(_digest(salt, shared[:depth], sources) for depth in chosen)
        layouts.append((index, Layout(order, tuple(chosen), keys)))
    return layouts


def _choose(candidates: list[tuple[int, int, int]]) -> tuple[int, ...]:
    """The depths of at most MAX_MARKS of the (depth, sharers, tokens) candidates that save most.

    A request reading the prefix a mark closes saves that prefix's tokens beyond the mark
    before it (which it could read anyway), so marks m1 < m2 < ... save
    sum((sharers(m) - 1) * (tokens(m) - tokens(previous mark))): chosen by dynamic programming.
    """
    layer = {j: ((count - 1) * length, (depth,)) for j, (depth, count, length) in enumerate(candidates)}
    best = max(layer.values(), default=(0, ()))
    for _ in range(MAX_MARKS - 1):
        longer = {}
        for j, (depth, count, length) in enumerate(candidates):
            options = [
                (saved + (count - 1) * (length - candidates[i][2]), depths + (depth,))
                for i, (saved, depths) in layer.items()
                if i < j
            ]
            if options:
                longer[j] = max(options)
        layer = longer
        best = max([best, *layer.values()])
    return best[1]


def _tokens(passage: Passage) -> int:
    return local_tokens(passage.text) + local_tokens(passage.source) + SOURCE_OVERHEAD_TOKENS


def _digest(salt: str, prefix: tuple[int, ...], sources: dict[int, str]) -> str:
    # The ids are only unique within a group, so the salt names the group.
    text = salt + "\0" + "\0".join(f"{pid}:{sources[pid]}" for pid in prefix)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
