"""Prompt caching blocks and usage; the response cache; the ledger and `stats`."""

from __future__ import annotations

import sqlite3

import pytest

from kbsleep.llm import Passage, Request, run, select_engine, stats
from kbsleep.state import ledger_path

CONTEXT = (Passage("people/ada.md", "Ada Lovelace wrote notes on the engine. " * 20),)


def request(prompt: str, **kwargs) -> Request:
    instructions = "Write likely questions. " * 10
    return Request("anticipate", prompt, instructions, CONTEXT, pass_name="anticipate",
                   page="people/ada.md", **kwargs)  # fmt: skip


def test_instructions_and_context_come_first_as_system_blocks(fake, model) -> None:
    model.complete(request("Questions about Ada?"))
    body = fake.requests[0].body
    assert body["system"][0]["text"].startswith("Write likely questions.")
    assert body["system"][1]["text"].startswith('<source id="people/ada.md">')
    assert body["messages"] == [{"role": "user", "content": "Questions about Ada?"}]
    assert body["model"] == "claude-haiku-4-5" and body["max_tokens"] == 256
    # a request alone is not marked for the prompt cache: nothing would read it
    assert not any("cache_control" in block for block in body["system"])


def test_a_repeated_request_is_answered_from_the_cache_without_a_call(fake, model) -> None:
    first = model.complete(request("Questions about Ada?"))
    again = model.complete(request("Questions about Ada?"))
    assert fake.count() == 1
    assert again.text == first.text and again.from_cache and again.calls == 0
    assert again.cost_usd == 0 and again.usage.total_tokens == 0


def test_the_cache_is_keyed_by_model_and_content_not_by_ledger_labels(fake, model) -> None:
    model.complete(request("Q?"))
    model.complete(request("Q?", model="claude-sonnet-4-6"))
    model.complete(Request("anticipate", "Q?", instructions="Write likely questions. " * 10,
                           context=CONTEXT, page="another.md"))  # fmt: skip
    assert fake.count() == 2


def test_the_cache_survives_a_new_engine(fake, config, state) -> None:
    select_engine(config, state_dir=state).complete(request("Q?"))
    result = select_engine(config, state_dir=state).complete(request("Q?"))
    assert result.from_cache and fake.count() == 1


def test_every_result_is_a_ledger_row(fake, model, state) -> None:
    model.complete(request("Q1?"))
    model.complete(request("Q1?"))  # a cache hit
    model.complete(Request("ask", "Q2?", pass_name="ask", phase="test"))
    with sqlite3.connect(ledger_path(state)) as db:
        db.row_factory = sqlite3.Row
        rows = [dict(r) for r in db.execute("SELECT * FROM calls ORDER BY id")]
    assert [(r["pass"], r["page"], r["phase"], r["from_cache"], r["batched"]) for r in rows] == [
        ("anticipate", "people/ada.md", "sleep", 0, 0),
        ("anticipate", "people/ada.md", "sleep", 1, 0),
        ("ask", "", "test", 0, 0),
    ]
    first = rows[0]
    assert first["model"] == "claude-haiku-4-5" and first["engine"] == "anthropic"
    assert first["input_tokens"] > 0 and first["output_tokens"] > 0
    assert (first["cache_write_tokens"], first["cache_read_tokens"]) == (0, 0)  # a lone request
    assert first["cost_usd"] > 0 and first["latency_s"] > 0 and first["ts"].endswith("+00:00")
    assert rows[1]["cost_usd"] == 0 and rows[1]["input_tokens"] == 0


def test_stats_split_spend_by_pass_and_phase(fake, model, config, state) -> None:
    sleep = run(model, [request(f"Q{i}?") for i in range(3)], config)
    test = model.complete(Request("ask", "Q?", pass_name="ask", phase="test"))
    model.complete(request("Q0?"))  # cached
    summary = stats(ledger_path(state))
    assert summary.total.results == 5 and summary.total.calls == 4 and summary.total.cache_hits == 1
    assert set(summary.by_pass) == {"anticipate", "ask"}
    assert summary.by_phase["sleep"].cost_usd == pytest.approx(sleep.cost_usd)
    assert summary.by_phase["test"].cost_usd == pytest.approx(test.cost_usd)
    assert summary.by_phase["test"].output_tokens == test.usage.output_tokens
    assert summary.by_model["claude-haiku-4-5"].results == 5
    assert summary.total.cost_usd == pytest.approx(sleep.cost_usd + test.cost_usd)
    assert summary.first is not None and summary.first <= summary.last


def test_stats_of_a_missing_ledger_are_empty(tmp_path) -> None:
    summary = stats(tmp_path / "ledger.sqlite")
    assert summary.total.results == 0 and summary.by_pass == {} and summary.first is None


def test_the_state_dir_is_ignored_by_git_and_tagged_as_a_cache(state) -> None:
    assert (state / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (
        (state / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
