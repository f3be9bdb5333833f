"""Pages parsed into parse cache rows, many at a time: in this process, or on every core for a
large cold load (forked children that read the pages' bytes from this process's memory)."""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from typing import Callable, Iterator

from kbsleep import forked

PARALLEL_THRESHOLD = 400  # below this many cold pages a process pool costs more than it saves
CHUNK_PAGES = 64  # at most this many pages a chunk of a forked parse: what the others may wait for at the end
Progress = Callable[[int, int], None]  # (done, total)
Todo = tuple[str, bytes, str]  # a page to parse: path, bytes, git blob id


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many records.

    A load creates hundreds of thousands of small acyclic records; left on, the collector
    rescans them over and over and costs more than the load itself (1.0 s of 1.2 s at 10k pages).
    Afterwards they are frozen out of its view: the model is read-only and lives as long as the
    command, and reference counting still frees it. A lint, which builds the link records and
    the findings, pauses it too (0.2 s of 1.1 s for a whole lint at 10k pages).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def parse_rows(todo: list[Todo], max_bytes: int, progress: Progress | None) -> Iterator[tuple]:
    """Parse pages into cache rows, in order; on every core for a large cold load."""
    if not todo:
        return
    from kbsleep.wiki.parse import parse_page  # the parser (markdown-it, YAML) only when parsing

    total = len(todo)
    workers = min(os.cpu_count() or 1, 8)
    if total < PARALLEL_THRESHOLD or workers < 2:
        for done, (path, data, blob) in enumerate(todo, 1):
            yield parse_page(path, data, max_bytes=max_bytes, blob=blob).to_row()
            if progress:
                progress(done, total)
        return
    if forked.can_fork():
        yield from _parse_forked(todo, max_bytes, progress, workers)
        return
    from concurrent.futures import ProcessPoolExecutor  # where fork is not to be had: 17 ms of imports

    chunk = max(16, total // (workers * 8))
    batches = [todo[i : i + chunk] for i in range(0, total, chunk)]
    done = 0
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for batch in pool.map(_parse_batch, batches, [max_bytes] * len(batches)):
            yield from batch
            done += len(batch)
            if progress:
                progress(done, total)


def _parse_forked(todo: list[Todo], max_bytes: int, progress: Progress | None, workers: int) -> Iterator[tuple]:
    """Parse the pages here and in forked children, a chunk at a time (`forked.share`).

    The children read the pages' bytes from this process's memory, and this process works too,
    instead of feeding a pool (which pickles every page over and starves its feeder thread
    while the parent computes).
    """
    total = len(todo)
    size = max(-(-total // forked.Tickets.MOST), min(CHUNK_PAGES, max(1, total // (workers * 32))))
    count = -(-total // size)

    def parsed(number: int) -> None:  # only this process draws the progress bar
        if progress:  # every lower chunk is taken, and nearly all done
            progress(min((number + 1) * size, total), total)

    rows = forked.share(count, lambda number: _parse_batch(todo[number * size : (number + 1) * size], max_bytes), workers, done=parsed)
    for number in range(count):
        yield from rows[number]


def _parse_batch(batch: list[Todo], max_bytes: int) -> list[tuple]:
    from kbsleep.wiki.parse import parse_page

    with collector_paused():
        return [parse_page(path, data, max_bytes=max_bytes, blob=blob).to_row() for path, data, blob in batch]
