"""`state.connect`: a state database another process keeps locked is a user error naming the file."""

from __future__ import annotations

import sqlite3

import pytest

from kbsleep import asks_log, missed, state
from kbsleep.ask import Answer
from kbsleep.errors import KbsleepError


@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(state, "BUSY_TIMEOUT_S", 0.05)  # the wait is SQLite's; the test needs no 30 s of it


def hold(path) -> sqlite3.Connection:
    """Another writer, mid-transaction on `path`."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA journal_mode=WAL")
    other.execute("CREATE TABLE IF NOT EXISTS held (v)")
    other.execute("BEGIN EXCLUSIVE")
    return other


def test_logging_an_ask_while_another_process_holds_the_log_says_so(tmp_path, short_wait) -> None:
    other = hold(asks_log.log_path(tmp_path))
    answer = Answer(question="Who?", text="Ada.", citations=(), path="offline", engine="offline", tokens=0, context_tokens=0, latency_s=0.0)
    with pytest.raises(KbsleepError) as caught:
        asks_log.log(tmp_path, answer)
    assert caught.value.message == f"{asks_log.log_path(tmp_path)} is locked by another process (waited 0.05 s)"
    other.execute("ROLLBACK")
    asks_log.log(tmp_path, answer)  # free again: logged
    assert [row[0] for row in asks_log.asks(tmp_path)] == ["offline"]


def test_queueing_a_missed_question_while_the_queue_is_held_says_so(tmp_path, short_wait) -> None:
    other = hold(missed.path(tmp_path))
    with pytest.raises(KbsleepError, match="is locked by another process"):
        missed.record_miss(tmp_path, "Who?", ["A.md"])
    other.close()


def test_other_database_errors_are_not_taken_for_a_lock(tmp_path) -> None:
    with pytest.raises(sqlite3.OperationalError, match="no such table"), state.connect(tmp_path / "s.sqlite") as db:
        db.execute("SELECT * FROM nowhere")
