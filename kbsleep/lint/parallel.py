"""Running the rules of a whole-wiki lint on two cores.

The rules only read the Wiki, so a forked child can run every other rule on the same pages (the
model is shared copy-on-write, nothing is rebuilt or sent over) and hand its findings back
through a pipe. Where `fork` is missing or a child fails, the rules simply run here.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from typing import Iterable, Sequence

from kbsleep.lint.records import Diagnostic, Focus, Rule
from kbsleep.wiki import Wiki

PARALLEL_PAGES = 2000  # below this the rules take less than a fork costs


def run_rules(wiki: Wiki, rules: Sequence[Rule], focus: Focus) -> list[Diagnostic]:
    """Every finding of `rules`, in the order the rules are given."""
    if not _worth_a_fork(wiki, focus):
        return _run(wiki, rules, focus)
    theirs, mine = rules[1::2], rules[0::2]  # alternate: the costly rules are spread along the table
    child = _fork(wiki, theirs, focus)
    found = {rule.code: _run(wiki, [rule], focus) for rule in mine}
    handed = _collect(child) if child is not None else None
    if handed is None:  # no child, or it failed: do its share here
        handed = {rule.code: _run(wiki, [rule], focus) for rule in theirs}
    found.update(handed)
    return [d for rule in rules for d in found[rule.code]]


def _worth_a_fork(wiki: Wiki, focus: Focus) -> bool:
    # Linux only, and never with other threads running (an HTTP client's, say): fork copies
    # only the calling thread, and elsewhere it is unsafe or missing.
    safe = sys.platform.startswith("linux") and threading.active_count() == 1
    return safe and (os.cpu_count() or 1) > 1 and focus.paths is None and len(wiki.pages) >= PARALLEL_PAGES


def _run(wiki: Wiki, rules: Iterable[Rule], focus: Focus) -> list[Diagnostic]:
    return [d for rule in rules for d in rule.check(wiki, rule, focus)]


def _fork(wiki: Wiki, rules: Sequence[Rule], focus: Focus) -> tuple[int, int] | None:
    """Start a child that runs `rules` and writes {code: findings} to a pipe; (pid, read end)."""
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid:
        os.close(write)
        return pid, read
    status = 1
    try:  # the child: never returns into the caller's code, whatever happens
        os.close(read)
        data = pickle.dumps({rule.code: _run(wiki, [rule], focus) for rule in rules}, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write, "wb") as out:
            out.write(data)
        status = 0
    finally:
        os._exit(status)


def _collect(child: tuple[int, int]) -> dict[str, list[Diagnostic]] | None:
    pid, read = child
    with os.fdopen(read, "rb") as handle:
        data = handle.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return None
    return pickle.loads(data)  # noqa: S301 - our own child's output, through our own pipe
