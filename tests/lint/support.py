"""Helpers shared by the lint tests: load a fixture wiki into a real git repo, render findings."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterable

from kbsleep.lint import LintReport, Selection, lint
from kbsleep.lint.records import Diagnostic
from kbsleep.wiki import Wiki, open_wiki

LINT_FIXTURES = Path(__file__).parents[1] / "fixtures" / "lint"
REPO = Path(__file__).parents[2]


def ordered(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Output order: the engine leaves ties on one (path, line, column, code) in no fixed order."""
    return sorted(diagnostics, key=lambda d: (d.sort_key(), d.message))


def describe(diagnostics: Iterable[Diagnostic]) -> str:
    """Findings as the `expected.txt` files write them: a concise line, then hint, related and fix."""
    out = []
    for d in ordered(diagnostics):
        where = d.location
        out.append(f"{where.path}:{where.line}:{where.column}: {d.code} {d.message}")
        if d.hint:
            out.append(f"    hint: {d.hint}")
        out.extend(f"    related: {r.path}:{r.line}: {r.message}" for r in d.related)
        out.extend(f"    fix: {line}:{column} {_shown(old)} -> {_shown(new)}" for line, column, old, new in d.fix)
    return "\n".join(out) + "\n" if out else ""


def _shown(text: str) -> str:
    """A fix's text on one line: a line ending as `\\n` (a fix that deletes a line holds one)."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def triples(diagnostics: Iterable[Diagnostic]) -> set[tuple[str, str, int]]:
    return {(d.code, d.path, d.location.line) for d in diagnostics}


def lint_wiki(root: Path, *select: str) -> LintReport:
    """Lint the wiki at `root` with its own config; `select` replaces the configured selection."""
    wiki = open_wiki(root)
    return lint(wiki, Selection(select=select) if select else None)


def load(root: Path) -> Wiki:
    return open_wiki(root)


def copy_wiki(source: Path, destination: Path) -> Path:
    """Copy a wiki folder without its private `.kbsleep/` state."""
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns(".kbsleep"), dirs_exist_ok=True)
    return destination
