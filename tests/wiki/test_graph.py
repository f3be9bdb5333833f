"""The link graph: a cold load resolves many pages' links on two cores, with the same outcomes."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from kbsleep import forked
from kbsleep.wiki import graph, load_wiki

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux only")


@pytest.fixture
def root(sample_repo: Path) -> Path:
    return sample_repo


def outcomes(root: Path) -> dict:
    wiki = load_wiki(root, use_cache=False)
    back = {path: [(r.source, r.link, r.status) for r in links] for path, links in wiki.backlinks.items()}
    return {"out": {p: [(r.link, r.status, r.target, r.others, r.attachment) for r in links] for p, links in wiki.outlinks.items()}, "back": back}


def test_a_forked_child_taking_chunks_of_pages_changes_no_outcome(root: Path, monkeypatch) -> None:
    alone = outcomes(root)
    monkeypatch.setattr(graph, "PARALLEL_PAGES", 0)
    monkeypatch.setattr(graph, "CHUNK_PAGES", 2)
    monkeypatch.setattr(forked.threading, "active_count", lambda: 1)  # test servers' threads aside
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    assert outcomes(root) == alone
    assert forks == [1]


def test_without_a_child_every_page_is_resolved_here(root: Path, monkeypatch) -> None:
    alone = outcomes(root)
    monkeypatch.setattr(graph, "PARALLEL_PAGES", 0)
    monkeypatch.setattr(forked.threading, "active_count", lambda: 1)

    def no_fork() -> int:
        raise OSError("fork not allowed")

    monkeypatch.setattr(os, "fork", no_fork)
    assert outcomes(root) == alone


def test_the_parse_cache_is_written_while_a_child_resolves(root: Path, monkeypatch) -> None:
    from kbsleep.wiki.cache import CACHE_FILE

    monkeypatch.setattr(graph, "PARALLEL_PAGES", 0)
    monkeypatch.setattr(forked.threading, "active_count", lambda: 1)
    cold = load_wiki(root)
    assert cold.stats["parsed"] == len(cold.pages) and (root / ".kbsleep" / CACHE_FILE).exists()
    assert load_wiki(root).stats == {"parsed": 0, "cached": len(cold.pages)}


def test_the_chunks_of_a_child_that_fails_are_resolved_here(root: Path, monkeypatch) -> None:
    alone = outcomes(root)
    monkeypatch.setattr(graph, "PARALLEL_PAGES", 0)
    monkeypatch.setattr(graph, "CHUNK_PAGES", 2)
    monkeypatch.setattr(forked.threading, "active_count", lambda: 1)
    parent, fresh = os.getpid(), graph.Outlinks._fresh

    def failing_in_a_child(self, path):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return fresh(self, path)

    monkeypatch.setattr(graph.Outlinks, "_fresh", failing_in_a_child)
    assert outcomes(root) == alone
