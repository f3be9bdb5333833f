"""A whole-wiki lint of a large wiki runs every other rule in a forked child: same findings."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from kbsleep import forked
from kbsleep.lint import lint, parallel
from kbsleep.wiki import open_wiki

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux only")


@pytest.fixture
def wiki(sample_repo: Path):  # type: ignore[no-untyped-def]
    return open_wiki(sample_repo)


def test_the_findings_are_those_of_a_run_in_one_process(wiki, monkeypatch) -> None:
    alone = lint(wiki).diagnostics
    monkeypatch.setattr(parallel, "PARALLEL_PAGES", 0)
    # Other tests' local servers may leave threads winding down in this process; the CLI has none.
    monkeypatch.setattr(forked.threading, "active_count", lambda: 1)
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    assert lint(wiki).diagnostics == alone
    assert forks == [1]


def test_without_a_child_the_rules_run_here(wiki, monkeypatch) -> None:
    alone = lint(wiki).diagnostics
    monkeypatch.setattr(parallel, "PARALLEL_PAGES", 0)

    def no_fork() -> int:
        raise OSError("fork not allowed")

    monkeypatch.setattr(os, "fork", no_fork)
    monkeypatch.setattr(forked.threading, "active_count", lambda: 1)
    assert lint(wiki).diagnostics == alone


def test_a_focused_lint_never_forks(wiki, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_PAGES", 0)
    monkeypatch.setattr(forked.threading, "active_count", lambda: 1)
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked for a focused lint"))
    lint(wiki, scope=["index.md"])


def test_a_process_with_other_threads_never_forks(wiki, monkeypatch) -> None:
    import threading

    monkeypatch.setattr(parallel, "PARALLEL_PAGES", 0)
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked beside another thread"))
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        lint(wiki)
    finally:
        stop.set()
        other.join()


def test_the_rules_are_split_into_two_shares_of_about_equal_cost() -> None:
    from kbsleep.lint.registry import RULES

    rules = list(RULES.values())
    theirs, mine = parallel.split(rules)
    assert sorted(r.code for r in theirs + mine) == sorted(r.code for r in rules)
    cost = [sum(parallel.COST.get(r.name, 1) for r in share) for share in (theirs, mine)]
    assert abs(cost[0] - cost[1]) <= max(parallel.COST.values(), default=1) // 5
    assert set(parallel.COST) <= {r.name for r in rules}  # no stale names in the table
