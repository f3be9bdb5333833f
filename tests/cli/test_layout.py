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


def test_a_lint_run_imports_only_the_format_it_prints(make_repo) -> None:
    import subprocess
    import sys

    root = make_repo({"index.md": "# Index\n\n[[Nowhere]]\n"})
    code = (
        "import sys\nfrom kbsleep.cli import main\n"
        f"main(['--wiki', {str(root)!r}, 'lint', '--output-format', 'concise'])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('kbsleep.lint.formats.', 'xml', 'kbsleep.cli', 'kbsleep.commands'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parent)
    assert done.stdout.splitlines()[-1] == str(
        ["kbsleep.cli", "kbsleep.commands", "kbsleep.commands.common", "kbsleep.commands.lint", "kbsleep.lint.formats.common", "kbsleep.lint.formats.machine"]
    ), done.stderr
