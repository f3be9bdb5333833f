"""Running the rules of a whole-wiki lint on two cores.

The rules only read the Wiki, so a forked child (see `kbsleep.forked`) can run every other rule
on the same pages: the model is shared copy-on-write, nothing is rebuilt or sent over, and the
child's findings come back through a pipe. Where a child cannot run, the rules simply run here.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from kbsleep import forked
from kbsleep.lint.records import Diagnostic, Focus, Rule
from kbsleep.wiki import Wiki

PARALLEL_PAGES = 2000  # below this the rules take less than a fork costs

# What each rule costs over a whole wiki, relative to the others (hundredths of a second on the
# 10k-page benchmark vault); the rest cost about 1. Only the split between the two processes
# depends on it, never a finding.
COST = {
    "broken-link": 53, "conflicting-facts": 30, "contradicting-claims": 12, "duplicate-page": 12, "ambiguous-alias": 3,
    "broken-anchor": 3, "ambiguous-link": 3, "alias-link": 3, "missing-from-index": 2, "orphan-page": 2,
}  # fmt: skip


def run_rules(wiki: Wiki, rules: Sequence[Rule], focus: Focus) -> list[Diagnostic]:
    """Every finding of `rules`, in the order the rules are given."""
    if focus.paths is not None or len(wiki.pages) < PARALLEL_PAGES or not forked.can_fork():
        return _run(wiki, rules, focus)
    theirs, mine = split(rules)
    child = forked.start(lambda: {rule.code: _run(wiki, [rule], focus) for rule in theirs})
    found = {rule.code: _run(wiki, [rule], focus) for rule in mine}
    done, handed = forked.result(child) if child is not None else (False, None)
    if not done:  # no child, or it failed: do its share here
        handed = {rule.code: _run(wiki, [rule], focus) for rule in theirs}
    found.update(handed)
    return [d for rule in rules for d in found[rule.code]]


# A rule that reuses what another works out once per Wiki (here the pages sharing names, and
# their prose: see lint/namesakes.py) runs in that rule's process, or the work is done twice.
TOGETHER = {"ambiguous-alias": "duplicate-page"}


def split(rules: Sequence[Rule]) -> tuple[list[Rule], list[Rule]]:
    """Two shares of about equal cost: each rule, costliest first, to the share with less so far
    (or to its partner's, see `TOGETHER`)."""
    shares: tuple[list[Rule], list[Rule]] = ([], [])
    totals = [0, 0]
    for rule in sorted(rules, key=lambda r: -COST.get(r.name, 1)):
        partner = TOGETHER.get(rule.name)
        lighter = next((i for i in (0, 1) if any(r.name == partner for r in shares[i])), 0 if totals[0] <= totals[1] else 1)
        shares[lighter].append(rule)
        totals[lighter] += COST.get(rule.name, 1)
    return shares


def _run(wiki: Wiki, rules: Iterable[Rule], focus: Focus) -> list[Diagnostic]:
    return [d for rule in rules for d in rule.check(wiki, rule, focus)]
