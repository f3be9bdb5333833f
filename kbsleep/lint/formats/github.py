"""GitHub Actions: workflow commands (which GitHub turns into annotations on the diff) and the
Markdown summary written to `$GITHUB_STEP_SUMMARY`."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from kbsleep.lint.formats.common import Context, ordered, plural, posix, statistics, tally, with_hint
from kbsleep.lint.records import Diagnostic, Rule
from kbsleep.report import printable

SUMMARY_LIMIT = 50  # findings listed in the GitHub step summary; the rest are counted

_COMMAND = {"error": "error", "warning": "warning", "judgement": "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow command's message, as @actions/core's escapeData does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value, as @actions/core's escapeProperty does."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github(diagnostics: Sequence[Diagnostic], context: Context) -> str:
    return "".join(_github_command(d) + "\n" for d in diagnostics)


def _github_command(d: Diagnostic) -> str:
    location = d.location
    properties = {
        "file": posix(location.path),
        "line": str(location.line),
        "col": str(location.column),
        "title": f"{d.code} {d.name}",
    }
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{_COMMAND[d.severity]} {rendered}::{escape_data(with_hint(d))}"


def render_github_summary(
    diagnostics: Sequence[Diagnostic], rules: Sequence[Rule], *, limit: int = SUMMARY_LIMIT
) -> str:
    """Markdown for `$GITHUB_STEP_SUMMARY`: counts per rule, then the first `limit` findings."""
    found = ordered(diagnostics)
    out = ["## kbsleep lint", "", tally(found), ""]
    if found:
        summaries = {rule.code: rule.summary for rule in rules}
        out += ["| Code | Name | Count | What it checks |", "| --- | --- | ---: | --- |"]
        out += [
            f"| {_cell(code)} | {_cell(name)} | {count} | {_cell(summaries.get(code, ''))} |"
            for code, name, count in statistics(found)
        ]
        out += ["", "| Location | Code | Message |", "| --- | --- | --- |"]
        out += [
            f"| {_cell(f'{posix(d.path)}:{d.location.line}')} | {_cell(d.code)} | {_cell(d.message)} |"
            for d in found[:limit]
        ]
        if len(found) > limit:
            out += ["", f"…and {plural(len(found) - limit, 'more finding')}."]
        out.append("")
    return printable("\n".join(out))


def _cell(text: str) -> str:
    """Text made safe for one Markdown table cell: no HTML, no column breaks, no row breaks."""
    return "<br>".join(html.escape(text, quote=False).replace("|", "\\|").splitlines())


def write_github_summary(
    diagnostics: Sequence[Diagnostic], rules: Sequence[Rule], summary_path: str
) -> None:
    """Append (never overwrite: earlier steps own what is there) the summary to the file."""
    path = Path(summary_path)
    separator = "\n" if path.exists() and path.stat().st_size else ""
    with path.open("a", encoding="utf-8", newline="\n") as handle:
        handle.write(separator + render_github_summary(diagnostics, rules))
