"""The layout the house style promises: the CLI on top, the commands below it, the core below
them; nothing in the core reaches back up."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "kbsleep"
UP = ("kbsleep.cli", "kbsleep.commands")


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_nothing_below_the_commands_imports_the_cli_or_the_commands() -> None:
    below = [p for p in PACKAGE.rglob("*.py") if p.parent.name != "commands" and p.name not in ("cli.py", "__main__.py")]
    reaching_up = {str(p.relative_to(PACKAGE)): sorted(i for i in imports(p) if i.startswith(UP)) for p in below}
    assert {path: found for path, found in reaching_up.items() if found} == {}


def test_the_commands_never_import_the_cli() -> None:
    for path in (PACKAGE / "commands").glob("*.py"):
        assert not {i for i in imports(path) if i.startswith("kbsleep.cli")}, path


def test_the_cli_declares_and_handles_errors_but_renders_no_summary() -> None:
    text = (PACKAGE / "cli.py").read_text(encoding="utf-8")
    for sign in ("import json", "table(", "_summary(", "f\"{len("):
        assert sign not in text, sign


def test_every_module_of_the_cli_layer_is_at_most_400_lines() -> None:
    mine = [PACKAGE / "cli.py", *(PACKAGE / "commands").glob("*.py"), *(PACKAGE / "report").glob("*.py"), *(PACKAGE / "lint" / "formats").glob("*.py"), PACKAGE / "lint" / "command.py"]
    long = {p.name: n for p in mine if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}
