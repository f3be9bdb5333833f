"""An API with no capacity for the call (overloaded, HTTP 529; rate limited, HTTP 429) gave no
"unusable answer": `ask` says the API was busy, that nothing is wrong with the wiki or the
question, and to ask again for the model's answer, and the offline engine answers meanwhile, as
it does when the endpoint fails. Through the real SDK against the local fake Messages API, after
the SDK's own retries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kbsleep.cli import main
from kbsleep.testing import FakeAnthropic, Fault
from tests.ask.support import wiki_files

QUESTION = "When was Ada Lovelace born?"
BUSY = {
    "overloaded": (Fault.overloaded, "the API is overloaded (HTTP 529, 2 attempts)"),
    "rate limited": (Fault.rate_limit, "(HTTP 429, 2 attempts)"),
}


@pytest.fixture
def root(make_repo) -> Path:  # type: ignore[no-untyped-def]
    return make_repo({**wiki_files(), "kbsleep.toml": "[llm]\nmax-retries = 1\ntimeout = 2.0\n"})


@pytest.mark.parametrize("kind", BUSY, ids=list(BUSY))
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_a_busy_api_is_said_busy_and_the_offline_engine_answers_meanwhile(root: Path, fake: FakeAnthropic, capsys, kind: str, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    fault, said = BUSY[kind]
    fake.responder = lambda body: fault()
    assert main(["--wiki", str(root), "ask", "--engine", "anthropic", *(["--json"] if as_json else []), QUESTION]) == 0
    out, err = capsys.readouterr()
    why = json.loads(out)["fallback"] if as_json else err
    assert said in why and "nothing is wrong with the wiki or the question" in why and "ask again in a minute" in why
    assert "no usable answer" not in why and "could not be reached" not in why
    if not as_json:
        assert err.startswith("warning: ") and "answered offline instead" in err and "1815" in out
    assert fake.count() == 2  # the SDK retried once (`llm.max-retries`), then kbsleep stopped


def test_a_retry_that_gets_through_answers_as_usual(root: Path, fake: FakeAnthropic, capsys) -> None:  # type: ignore[no-untyped-def]
    fake.script(Fault.overloaded(), json.dumps({"answer": "In 1815.", "citations": ["Ada Lovelace#Ada Lovelace"], "found": True}))
    assert main(["--wiki", str(root), "ask", "--engine", "anthropic", "--json", QUESTION]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["engine"], data["answer"], data["fallback"]) == ("anthropic", "In 1815.", None)


def test_a_server_error_still_falls_back_offline(root: Path, fake: FakeAnthropic, capsys) -> None:  # type: ignore[no-untyped-def]
    """A 500 is the endpoint failing, not busy: the offline answer stands in, as before."""
    fake.responder = lambda body: Fault.server_error()
    assert main(["--wiki", str(root), "ask", "--engine", "anthropic", "--json", QUESTION]) == 0
    assert json.loads(capsys.readouterr().out)["fallback"].startswith("the model gave no usable answer: server error (HTTP 500")
