"""Every API fault ends in kept work and a clear message: a skipped item or a clean stop."""

from __future__ import annotations

import dataclasses
import socket

import pytest

from kbsleep.errors import KbsleepError
from kbsleep.llm import Request, run, select_engine
from kbsleep.testing import Fault

REQUESTS = [Request("ask", f"item {i}") for i in range(3)]

# fault replies for the middle item (the engine makes 1 + max_retries=1 attempts) -> its fate
SKIPS = {
    "overloaded": ([Fault.overloaded()] * 2, "the API is overloaded (HTTP 529, 2 attempts)"),
    "server error": ([Fault.server_error()] * 2, "server error (HTTP 500, 2 attempts)"),
    "malformed JSON": ([Fault.malformed()], "malformed response from http://127.0.0.1"),
    "truncated": ([Fault.max_tokens()], "cut off at max_tokens=256"),
    "bad request": (
        [Fault.invalid_request("prompt is too long")],
        "(HTTP 400): prompt is too long",
    ),
}
STOPS = {
    "rate limit": ([Fault.rate_limit()] * 2, "rate limited by http://127.0.0.1", "llm.concurrency"),
    "dropped connection": ([Fault.drop()] * 2, "cannot reach http://127.0.0.1",
                           "ANTHROPIC_BASE_URL"),
    "bad key": ([Fault.unauthorized()], "rejected the credentials (HTTP 401): invalid x-api-key",
                "ANTHROPIC_API_KEY"),
}  # fmt: skip


@pytest.mark.parametrize("faults, message", SKIPS.values(), ids=SKIPS.keys())
def test_an_item_fault_skips_that_item_and_the_run_goes_on(
    fake, model, config, faults, message
) -> None:
    fake.script("answer 0", *faults, "answer 2")
    report = run(model, REQUESTS, config, concurrency=1)
    assert [r.text for r in report.results] == ["answer 0", "answer 2"]
    assert [r.request.prompt for r in report.skipped] == ["item 1"]
    assert message in (report.skipped[0].error or "")
    assert report.not_done == () and report.stop_reason is None


@pytest.mark.parametrize("faults, message, hint", STOPS.values(), ids=STOPS.keys())
def test_a_run_fault_stops_cleanly_keeping_finished_work(
    fake, model, config, faults, message, hint
) -> None:
    fake.script("answer 0", *faults, "answer 2")
    report = run(model, REQUESTS, config, concurrency=1)
    assert [r.text for r in report.results] == ["answer 0"]
    assert [r.prompt for r in report.not_done] == ["item 1", "item 2"]
    assert message in (report.stop_reason or "") and hint in (report.hint or "")
    again = run(model, REQUESTS, config, concurrency=1)  # the rerun reuses the finished work
    assert again.finished and again.results[0].from_cache


@pytest.mark.parametrize(
    "fault", [Fault.rate_limit(), Fault.overloaded(), Fault.server_error(), Fault.drop()]
)
def test_the_sdk_retries_transient_faults(fake, model, fault) -> None:
    fake.script(fault, "fine")
    result = model.complete(Request("ask", "hello"))
    assert result.ok and result.text == "fine" and fake.count() == 2


def test_a_reply_slower_than_the_timeout_is_skipped(fake, config, state) -> None:
    quick = dataclasses.replace(config, timeout=0.2, max_retries=0)
    fake.script(Fault.delay(3.0), "answer 1")
    report = run(select_engine(quick, state_dir=state), REQUESTS[:2], quick, concurrency=1)
    assert [r.text for r in report.results] == ["answer 1"]
    assert "no reply within 0.2s (1 attempt)" in (report.skipped[0].error or "")


def test_a_hook_uses_a_short_timeout_and_no_retries(fake, config) -> None:
    hook = select_engine(dataclasses.replace(config, timeout=60.0), hook=True)
    assert hook.timeout == 10.0 and hook.max_retries == 0
    fake.script(Fault.overloaded(), "too late")
    result = hook.complete(Request("ask", "quick?", phase="test"))
    assert "overloaded (HTTP 529, 1 attempt)" in (result.error or "")
    assert fake.count() == 1


def test_an_unreachable_endpoint_stops_the_run(monkeypatch, config) -> None:
    with socket.socket() as sock:  # a port nobody listens on: held, bound and not listening, so no other process takes it meanwhile
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        monkeypatch.setenv("ANTHROPIC_API_KEY", "dummy-test-key")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", f"http://127.0.0.1:{port}")
        model = select_engine(dataclasses.replace(config, max_retries=0))
        report = run(model, REQUESTS, config)
    assert report.results == () and len(report.not_done) == 3
    assert f"cannot reach http://127.0.0.1:{port}" in (report.stop_reason or "")


def test_a_single_call_raises_one_clear_error_for_a_run_fault(fake, model) -> None:
    fake.script(Fault.unauthorized())
    with pytest.raises(KbsleepError, match=r"rejected the credentials \(HTTP 401\)") as info:
        model.complete(Request("ask", "hello"))
    assert info.value.hint == "check ANTHROPIC_API_KEY"
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_the_hook_timeout_comes_from_config(fake) -> None:
    from kbsleep.config import LLMConfig
    from kbsleep.llm.anthropic_engine import AnthropicModel

    hooked = AnthropicModel(LLMConfig(timeout=60.0, hook_timeout=3.0), hook=True)
    assert (hooked.timeout, hooked.max_retries) == (3.0, 0)
    assert AnthropicModel(LLMConfig(timeout=60.0, hook_timeout=3.0)).timeout == 60.0
