"""The run's circuit breaker: an endpoint that answers nothing is not asked about every item."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from kbsleep.config import LLMConfig, load_config
from kbsleep.llm import Request, run, select_engine
from kbsleep.testing import FakeAnthropic, Fault

REQUESTS = [Request("ask", f"item {i}") for i in range(20)]


def test_after_n_requests_in_a_row_get_no_reply_the_run_stops_calling(fake: FakeAnthropic, config: LLMConfig, state: Path) -> None:
    config = dataclasses.replace(config, max_failures_in_a_row=3)  # max_retries=1: 2 attempts each
    fake.responder = lambda body: Fault.server_error()
    report = run(select_engine(config, state_dir=state), REQUESTS, config, concurrency=1)
    assert fake.count() == 3 * 2  # not 20 * 2
    assert len(report.skipped) == 3 and len(report.not_done) == 17 and report.results == ()
    assert report.stop_kind == "endpoint"
    assert report.stop_reason == "3 requests in a row got no reply, the last: server error (HTTP 500, 2 attempts): api_error"
    assert "run again later" in (report.hint or "")


def test_a_reply_in_between_resets_the_count(fake: FakeAnthropic, config: LLMConfig, state: Path) -> None:
    config = dataclasses.replace(config, max_failures_in_a_row=3, max_retries=0)
    fake.script(*[Fault.overloaded(), Fault.overloaded(), "fine"] * 3)
    report = run(select_engine(config, state_dir=state), REQUESTS[:9], config, concurrency=1)
    assert [r.text for r in report.results] == ["fine"] * 3
    assert report.stop_reason is None and len(report.skipped) == 6


def test_invalid_replies_are_not_endpoint_failures(fake: FakeAnthropic, config: LLMConfig, state: Path) -> None:
    config = dataclasses.replace(config, max_failures_in_a_row=2)
    fake.responder = lambda body: Fault.max_tokens()
    report = run(select_engine(config, state_dir=state), REQUESTS[:5], config, concurrency=1)
    assert len(report.skipped) == 5 and report.stop_reason is None


def test_zero_turns_the_breaker_off(fake: FakeAnthropic, config: LLMConfig, state: Path) -> None:
    config = dataclasses.replace(config, max_failures_in_a_row=0, max_retries=0)
    fake.responder = lambda body: Fault.server_error()
    report = run(select_engine(config, state_dir=state), REQUESTS[:8], config, concurrency=1)
    assert fake.count() == 8 and len(report.skipped) == 8 and report.stop_reason is None


def test_the_default_stops_after_five_and_the_key_is_configurable(tmp_path: Path) -> None:
    assert LLMConfig().max_failures_in_a_row == 5
    (tmp_path / "kbsleep.toml").write_text("[llm]\nmax-failures-in-a-row = 9\n")
    assert load_config(tmp_path).llm.max_failures_in_a_row == 9
