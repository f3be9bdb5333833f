"""When the endpoint fails, `anticipate` and `sleep` say so once, stop calling, and exit non-zero."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kbsleep.cli import main
from kbsleep.testing import FakeAnthropic, Fault
from tests.conftest import git

CONFIG = "[llm]\ntimeout = 2.0\nmax-retries = 0\nconcurrency = 1\nmax-failures-in-a-row = 2\n"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAnthropic]:
    with FakeAnthropic() as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-dummy")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        yield server


@pytest.fixture
def repo(make_repo) -> Path:
    return make_repo({"kbsleep.toml": CONFIG}, fixture="anticipate/wiki")


def kbsleep(repo: Path, *args: str) -> int:
    return main(["--wiki", str(repo), *args, "--engine", "anthropic"])


def test_a_bad_key_stops_anticipate_once_with_exit_2(fake: FakeAnthropic, repo: Path, capsys) -> None:
    fake.responder = lambda body: Fault.unauthorized()
    head = git(repo, "rev-parse", "HEAD")
    assert kbsleep(repo, "anticipate") == 2
    err = capsys.readouterr().err
    assert err.count("rejected the credentials (HTTP 401)") == 1
    assert "skipped " not in err and "3 pages not asked" in err
    assert fake.count() == 1 and git(repo, "rev-parse", "HEAD") == head


def test_an_outage_trips_the_breaker_instead_of_asking_about_every_page(fake: FakeAnthropic, repo: Path, capsys) -> None:
    fake.responder = lambda body: Fault.server_error()
    assert kbsleep(repo, "anticipate") == 2
    err = capsys.readouterr().err
    assert fake.count() == 2  # llm.max-failures-in-a-row, not one per page
    assert "stopped: 2 requests in a row got no reply, the last: server error (HTTP 500, 1 attempt)" in err
    assert "1 page not asked" in err
    # the two pages that were tried are reported with their own reasons
    assert err.count("skipped ") == 2 and err.count("model error: server error") == 2


def test_sleep_exits_2_and_says_why_when_the_endpoint_is_down(fake: FakeAnthropic, repo: Path, capsys) -> None:
    fake.responder = lambda body: Fault.server_error()
    assert kbsleep(repo, "sleep") == 2
    err = capsys.readouterr().err
    assert "sleep stopped at anticipate: 2 requests in a row got no reply" in err
    assert "run again later" in err


def test_sleep_exits_2_once_for_a_bad_key(fake: FakeAnthropic, repo: Path, capsys) -> None:
    fake.responder = lambda body: Fault.unauthorized()
    assert kbsleep(repo, "sleep") == 2
    captured = capsys.readouterr()
    assert (captured.out + captured.err).count("HTTP 401") == 1 and fake.count() == 1


def test_sleep_with_failed_calls_exits_1_and_lists_them(fake: FakeAnthropic, make_repo, capsys) -> None:
    repo = make_repo({"kbsleep.toml": CONFIG.replace("= 2\n", "= 0\n")}, fixture="anticipate/wiki")
    fake.responder = lambda body: Fault.overloaded()
    assert kbsleep(repo, "sleep") == 1
    err = capsys.readouterr().err
    assert err.count("model error: the API is overloaded (HTTP 529, 1 attempt)") == 3


def test_a_rate_limit_message_and_its_hint_agree(fake: FakeAnthropic, repo: Path, capsys) -> None:
    fake.responder = lambda body: Fault.rate_limit()
    assert kbsleep(repo, "anticipate") == 2
    err = capsys.readouterr().err
    assert "rate limited by" in err and "replies already received are cached" in err
    assert "finished work is kept" not in err and "nothing was written" not in err
