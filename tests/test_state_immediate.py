"""`state.immediate`: a write to one of kbsleep's SQLite files lands whole or not at all."""

from __future__ import annotations

import sqlite3

import pytest

from kbsleep.state import immediate


def test_a_write_that_finishes_is_committed(tmp_path) -> None:
    db = sqlite3.connect(tmp_path / "s.sqlite", isolation_level=None)
    db.execute("CREATE TABLE t (v)")
    with immediate(db):
        db.execute("INSERT INTO t VALUES (1)")
    assert sqlite3.connect(tmp_path / "s.sqlite").execute("SELECT v FROM t").fetchall() == [(1,)]


def test_an_interrupted_write_leaves_nothing(tmp_path) -> None:
    db = sqlite3.connect(tmp_path / "s.sqlite", isolation_level=None)
    db.execute("CREATE TABLE t (v)")
    with pytest.raises(KeyboardInterrupt), immediate(db):
        db.execute("INSERT INTO t VALUES (1)")
        raise KeyboardInterrupt
    assert db.execute("SELECT v FROM t").fetchall() == []
    assert not db.in_transaction
