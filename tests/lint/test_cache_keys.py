"""The lint result cache is keyed by the source of every module that can change a finding."""

from __future__ import annotations

import ast
from pathlib import Path

from kbsleep.lint import cache as lint_cache

PACKAGE = Path(__file__).parents[2] / "kbsleep"
# Imported by the rules' modules, but no finding depends on their code: the version string
# (in the key itself), the error type, forking, writing files, the git write transaction, git's
# failures in our words, the lock, the state folder.
INERT = {"__init__.py", "atomic.py", "errors.py", "forked.py", "lock.py", "state.py",
         "git/__init__.py", "git/index.py", "git/journal.py", "git/repo.py", "git/transaction.py", "git/failures.py"}


def imported_by(start: list[Path]) -> set[Path]:
    """Every kbsleep module `start` imports, at the top or in a function, transitively."""
    found: set[Path] = set()
    todo = list(start)
    while todo:
        path = todo.pop()
        if path in found:
            continue
        found.add(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kbsleep"):
                names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names if alias.name.startswith("kbsleep")]
            for name in names:
                base = PACKAGE.parent / name.replace(".", "/")
                for candidate in (base / "__init__.py", base.with_suffix(".py")):
                    if candidate.is_file():
                        todo.append(candidate)
    return found


def test_the_lint_cache_key_covers_every_module_a_rule_can_depend_on() -> None:
    lint_folder = PACKAGE / "lint"
    rules = [lint_folder / "__init__.py", *(lint_folder / "rules").glob("*.py")]  # what makes a finding
    covered = set(lint_cache._sources())
    outside = {path for path in imported_by(rules) if lint_folder not in path.parents}
    missing = sorted(str(path.relative_to(PACKAGE)) for path in outside - covered if path.relative_to(PACKAGE).as_posix() not in INERT)
    assert missing == []
    assert PACKAGE / "obsidian.py" in covered and PACKAGE / "wiki" / "resolve.py" in covered
