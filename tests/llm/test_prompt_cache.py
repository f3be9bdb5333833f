"""Caching that saves: marks only on prefixes later requests of the run reuse, long enough for the
model; shared passages first in one order; a reuser waits for the write; `stats` shows the saving."""

from __future__ import annotations

import dataclasses
import itertools
import json

import pytest

from kbsleep.cli import main
from kbsleep.config import LLMConfig
from kbsleep.llm import Passage, Request, run, select_engine
from kbsleep.llm.budget import local_tokens
from kbsleep.llm.caching import plan
from kbsleep.llm.ledger import cache_figures
from kbsleep.llm.prices import price_for
from kbsleep.state import STATE_DIR, ledger_path
from kbsleep.testing import Fault

INSTRUCTIONS = "Write the likely questions about the page. " * 30  # ~330 tokens by the local estimate
HUB = Passage("Hub", "The hub page that every page links to. " * 100)  # ~1,000 tokens
SIDE = Passage("Side", "A page two of the pages link to. " * 100)
CONFIG = LLMConfig(timeout=2.0, max_retries=0, max_tokens=256,
                   prices={"claude-haiku-4-5": {"input": 1.0, "output": 5.0, "min-cache-tokens": 300}})  # fmt: skip


def page(name: str, *linked: Passage, model: str = "claude-haiku-4-5") -> Request:
    own = Passage(name, f"The page {name}. " * 200)
    return Request("anticipate", f"Questions about {name}?", INSTRUCTIONS, (own, *linked), model=model, max_tokens=256)


def marks(request: Request) -> tuple[list[str], tuple[int, ...]]:
    """The sources in the order sent, and the marks (0: after the instructions, k: after the k-th source)."""
    assert request.layout is not None
    return [request.context[i].source for i in request.layout.order], request.layout.marks


def test_a_request_alone_gets_no_layout() -> None:
    assert plan([page("A", HUB)], CONFIG)[0].layout is None


def test_shared_passages_go_first_in_one_order_and_each_shared_prefix_is_marked_where_it_ends() -> None:
    a, b, c = plan([page("A", SIDE, HUB), page("B", HUB, SIDE), page("C", HUB)], CONFIG)
    # Hub is sent by all three, Side by two: Hub first, then Side, then the page's own text
    assert marks(a) == (["Hub", "Side", "A"], (1, 2))
    assert marks(b) == (["Hub", "Side", "B"], (1, 2))
    assert marks(c) == (["Hub", "C"], (1,))
    # the instructions are shared too, but every request shares Hub after them: one mark will do
    assert a.layout.keys[0] == b.layout.keys[0] == c.layout.keys[0] and a.layout.keys[1] == b.layout.keys[1]


def test_a_passage_sent_once_is_never_marked_however_long() -> None:
    long = Passage("Long", "Very long text. " * 5000)
    a, b = plan([page("A", long), page("B")], CONFIG)
    assert marks(a) == (["A", "Long"], (0,)) and marks(b) == (["B"], (0,))  # only the instructions


def test_a_prefix_below_the_models_minimum_is_not_marked() -> None:
    default = LLMConfig()  # claude-haiku-4-5 caches prefixes of 4,096 tokens and more
    a, b = plan([page("A", HUB), page("B", HUB)], default)
    assert marks(a) == (["Hub", "A"], ()) and marks(b) == (["Hub", "B"], ())
    bigger = Passage("Hub", HUB.text * 4)
    a, b = plan([page("A", bigger), page("B", bigger)], default)
    assert marks(a)[1] == marks(b)[1] == (1,)


def test_requests_share_prefixes_only_with_the_same_model_and_instructions() -> None:
    a, b, c = plan([page("A", HUB), page("B", HUB, model="claude-sonnet-4-5"), dataclasses.replace(page("C", HUB), instructions="Other.")], CONFIG)
    assert [r.layout.marks for r in (a, b, c)] == [(), (), ()]


def test_at_most_four_marks_those_that_save_most() -> None:
    shared = [Passage(f"S{n}", f"Shared page {n}. " * 100 * (n + 1)) for n in range(6)]
    # request k sends the first k+1 shared pages, and a seventh all six: six levels of sharing
    requests = plan([page(f"P{k}", *shared[: k + 1]) for k in range(6)] + [page("Q", *shared)], CONFIG)
    assert all(len(r.layout.marks) <= 4 for r in requests)
    deepest = requests[-1]
    sent, chosen = marks(deepest)
    assert sent == ["S0", "S1", "S2", "S3", "S4", "S5", "Q"]
    # the marks are the four (or fewer) whose readers save most: each reader of a mark saves
    # its tokens beyond the mark before it; `sharers[d]` requests send the first d sources
    sharers = {0: 7, 1: 7, 2: 6, 3: 5, 4: 4, 5: 3, 6: 2}
    length = [local_tokens(INSTRUCTIONS)]
    for passage in shared:
        length.append(length[-1] + local_tokens(passage.text) + local_tokens(passage.source) + 8)

    def saving(picked: tuple[int, ...]) -> int:
        return sum((sharers[d] - 1) * (length[d] - (length[p] if p is not None else 0)) for p, d in zip((None, *picked), picked))

    best = max((c for n in range(1, 5) for c in itertools.combinations(range(7), n)), key=saving)
    assert chosen == best and len(chosen) == 4


def test_a_request_waits_for_the_request_writing_its_prefix_and_then_reads_it(fake) -> None:
    config = dataclasses.replace(CONFIG, concurrency=4, prices={"claude-haiku-4-5": {"input": 1.0, "output": 5.0, "min-cache-tokens": 500}})
    fake.cache_minimum = 500

    def reply(body):
        first = body["messages"][0]["content"]
        return Fault.delay(0.3, "slow") if first == "Questions about A?" else "quick"

    fake.responder = reply
    report = run(select_engine(config), [page("A", HUB), page("B", HUB), page("C", SIDE)], config)
    usage = {r.request.page or r.request.prompt: r.usage for r in report.results}
    a, b, c = (usage[f"Questions about {n}?"] for n in "ABC")
    assert a.cache_write_tokens > 0 and a.cache_read_tokens == 0
    assert (b.cache_write_tokens, b.cache_read_tokens) == (0, a.cache_write_tokens)  # waited, then read
    # C shares nothing but the instructions (below the minimum): it went ahead while A ran
    assert (c.cache_write_tokens, c.cache_read_tokens) == (0, 0)
    answered = [r.body["messages"][0]["content"] for r in fake.requests]
    assert answered == ["Questions about C?", "Questions about A?", "Questions about B?"]


def test_stats_show_cache_writes_reads_and_the_net_saving(fake, make_repo, capsys) -> None:
    fake.cache_minimum = 300
    root = make_repo({"kbsleep.toml": '[llm.prices.claude-haiku-4-5]\ninput = 1.0\noutput = 5.0\nmin-cache-tokens = 300\n', "a.md": "# A\n"})
    model = select_engine(CONFIG, state_dir=root / STATE_DIR)
    report = run(model, [page("A", HUB), page("B", HUB), page("C", HUB)], dataclasses.replace(CONFIG, concurrency=1))
    written = sum(r.usage.cache_write_tokens for r in report.results)
    read = sum(r.usage.cache_read_tokens for r in report.results)
    assert written > 0 and read == 2 * written
    price = price_for("claude-haiku-4-5")
    saving = (read * (price.input - price.cache_read) - written * (price.cache_write - price.input)) / 1e6
    figures = cache_figures(ledger_path(root / STATE_DIR))
    assert (figures.write_tokens, figures.read_tokens) == (written, read)
    assert figures.saving_usd == pytest.approx(saving) and saving > 0
    assert main(["--wiki", str(root), "stats", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["cache_write_tokens"], shown["cache_read_tokens"]) == (written, read)
    assert shown["cache_saving_usd"] == pytest.approx(saving, abs=1e-6)
    assert main(["--wiki", str(root), "stats"]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines() if "prompt cache" in line]
    assert rows == [["prompt", "cache", "tokens", f"{written:,}", "written,", f"{read:,}", "read"],
                    ["prompt", "cache", "net", "saving", f"${saving:.4f}"]]  # fmt: skip


def test_a_write_nobody_reads_is_a_net_loss(tmp_path) -> None:
    from kbsleep.llm import Result, Usage
    from kbsleep.llm.ledger import Ledger

    ledger = Ledger(tmp_path / "ledger.sqlite")
    request = Request("anticipate", "x", model="claude-haiku-4-5")
    ledger.record(Result(request, usage=Usage(cache_write_tokens=1_000_000), model="claude-haiku-4-5", engine="anthropic"))
    ledger.record(Result(request, usage=Usage(cache_read_tokens=1_000_000), model="claude-haiku-4-5", engine="anthropic", batched=True))
    figures = cache_figures(tmp_path / "ledger.sqlite")
    # a write costs 0.25 more than plain input; a batched read saves half of 0.9
    assert figures.saving_usd == pytest.approx(-0.25 + 0.45)
