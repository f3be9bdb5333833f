"""A cold load of many pages parses them in several processes: the pages are the same."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from kbsleep.wiki import parsing
from kbsleep import forked
from kbsleep.wiki import load_wiki


@pytest.fixture
def root(sample_repo: Path) -> Path:
    return sample_repo


def rows(root: Path) -> dict:
    return {path: page.to_row() for path, page in load_wiki(root, use_cache=False).pages.items()}


def in_parallel(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(parsing, "PARALLEL_THRESHOLD", 0)
    monkeypatch.setattr(forked.threading, "active_count", lambda: 1)  # test servers' threads aside
    monkeypatch.setattr(os, "cpu_count", lambda: 3)  # two children and this process


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux only")
def test_forked_children_parse_the_same_pages(root: Path, monkeypatch) -> None:
    alone = rows(root)
    in_parallel(monkeypatch)
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    assert rows(root) == alone
    assert forks == [1, 1]  # two children parse, this process too


def test_without_a_child_the_pages_are_parsed_here(root: Path, monkeypatch) -> None:
    alone = rows(root)
    in_parallel(monkeypatch)

    def no_fork() -> int:
        raise OSError("fork not allowed")

    monkeypatch.setattr(os, "fork", no_fork)
    assert rows(root) == alone


def test_where_fork_is_not_to_be_had_a_process_pool_parses(root: Path, monkeypatch) -> None:
    alone = rows(root)
    in_parallel(monkeypatch)
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    assert rows(root) == alone


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux only")
def test_the_chunks_of_a_child_that_fails_are_parsed_here(root: Path, monkeypatch) -> None:
    alone = rows(root)
    in_parallel(monkeypatch)
    real_start = forked.start

    def failing_child(work):  # type: ignore[no-untyped-def]
        def take_then_fail():  # type: ignore[no-untyped-def]
            work()
            raise RuntimeError("the child dies after taking its chunks")

        return real_start(take_then_fail)

    monkeypatch.setattr(forked, "start", failing_child)
    assert rows(root) == alone

