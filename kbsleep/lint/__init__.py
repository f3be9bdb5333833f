"""The lint engine: run the selected rules over a Wiki and return diagnostics as data."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable

from kbsleep.lint import suppress
from kbsleep.lint.parallel import run_rules
from kbsleep.lint.records import EVERY_PAGE, SEVERITY_RANK, Diagnostic, Focus, Rule
from kbsleep.errors import KbsleepError
from kbsleep.lint.registry import RULES, UNUSED_SUPPRESSION, is_known_ref, matches, selects
from kbsleep.lint.rules import judgement as _judgement  # noqa: F401 - registers KB6xx (light)
from kbsleep.wiki import Wiki, collector_paused
from kbsleep.wiki.discovery import glob_match


@dataclass(frozen=True)
class Selection:
    select: tuple[str, ...] = ()  # empty: every rule on by default but the judgement tier
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def rules(self, deep: bool = False) -> list[Rule]:
        chosen = []
        for rule in RULES.values():
            if self.select:
                wanted = any(selects(rule, ref) for ref in self.select)
            else:
                wanted = rule.default and (rule.severity != "judgement" or deep)
            wanted = wanted or any(selects(rule, ref) for ref in self.extend_select)
            if wanted and not any(matches(rule, ref) for ref in self.ignore):
                chosen.append(rule)
        return chosen

    def ignored_here(self, diagnostic: Diagnostic) -> bool:
        return any(
            glob_match(pattern, diagnostic.path) and any(matches(diagnostic, ref) for ref in refs)
            for pattern, refs in self.per_file_ignores.items()
        )


@dataclass(frozen=True)
class LintReport:
    diagnostics: tuple[Diagnostic, ...]
    rules: tuple[Rule, ...]  # the rules that ran
    pages: int  # pages in the wiki
    checked: int  # pages reported on (all, or the scope)

    def count(self, severity: str) -> int:
        return sum(1 for d in self.diagnostics if d.severity == severity)

    def fails(self, fail_on: str) -> bool:
        """Is there a finding at or above the `fail_on` tier?"""
        threshold = SEVERITY_RANK[fail_on]
        return any(SEVERITY_RANK[d.severity] >= threshold for d in self.diagnostics)


def _known_rules(ref: str) -> str:
    """The rule `ref` may have meant (by name: a mistyped code is as near to one code as to the
    next), and where the rules are listed."""
    close = difflib.get_close_matches(ref.lower(), [rule.name for rule in RULES.values()], n=1, cutoff=0.6)
    meant = next((rule for rule in RULES.values() if close and close[0] == rule.name), None)
    return (f"did you mean `{meant.code}` ({meant.name})? " if meant else "") + "`kbsleep lint --list-rules` lists codes and names"


def selection_from_config(wiki: Wiki, select: Iterable[str] = (), ignore: Iterable[str] = (), extend_select: Iterable[str] = ()) -> Selection:
    """Config values, with command-line `select` replacing and `ignore` adding to them. A
    command-line value may list several rules, comma-separated (`--select KB401,KB101`), as ruff's do."""
    select, ignore, extend_select = _listed(select), _listed(ignore), _listed(extend_select)
    lint = wiki.config.lint
    # Each rule named, with where it was named: a config's is the user's (or agent's) to fix there.
    origin = f"{wiki.config.source}: " if wiki.config.source else ""
    refs = [(ref, "") for ref in (*select, *ignore, *extend_select)]
    refs += [(ref, f"{origin}`lint.{key}`") for key, given in (("select", lint.select), ("ignore", lint.ignore), ("extend-select", lint.extend_select)) for ref in given]
    refs += [(ref, f"{origin}`lint.per-file-ignores`") for group in lint.per_file_ignores.values() for ref in group]
    unknown = [(ref, where) for ref, where in refs if not is_known_ref(ref)]
    if unknown:
        ref, where = unknown[0]
        raise KbsleepError(f"{where + ' names ' if where else ''}unknown rule `{ref}`", hint=_known_rules(ref))
    return Selection(
        select=tuple(select) or lint.select,
        ignore=(*lint.ignore, *ignore),
        extend_select=(*lint.extend_select, *extend_select),
        per_file_ignores=dict(lint.per_file_ignores),
    )


def _listed(refs: Iterable[str]) -> tuple[str, ...]:
    return tuple(part.strip() for ref in refs for part in ref.split(",") if part.strip())


def lint(wiki: Wiki, selection: Selection | None = None, scope: Iterable[str] | None = None, deep: bool = False, judged: Iterable[Diagnostic] = ()) -> LintReport:
    """Run the rules over the whole wiki; report only on `scope` pages when given.

    A two-page finding (a duplicate, a conflicting fact) is in scope when either page is. With
    a scope, rules skip the work whose findings would be dropped (see `Focus`).
    `judged` are findings made elsewhere (`--deep`'s model judgements): they are kept for the
    selected rules and then suppressed and scoped like the rest.
    """
    selection = selection or selection_from_config(wiki)
    rules = selection.rules(deep)
    chosen = {rule.code for rule in rules}
    focus = EVERY_PAGE if scope is None else Focus(frozenset(scope))
    raw: list[Diagnostic] = [d for d in judged if d.code in chosen]
    with collector_paused():  # the rules build many small acyclic records
        raw.extend(run_rules(wiki, [rule for rule in rules if rule is not UNUSED_SUPPRESSION], focus))
    unused = UNUSED_SUPPRESSION if UNUSED_SUPPRESSION in rules else None
    kept = suppress.apply(raw, wiki.pages, rules, unused, focus)
    kept = [d for d in kept if not selection.ignored_here(d) and d.path not in wiki.excluded]  # Excluded files: nothing judged
    unique = sorted(set(kept), key=lambda d: (d.sort_key(), d.message))
    return scoped(LintReport(tuple(unique), tuple(rules), len(wiki.pages), len(wiki.pages)), scope, wiki.pages)


def scoped(report: LintReport, scope: Iterable[str] | None, pages: Iterable[str]) -> LintReport:
    """The report on `scope` pages only; a two-page finding counts when either page is in scope."""
    if scope is None:
        return report
    wanted = set(scope)
    kept = tuple(d for d in report.diagnostics if d.path in wanted or any(r.path in wanted for r in d.related))
    return LintReport(kept, report.rules, report.pages, len(wanted & set(pages)))
