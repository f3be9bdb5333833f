"""A call has a wall-clock deadline: a server trickling its reply cannot hold a run for ever."""

from __future__ import annotations

import dataclasses
import time

from kbsleep.config import LLMConfig
from kbsleep.llm import Request, run, select_engine
from kbsleep.testing import FakeAnthropic, Fault


def test_a_trickled_reply_is_cut_off_at_the_timeout_and_the_item_skipped(fake: FakeAnthropic, config: LLMConfig, state) -> None:
    # Each byte comes well within the per-read timeout; the whole reply would take ~60 s.
    config = dataclasses.replace(config, timeout=0.6, max_retries=0)
    model = select_engine(config, state_dir=state)
    fake.script(Fault.trickle(0.05, text="x" * 400), "answer 1")
    started = time.monotonic()
    report = run(model, [Request("ask", "item 0"), Request("ask", "item 1")], config, concurrency=1)
    elapsed = time.monotonic() - started
    assert elapsed < 3.0
    assert [r.text for r in report.results] == ["answer 1"]
    assert "no reply within 0.6s (1 attempt)" in (report.skipped[0].error or "")


def test_retries_each_get_the_deadline_so_the_call_is_bounded(fake: FakeAnthropic, config: LLMConfig, state) -> None:
    config = dataclasses.replace(config, timeout=0.4, max_retries=1)
    model = select_engine(config, state_dir=state)
    fake.script(Fault.trickle(0.05, text="x" * 400), Fault.trickle(0.05, text="x" * 400))
    started = time.monotonic()
    report = run(model, [Request("ask", "item 0")], config, concurrency=1)
    assert time.monotonic() - started < 3.0
    assert fake.count() == 2
    assert "no reply within 0.4s (2 attempts)" in (report.skipped[0].error or "")


def test_a_slow_but_whole_reply_within_the_deadline_is_kept(fake: FakeAnthropic, config: LLMConfig, state) -> None:
    model = select_engine(dataclasses.replace(config, timeout=2.0), state_dir=state)
    fake.script(Fault.trickle(0.0005, text="fine"))
    report = run(model, [Request("ask", "item 0")], config)
    assert [r.text for r in report.results] == ["fine"]


def test_the_deadline_keeps_the_proxies_the_environment_sets(fake: FakeAnthropic, config: LLMConfig, state, monkeypatch) -> None:
    from kbsleep.llm.recorded import unwrap

    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    client = unwrap(select_engine(config, state_dir=state)).client._client
    assert any(transport is not None for transport in client._mounts.values())  # httpx drops env proxies under a custom transport
