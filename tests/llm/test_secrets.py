"""The API key never appears in output, logs, the cache, the ledger, batch files or errors."""

from __future__ import annotations

import logging

import pytest

from kbsleep.errors import KbsleepError
from kbsleep.llm import Request, estimate, list_models, run, run_batch, stats
from kbsleep.llm.redact import display_url, redact
from kbsleep.state import ledger_path
from kbsleep.testing import Fault
from tests.llm.support import TEST_KEY, Answer

LEAKY = f"invalid x-api-key: {TEST_KEY}"  # some proxies echo the key they were sent


def test_redact_removes_the_configured_key_and_key_shaped_strings(monkeypatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "my-very-own-key-123")
    assert (
        redact("sent my-very-own-key-123 and sk-ant-api03-AbC_d-123456")
        == "sent [redacted] and [redacted]"
    )
    assert display_url("https://user:pw@proxy.example/v1") == "https://proxy.example/v1"


def test_the_key_never_leaks(fake, model, config, state, caplog, capfd) -> None:
    caplog.set_level(logging.DEBUG)  # the SDK's and httpx's debug logging too
    for name in ("anthropic", "httpx2", "httpcore2"):
        caplog.set_level(logging.DEBUG, logger=name)
    fake.script(
        '{"answer": "a", "confidence": 1}',
        Fault("server_error", message=LEAKY), Fault("server_error", message=LEAKY),
        Fault("invalid_request", message=LEAKY),
    )  # fmt: skip
    texts: list[str] = []
    report = run(
        model, [Request("ask", f"q{i}", schema=Answer) for i in range(3)], config, concurrency=1
    )
    texts += [repr(report)]
    assert len(report.skipped) == 2 and "[redacted]" in (report.skipped[0].error or "")

    fake.script(Fault.unauthorized(LEAKY))
    with pytest.raises(KbsleepError) as info:
        model.complete(Request("ask", "again"))
    texts += [str(info.value), info.value.message, repr(info.value), str(info.value.hint)]
    assert "[redacted]" in info.value.message

    fake.script(*[Fault.unauthorized(LEAKY)] * 2)
    texts += [repr(run(model, [Request("ask", "x"), Request("ask", "y")], config))]
    texts += [
        repr(run_batch(model, [Request("ask", "b1")], config, state, wait=True, poll_interval=0.01))
    ]
    texts += [repr(estimate(model, [Request("ask", "e")], config)), repr(list_models(config))]
    texts += [repr(stats(ledger_path(state)))]

    assert "Sending HTTP Request" in caplog.text  # the debug logs were really captured
    captured = capfd.readouterr()
    texts += [captured.out, captured.err, caplog.text]
    for text in texts:
        assert TEST_KEY not in text
    files = [p for p in state.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {
        "ledger.sqlite",
        "responses.sqlite",
        ".gitignore",
        "CACHEDIR.TAG",
    }
    assert any(p.suffix == ".json" for p in files)  # the saved batch
    for path in files:
        assert TEST_KEY.encode() not in path.read_bytes(), path
    assert captured.out == "" and captured.err == ""  # the core never prints
