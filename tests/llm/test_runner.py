"""Bounded parallel calls, progress, estimates and budgets that stop a run cleanly."""

from __future__ import annotations

import dataclasses
import math
import threading

import pytest

from kbsleep.errors import KbsleepError
from kbsleep.llm import Budget, Progress, Request, estimate, run, select_engine
from kbsleep.llm.budget import local_tokens, worst_case
from kbsleep.testing import Fault
from tests.llm.support import Answer

REQUESTS = [Request("ask", f"question number {i}", pass_name="ask") for i in range(8)]


def test_calls_run_in_parallel_up_to_the_limit(fake, model, config) -> None:
    fake.responder = lambda body: Fault.delay(0.1, "done")
    report = run(model, REQUESTS, config, concurrency=3)
    assert len(report.results) == 8 and fake.max_in_flight == 3


def test_concurrency_defaults_to_the_config(fake, model, config) -> None:
    fake.responder = lambda body: Fault.delay(0.05, "done")
    run(model, REQUESTS, dataclasses.replace(config, concurrency=2))
    assert fake.max_in_flight == 2


def test_results_come_back_in_request_order_with_progress_on_the_caller_thread(
    fake, model, config
) -> None:
    seen: list[tuple[Progress, str]] = []
    report = run(
        model,
        REQUESTS,
        config,
        progress=lambda p: seen.append((p, threading.current_thread().name)),
    )
    assert [r.request.prompt for r in report.results] == [r.prompt for r in REQUESTS]
    assert [p.done for p, _ in seen] == list(range(1, 9)) and seen[-1][0].total == 8
    assert {name for _, name in seen} == {threading.current_thread().name}
    assert seen[-1][0].cost_usd == pytest.approx(report.cost_usd)
    assert report.usage.output_tokens == sum(r.usage.output_tokens for r in report.results)


LONG = "word " * 190  # about 247 tokens: close to max_tokens=256, so near the worst case


def test_a_cost_budget_stops_the_run_and_keeps_finished_work(fake, model, config) -> None:
    fake.responder = lambda body: LONG
    one = worst_case(REQUESTS[0], local_tokens(REQUESTS[0].prompt), "anthropic", config)
    report = run(model, REQUESTS, config, budget=Budget(max_cost_usd=one.usd * 3.5), concurrency=2)
    assert len(report.results) == 3 and len(report.not_done) == 5
    assert report.cost_usd <= one.usd * 3.5
    assert (report.stop_reason or "").startswith("budget: $") and "raise the budget" in (
        report.hint or ""
    )
    assert fake.count() == 3
    rest = run(model, REQUESTS, config)  # a rerun finishes the job, reusing the three
    assert rest.finished and sum(r.from_cache for r in rest.results) == 3 and fake.count() == 8


def test_a_token_budget_counts_every_token(fake, model, config) -> None:
    fake.responder = lambda body: LONG
    one = worst_case(REQUESTS[0], local_tokens(REQUESTS[0].prompt), "anthropic", config)
    report = run(model, REQUESTS, config, budget=Budget(max_tokens=int(one.tokens * 3.5)))
    assert len(report.results) == 3 and report.usage.total_tokens <= one.tokens * 3.5
    assert f"tokens used of {int(one.tokens * 3.5)}" in (report.stop_reason or "")


def test_cached_results_are_free_under_any_budget(fake, model, config) -> None:
    run(model, REQUESTS, config)
    report = run(model, REQUESTS, config, budget=Budget(max_cost_usd=0.0))
    assert len(report.results) == 8 and all(r.from_cache for r in report.results)


def test_an_unpriced_model_cannot_run_under_a_cost_budget(fake, model, config) -> None:
    local = [dataclasses.replace(r, model="llama3.2") for r in REQUESTS]
    with pytest.raises(KbsleepError, match=r"no price for the model `llama3\.2`") as info:
        run(model, local, config, budget=Budget(max_cost_usd=1.0))
    assert "llm.prices.llama3.2" in (info.value.hint or "")
    assert run(model, local, config, budget=Budget(max_tokens=10**6)).finished


def test_estimate_counts_tokens_with_the_api(fake, model, config) -> None:
    result = estimate(model, REQUESTS, config)
    assert result.counted and result.requests == 8 and result.cached == 0
    assert fake.count("/v1/messages/count_tokens") == 8 and fake.count() == 0
    assert result.max_output_tokens == 8 * 256
    assert result.worst_case.usd == pytest.approx(
        sum(worst_case(r, 4, "anthropic", config).usd for r in REQUESTS)  # 3 words -> 4 tokens
    )
    assert estimate(model, REQUESTS, config, batched=True).worst_case.usd == pytest.approx(
        result.worst_case.usd / 2
    )


def test_estimate_falls_back_to_a_local_count(fake, model, config) -> None:
    fake.count_tokens = False
    result = estimate(model, [*REQUESTS, Request("ask", "x" * 400, schema=Answer)], config)
    assert not result.counted and fake.count("/v1/messages/count_tokens") == 1  # one probe only
    assert result.input_tokens >= 8 * math.ceil(len("question number 0") / 4) + 100


def test_estimate_leaves_out_cached_requests(fake, model, config) -> None:
    run(model, REQUESTS[:3], config)
    result = estimate(model, REQUESTS, config)
    assert (result.requests, result.cached) == (5, 3)


def test_the_offline_engine_is_free(config, state) -> None:
    offline = select_engine(config, "offline", state_dir=state)
    assert estimate(offline, REQUESTS, config).worst_case.usd == 0
    requests = [Request("extract", "anything")] * 3
    assert run(offline, requests, config, budget=Budget(max_cost_usd=0.0)).finished
