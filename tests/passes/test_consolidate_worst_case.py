"""The budget's worst case for a consolidate model call is an upper bound that fits the call.

Each fold asks for no more reply than the note it files can need (`reply_room`), so its worst
case is a fraction of one that assumes `llm.max-tokens` of reply; and it is still never below
what the call costs, even when the reply fails validation, the structured retry is sent, and both
replies run to the request's `max_tokens` (the longest the API lets them be). Through the real SDK
against the local fake Messages API, whose usage is the cost charged.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from kbsleep.llm import caching, prices, select_engine
from kbsleep.llm.budget import estimate, input_text, local_tokens, worst_case
from kbsleep.passes.consolidate import Options, consolidate, inbox
from kbsleep.testing import FakeAnthropic, tokens
from kbsleep.wiki import open_wiki

MODEL = "claude-sonnet-4-6"
CONFIG = f'inbox = "inbox"\n\n[llm]\ntimeout = 5.0\nmax-retries = 0\nconcurrency = 1\nconsolidate-model = "{MODEL}"\n'
PAGES = {
    "index.md": "# Index\n\n- [[Pumps]]\n- [[Valves]]\n- [[東京の水道]]\n",
    "log.md": "# Log\n",
    "Pumps.md": "# Pumps\n\nA pump moves water uphill. The east pump runs at 40 l/s.\n",
    "Valves.md": "---\naliases: [Stopcock]\n---\n# Valves\n\nA valve stops the flow.\n",
    "東京の水道.md": "# 東京の水道\n\n東京の水道は多摩川から取水する。\n",
}
NOTES = {
    "inbox/short.md": "The east pump was serviced on 2026-03-02.\n",
    "inbox/long.md": "# Storm notes\n\n" + "The valve on the north main stuck twice during the storm; \"manual\" override worked. " * 30,
    "inbox/cjk.md": "多摩川の取水口は二〇二六年三月に点検された。" * 12 + "\n",
}
SPELLED = {"inbox/letters.md": "a b c d e f g h i j k l m n o p " * 20 + "\n"}  # one-letter words: a token each, not four characters


def _longest(text: str, limit: int) -> str:
    """`text` words as a reply as long as the API lets one be: `limit` tokens by the fake's count."""
    words = 0
    while tokens(text.replace("WORDS", " ".join(["tidy"] * (words + 1)))) <= limit:
        words += 1
    return text.replace("WORDS", " ".join(["tidy"] * words))


def _at_length(body: dict[str, Any]) -> str:
    """Both attempts at their longest: an invalid reply (so the structured retry is sent), then a valid one."""
    limit = body["max_tokens"]
    if len(body["messages"]) == 1:
        return _longest("not json WORDS", limit)
    return _longest(json.dumps({"target": "Pumps.md", "text": "WORDS", "reason": "fits"}), limit)


def _cost(usage: dict[str, int]) -> float:
    price = prices.price_for(MODEL, {})
    assert price is not None
    charged = usage["input_tokens"] * price.input + usage["output_tokens"] * price.output
    charged += usage.get("cache_creation_input_tokens", 0) * price.cache_write + usage.get("cache_read_input_tokens", 0) * price.cache_read
    return charged / 1_000_000


@pytest.fixture
def root(make_repo) -> Path:  # type: ignore[no-untyped-def]
    return make_repo({**PAGES, **NOTES, **SPELLED, "kbsleep.toml": CONFIG})


def test_a_fold_never_costs_more_than_its_worst_case(root: Path, fake: FakeAnthropic) -> None:
    fake.responder = _at_length
    wiki = open_wiki(root)
    config = wiki.config.llm
    model = select_engine(config, "anthropic")
    notes = inbox.notes(wiki)
    planned = caching.plan(inbox.requests(wiki, notes, inbox.topics(wiki)), config)
    assert not any(r.layout and r.layout.marks for r in planned)  # (no prefix long enough to cache: each request prices alone)
    runner_worst = {r.page: worst_case(r, local_tokens(input_text(r)), "anthropic", config).usd for r in planned}  # what the run reserves
    counted_worst = {r.page: estimate(model, [r], config).worst_case.usd for r in planned}  # tokens counted by the endpoint
    fake.requests.clear()
    consolidate(wiki, model, Options(only=("inbox",), dry_run=True))
    spent: dict[str, float] = {}
    for logged in fake.requests:
        if logged.path == "/v1/messages" and logged.usage:
            note = logged.body["messages"][0]["content"].removeprefix("File the note ").removesuffix(".")
            spent[note] = spent.get(note, 0.0) + _cost(logged.usage)
    assert sorted(spent) == sorted({**NOTES, **SPELLED})
    assert all(len([x for x in fake.requests if x.usage and note in x.body["messages"][0]["content"]]) == 2 for note in spent)  # each retried once
    for note, cost in spent.items():
        assert cost <= counted_worst[note], note
        # The run's own reservation counts about four characters a token where the endpoint does
        # not count (`llm.budget`): an upper bound for prose in any script, not for spelled-out letters.
        assert cost <= runner_worst[note] or note in SPELLED, note


def test_a_short_note_holds_back_a_fraction_of_a_full_reply(root: Path) -> None:
    wiki = open_wiki(root)
    config = wiki.config.llm
    (request,) = (r for r in inbox.requests(wiki, inbox.notes(wiki), inbox.topics(wiki)) if r.page == "inbox/short.md")
    tight = worst_case(request, local_tokens(input_text(request)), "anthropic", config).usd
    full = worst_case(dataclasses.replace(request, max_tokens=None), local_tokens(input_text(request)), "anthropic", config).usd
    assert request.max_tokens is not None and request.max_tokens < config.max_tokens
    assert tight < full / 3
