"""Output formats for lint results: one renderer per consumer, registered in `FORMATS`.

Every renderer is a pure function of diagnostics that `render` has already sorted, so the
same findings always give byte-identical output: no timestamps, no absolute paths, '/' only.
Each lives in the module of its consumer and is imported when first used: a pre-commit run
in the concise format never pays for SARIF's hashing or JUnit's XML.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Any

from kbsleep.errors import KbsleepError
from kbsleep.lint.formats.common import NOISY, Context, Renderer, Settings, noisy, ordered, render_statistics, statistics, summary, tally
from kbsleep.lint.records import Diagnostic, Rule
from kbsleep.report import printable

if TYPE_CHECKING:
    from kbsleep.lint.formats.github import escape_data, escape_property, render_github_summary, write_github_summary

__all__ = [
    "FORMATS", "NOISY", "Context", "Settings", "escape_data", "escape_property", "noisy", "render", "render_github_summary",
    "render_statistics", "statistics", "summary", "tally", "write_github_summary",
]  # fmt: skip

# The registry: a format's name, and where its renderer is (module in this package, function).
FORMATS: dict[str, tuple[str, str]] = {
    "full": ("full", "render_full"),  # people: source line, carets, hints, a summary line; colour on request
    "concise": ("machine", "_concise"),  # grep and editors: path:line:col: CODE message
    "json": ("machine", "_json"),  # scripts: one array, ruff's field names
    "json-lines": ("machine", "_json_lines"),  # streams: one object per line
    "github": ("github", "_github"),  # GitHub Actions annotations
    "sarif": ("sarif", "_sarif"),  # GitHub code scanning and other SARIF 2.1.0 consumers
    "junit": ("junit", "_junit"),  # CI test-report views
}


def renderer(fmt: str) -> Renderer:
    """The renderer of the named format; unknown names are a user error."""
    where = FORMATS.get(fmt)
    if where is None:
        raise KbsleepError(f"unknown output format {fmt!r}", hint="choose one of: " + ", ".join(FORMATS))
    module, function = where
    found: Renderer = getattr(import_module(f"{__name__}.{module}"), function)
    return found


def render(
    diagnostics: Sequence[Diagnostic],
    rules: Sequence[Rule],
    fmt: str,
    *,
    tool_version: str,
    color: bool = False,
    pages: int | None = None,
    settings: Settings = Settings(),
    empty: str | None = None,
    width: int | None = None,
) -> str:
    """Render diagnostics in the named format; unknown names are a user error. `empty` says why
    nothing was checked, if so; `width` is the terminal's, for the full format's source lines."""
    draw = renderer(fmt)
    text = draw(ordered(diagnostics), Context(tuple(rules), tool_version, color, pages, settings, empty, width))
    # Page text, model text and paths reach every format; none may reach a terminal raw. The
    # full format neutralises its parts (its colour codes are its own); JSON and SARIF come out
    # with JSON's escapes (`\u001b`), the same data; the others with the same visible escapes.
    return text if fmt == "full" else printable(text)


def __getattr__(name: str) -> Any:  # PEP 562: GitHub's helpers, from their module when asked for
    if name in ("escape_data", "escape_property", "render_github_summary", "write_github_summary"):
        return getattr(import_module(f"{__name__}.github"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
