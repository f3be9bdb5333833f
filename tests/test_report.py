"""Terminal rendering."""

from __future__ import annotations

import threading

from kbsleep.report import progress


def test_the_progress_bar_starts_no_thread_so_a_cold_load_can_fork() -> None:
    before = threading.active_count()
    with progress("Parsing pages", enabled=True) as tick:
        assert threading.active_count() == before
        for done in range(1, 1001):
            tick(done, 1000)
    assert threading.active_count() == before


def test_a_disabled_progress_bar_is_no_callback() -> None:
    with progress("Parsing pages", enabled=False) as tick:
        assert tick is None
