"""Engine selection, the offline engine, model listing and the price table."""

from __future__ import annotations

import dataclasses

import pytest
from pydantic import BaseModel

from kbsleep.config import LLMConfig
from kbsleep.errors import KbsleepError
from kbsleep.llm import OFFLINE_TASKS, Passage, Request, list_models, offline_result, select_engine
from kbsleep.llm.anthropic_engine import AnthropicModel
from kbsleep.llm.model import Usage
from kbsleep.llm.offline import OfflineModel
from kbsleep.llm.prices import Price, cost, price_for
from kbsleep.testing import FakeAnthropic

WIKI = (
    Passage(
        "people/ada.md", "# Ada Lovelace\n\nAda was born in 1815. She wrote the first program."
    ),
    Passage("projects/engine.md", "# Engine\n\nThe Analytical Engine was designed by Babbage."),
)


def test_auto_is_offline_without_a_key_or_base_url(config) -> None:
    assert isinstance(select_engine(config), OfflineModel)


@pytest.mark.parametrize("name", ["ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"])
def test_auto_is_anthropic_with_a_key_or_base_url(monkeypatch, config, name) -> None:
    monkeypatch.setenv(name, "http://127.0.0.1:9" if name.endswith("URL") else "dummy-test-key")
    assert isinstance(select_engine(config), AnthropicModel)


def test_the_override_wins_over_the_config(fake, config) -> None:
    assert isinstance(select_engine(config, "offline"), OfflineModel)
    assert isinstance(
        select_engine(dataclasses.replace(config, engine="offline"), "anthropic"), AnthropicModel
    )


def test_the_anthropic_engine_without_configuration_is_a_clear_error(config) -> None:
    with pytest.raises(KbsleepError, match="needs ANTHROPIC_API_KEY"):
        select_engine(config, "anthropic")
    with pytest.raises(
        KbsleepError, match=r"unknown engine `gpt` \(known: auto, anthropic, offline\)"
    ):
        select_engine(config, "gpt")


def test_a_local_server_needs_no_key(monkeypatch, config) -> None:
    with FakeAnthropic(responses=["local reply"]) as local:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", local.base_url)
        result = select_engine(config).complete(Request("ask", "hi", model="llama3.2"))
    assert result.text == "local reply" and result.cost_usd == 0 and local.requests[0].authorized


def test_each_task_uses_its_configured_model(fake, config) -> None:
    model = select_engine(dataclasses.replace(config, consolidate_model="claude-opus-4-1"))
    model.complete(Request("consolidate", "merge these"))
    model.complete(Request("anticipate", "questions"))
    model.complete(Request("ask", "q", model="claude-sonnet-4-6", max_tokens=50))
    bodies = [r.body for r in fake.requests]
    assert [(b["model"], b["max_tokens"]) for b in bodies] == [
        ("claude-opus-4-1", 256), ("claude-haiku-4-5", 256), ("claude-sonnet-4-6", 50),
    ]  # fmt: skip


def test_offline_extract_answers_from_the_context_deterministically(config) -> None:
    ask = select_engine(config).complete
    for _ in range(2):
        result = ask(Request("extract", "When was Ada born?", context=WIKI))
        assert result.text == "Ada was born in 1815. [[people/ada.md]]"
        assert (result.engine, result.model, result.cost_usd, result.usage) == (
            "offline",
            "offline",
            0.0,
            Usage(),
        )
    other = ask(Request("extract", "Who designed the engine?", context=WIKI))
    assert other.text == "The Analytical Engine was designed by Babbage. [[projects/engine.md]]"
    assert (
        ask(Request("extract", "Who is Zorro?", context=WIKI)).text
        == "The wiki has nothing on this."
    )


class Verdict(BaseModel):
    keep: bool


def test_offline_handlers_are_registered_by_task(monkeypatch, config) -> None:
    monkeypatch.setitem(
        OFFLINE_TASKS, "judge", lambda r: offline_result(r, output=Verdict(keep=True))
    )
    monkeypatch.setitem(OFFLINE_TASKS, "lazy", "kbsleep.llm.offline:extract_answer")
    model = select_engine(config)
    assert model.complete(Request("judge", "x", schema=Verdict)).output == Verdict(keep=True)
    assert model.complete(Request("lazy", "Ada?", context=WIKI)).text.startswith("Ada was born")
    assert callable(OFFLINE_TASKS["lazy"])  # imported once, then kept


def test_an_offline_handler_must_return_the_schema(monkeypatch, config) -> None:
    monkeypatch.setitem(OFFLINE_TASKS, "judge", lambda r: offline_result(r, text="yes"))
    result = select_engine(config).complete(Request("judge", "x", schema=Verdict))
    assert result.error == "offline handler for `judge` returned no Verdict"


def test_an_unknown_offline_task_is_a_clear_error(config) -> None:
    with pytest.raises(
        KbsleepError, match=r"offline engine cannot do the task `dream` \(it knows: .*extract"
    ):
        select_engine(config).complete(Request("dream", "x"))


def test_list_models_reads_the_models_api(fake, config) -> None:
    models = list_models(config)
    assert [m.id for m in models] == ["claude-haiku-4-5", "claude-sonnet-4-5", "claude-opus-4-1"]
    assert models[0].created_at == "2025-10-01" and models[0].display_name


def test_list_models_without_a_models_api_is_a_clear_error(fake, config) -> None:
    fake.models = None
    with pytest.raises(KbsleepError, match=r"has no models API \(GET /v1/models returned 404\)"):
        list_models(config)


def test_prices_match_dated_ids_and_config_overrides() -> None:
    assert price_for("claude-haiku-4-5-20251001") == Price(1.0, 5.0, 1.25, 0.1, 4096)
    assert price_for("claude-opus-4-1") == Price(15.0, 75.0, 18.75, 1.5, 1024)
    assert price_for("llama3.2") is None
    overrides = {
        "llama3.2": {"input": 0.0, "output": 0.0},
        "claude-haiku-4-5": {"input": 2, "output": 10, "cache-read": 0.5},
        "claude-sonnet-4-5": {"input": 3, "output": 15, "min-cache-tokens": 2048},
    }
    assert price_for("llama3.2", overrides) == Price(0, 0, 0, 0, 1024)
    # an override keeps the listed model's cache minimum unless it names its own
    assert price_for("claude-haiku-4-5-20251001", overrides) == Price(2, 10, 2.5, 0.5, 4096)
    assert price_for("claude-sonnet-4-5", overrides) == Price(3, 15, 3 * 1.25, 3 * 0.1, 2048)
    with pytest.raises(
        KbsleepError, match=r"llm.prices.x: needs `input` and `output`.*unknown keys: inptu"
    ):
        price_for("x", {"x": {"inptu": 1, "output": 2}})


def test_cost_adds_every_token_class_and_halves_for_batches() -> None:
    usage = Usage(
        input_tokens=1_000_000,
        output_tokens=100_000,
        cache_read_tokens=2_000_000,
        cache_write_tokens=400_000,
    )
    price = price_for("claude-sonnet-4-5")
    assert cost(usage, price) == pytest.approx(3 + 1.5 + 0.6 + 1.5)
    assert cost(usage, price, batched=True) == pytest.approx((3 + 1.5 + 0.6 + 1.5) / 2)
    assert cost(usage, None) == 0.0


def test_config_defaults_are_priced() -> None:
    config = LLMConfig()
    assert price_for(config.model) is not None and price_for(config.consolidate_model) is not None
