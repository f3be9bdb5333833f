"""Fallback, not failure: when the model's answer is unusable or the endpoint fails, `ask` answers
with the offline engine and says so; a budget too small is still the user's error."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from kbsleep.ask import ask
from kbsleep.cli import main
from kbsleep.config import load_config
from kbsleep.testing import Fault
from tests.ask.support import wiki_files

CONFIG = "[llm]\nmax-retries = 0\ntimeout = 2.0\n"
QUESTION = "When was Ada Lovelace born?"
OFFLINE = "She was born in London in 1815 and wrote the first published algorithm for Babbage's Analytical Engine."


@pytest.fixture
def root(make_repo) -> Path:
    return make_repo({**wiki_files(), "kbsleep.toml": CONFIG})


@pytest.mark.parametrize(
    ("replies", "reason"),
    [
        (["I think 1815.", "It was 1815, I am sure."], "the model gave no usable answer: invalid structured output after one retry: "),
        ([Fault.refusal()], "the model gave no usable answer: the model declined to answer"),
        ([Fault.max_tokens()], "the model gave no usable answer: the reply was cut off at max_tokens="),
        ([Fault.server_error()], "the model gave no usable answer: server error (HTTP 500, 1 attempt)"),
    ],
    ids=["malformed twice", "refused", "truncated", "server error"],
)
def test_an_unusable_answer_is_replaced_by_the_offline_answer(root, fake, replies, reason) -> None:
    fake.script(*replies)
    got = ask(root, load_config(root), QUESTION, engine="anthropic")
    assert (got.path, got.engine, got.text) == ("offline", "offline", OFFLINE)
    assert [c.wikilink for c in got.citations] == ["[[Ada Lovelace#Ada Lovelace]]"]
    assert got.fallback is not None and got.fallback.startswith(reason)
    assert fake.count() == len(replies)


def test_the_cli_says_so_on_stderr_and_exits_0(root, fake, capsys) -> None:
    fake.script("not json", "still not json")
    assert main(["--wiki", str(root), "ask", "--engine", "anthropic", QUESTION]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(OFFLINE + "\n")
    assert err.startswith("warning: the model gave no usable answer: invalid structured output after one retry")
    assert "; answered offline instead\n" in err and "(offline extraction; " in err


def test_json_names_the_engine_and_the_fallback(root, fake, capsys) -> None:
    fake.script(Fault.refusal("no"))
    assert main(["--wiki", str(root), "ask", "--json", "--engine", "anthropic", QUESTION]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["engine"], data["path"], data["found"]) == ("offline", "offline", True)
    assert data["fallback"] == "the model gave no usable answer: the model declined to answer: no"
    assert data["tokens"] > 0  # the refused call's tokens are still counted


def test_a_usable_answer_has_no_fallback(root, fake, capsys) -> None:
    fake.script(json.dumps({"answer": "In 1815.", "citations": ["Ada Lovelace#Ada Lovelace"], "found": True}))
    assert main(["--wiki", str(root), "ask", "--json", "--engine", "anthropic", QUESTION]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["engine"], data["answer"], data["fallback"]) == ("anthropic", "In 1815.", None)
    assert "warning" not in capsys.readouterr().err


def test_a_dead_endpoint_falls_back_too(root, monkeypatch, capsys) -> None:
    with socket.socket() as probe:  # a port nobody listens on: held, bound and not listening, so no other process takes it meanwhile
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-dummy-dead")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", f"http://127.0.0.1:{port}")
        assert main(["--wiki", str(root), "ask", "--engine", "anthropic", "--json", QUESTION]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["engine"], data["answer"]) == ("offline", OFFLINE)
    assert data["fallback"].startswith(f"the model could not be reached: cannot reach http://127.0.0.1:{port} (1 attempt)")


def test_the_ask_log_records_the_offline_answer_and_the_calls_spent(root, fake) -> None:
    from kbsleep.asks_log import asks
    from kbsleep.llm import stats
    from kbsleep.state import STATE_DIR, ledger_path

    fake.script(Fault.refusal())
    got = ask(root, load_config(root), QUESTION, engine="anthropic")
    assert asks(root / STATE_DIR) == [("offline", got.tokens, got.context_tokens)]
    assert stats(ledger_path(root / STATE_DIR)).by_phase["test"].errors == 1  # the refused call


def test_a_budget_too_small_is_still_an_error(root, fake, capsys) -> None:
    assert main(["--wiki", str(root), "ask", "--engine", "anthropic", "--max-tokens", "10", QUESTION]) == 2
    assert capsys.readouterr().err.startswith("error: budget")
    assert fake.count() == 0
