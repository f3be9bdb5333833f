"""Output formats for lint results: one renderer per consumer, registered in `FORMATS`.

Every renderer is a pure function of diagnostics that `render` has already sorted, so the
same findings always give byte-identical output: no timestamps, no absolute paths, '/' only.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import textwrap
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import quote

from kbsleep.errors import KbsleepError
from kbsleep.lint.records import Diagnostic, Location, Rule
from kbsleep.report import printable

INFORMATION_URI = "https://pypi.org/project/kbsleep/"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SUMMARY_LIMIT = 50  # findings listed in the GitHub step summary; the rest are counted
NOISY = 100  # findings of one rule past which the full format says how to stop checking it
LONG_LINE = 160  # a source line longer than this is shown as a window around the finding
CONTEXT = 60  # characters of the line shown on each side of a finding on a long line
PARTS = ("What it does", "Why it matters", "Example", "Fix")


@dataclass(frozen=True)
class Settings:
    """Where the rule selection is configured, for the full format's advice on a noisy rule."""

    file: str = "kbsleep.toml"  # the config file's name (kbsleep reads the first it finds)
    table: str = "[lint]"  # its lint table: `[tool.kbsleep.lint]` in pyproject.toml
    ignored: tuple[str, ...] = ()  # its `ignore` list now


@dataclass(frozen=True)
class Context:
    """What a renderer needs besides the diagnostics."""

    rules: tuple[Rule, ...]
    tool_version: str
    color: bool
    pages: int | None = None  # pages in the wiki (0: nothing was checked), when known
    settings: Settings = Settings()


Renderer = Callable[[Sequence[Diagnostic], Context], str]
Segment = tuple[str, str]  # (text, Rich style): one layout for plain and coloured output
Line = tuple[Segment, ...]


# -- shared helpers ---------------------------------------------------------------------------


def _ordered(diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    # The message breaks ties so that equal keys cannot fall back on discovery order.
    return sorted(diagnostics, key=lambda d: (d.sort_key(), d.message))


def _posix(path: str) -> str:
    return path.replace("\\", "/")


def _where(location: Location) -> str:
    return f"{_posix(location.path)}:{location.line}:{location.column}"


def _end_column(diagnostic: Diagnostic) -> int:
    """The column just past the underlined span (exclusive, as SARIF and ruff's JSON use)."""
    return diagnostic.location.column + max(diagnostic.span, 1)


def _one_line(text: str) -> str:
    return " ".join(text.splitlines())


def _with_hint(diagnostic: Diagnostic) -> str:
    return diagnostic.message + (f"\nhint: {diagnostic.hint}" if diagnostic.hint else "")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def tally(diagnostics: Sequence[Diagnostic]) -> str:
    """The one-line summary: 'Found 3 problems (2 errors, 1 warning)'."""
    if not diagnostics:
        return "All checks passed."
    counts = Counter(d.severity for d in diagnostics)
    parts = [_plural(counts["error"], "error"), _plural(counts["warning"], "warning")]
    if counts["judgement"]:
        parts.append(_plural(counts["judgement"], "judgement"))
    return f"Found {_plural(len(diagnostics), 'problem')} ({', '.join(parts)})."


def summary(diagnostics: Sequence[Diagnostic], pages: int | None = None) -> str:
    """The full format's last line: findings by tier, and by rule in each, most first.

    'Found 2 errors (broken-link 1, broken-anchor 1) and 1 warning (orphan-page 1); ...'
    """
    if not diagnostics:
        return "No pages found: nothing was checked." if pages == 0 else "All checks passed."
    parts = []
    for tier in ("error", "warning", "judgement"):
        counts = Counter(d.name for d in diagnostics if d.severity == tier)
        if counts:
            rules = ", ".join(f"{name} {count}" for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])))
            parts.append(f"{_plural(sum(counts.values()), tier)} ({rules})")
    found = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Found {found}; `--statistics` prints the counts alone."


def noisy(diagnostics: Sequence[Diagnostic], settings: Settings = Settings()) -> str:
    """Advice, once, when a rule found more than `NOISY`: the config line that stops it."""
    counts = Counter(d.name for d in diagnostics)
    loud = sorted((name for name, count in counts.items() if count > NOISY), key=lambda name: (-counts[name], name))
    if not loud:
        return ""
    which = ", ".join(f"{name} ({counts[name]})" for name in loud)
    listed = ", ".join(json.dumps(name) for name in (*settings.ignored, *loud))
    one = len(loud) == 1
    return (
        f"Over {NOISY} findings from {'one rule' if one else f'{len(loud)} rules'}: {which}. If this wiki does not "
        f"need {'it' if one else 'them'} checked, set `ignore = [{listed}]` under {settings.table} in {settings.file}."
    )


# -- full: for people at a terminal ---------------------------------------------------------

_STYLE = {"error": "bold red", "warning": "bold yellow", "judgement": "bold blue"}
_GUTTER = "bold blue"
_TAB = 4


def _full(diagnostics: Sequence[Diagnostic], context: Context) -> str:
    lines: list[Line] = []
    for diagnostic in diagnostics:
        lines += _full_block(diagnostic)
        lines.append(())
    lines.append(((summary(diagnostics, context.pages), "bold"),))
    advice = noisy(diagnostics, context.settings)
    if advice:
        lines.append(((advice, "yellow"),))
    # Page text, model text and paths are shown, never acted on: in colour, each part is made
    # printable before the colour codes go in; plain, the whole text at once.
    if context.color:
        return _ansi([tuple((printable(text), style) for text, style in line) for line in lines])
    return printable("".join("".join(text for text, _ in line) + "\n" for line in lines))


def _full_block(d: Diagnostic) -> list[Line]:
    style = _STYLE[d.severity]
    first, *rest = d.message.splitlines() or [""]
    head: Line = (
        (f"{_where(d.location)}:", "bold"),
        (" ", ""),
        (d.code, style),
        (f" [{d.name}] ", ""),
        (f"{d.severity}:", style),
        (f" {first}", ""),
    )
    pad = " " * len(str(d.location.line)) if d.source_line else " "
    lines: list[Line] = [head, *(((f"{pad}   {more}", ""),) for more in rest)]
    lines += _snippet(d, style)
    if d.hint:
        lines.append(((f"{pad} = ", _GUTTER), ("hint: ", "bold"), (d.hint, "cyan")))
    for other in d.related:
        note = f": {other.message}" if other.message else ""
        lines.append(((f"{pad} = ", _GUTTER), ("related: ", "bold"), (_where(other) + note, "")))
    return lines


def _snippet(d: Diagnostic, style: str) -> list[Line]:
    """The source line in a numbered gutter, with carets under the span; a long line is shown
    as a window around the span (a page of one 4 MB line has thousands of findings on it)."""
    raw = d.source_line.rstrip("\r\n")
    if not raw:
        return []
    number = str(d.location.line)
    pad = " " * len(number)
    head, shown, tail, start, span = _window(raw, d.location.column - 1, max(d.span, 1))
    # Widths are those of the text as shown: an escaped control character takes six cells.
    safe = printable(shown)
    shows = (lambda part: part) if safe is shown else printable  # (`printable` copies only to change)
    before = len(head) + _width(shows(shown[:start]).expandtabs(_TAB)) + max(start - len(shown), 0)
    through = len(head) + _width(shows(shown[: start + span]).expandtabs(_TAB))
    carets = "^" * max(through - before, 1)
    return [
        ((f"{pad} |", _GUTTER),),
        ((f"{number} | ", _GUTTER), (head + safe.expandtabs(_TAB) + tail, "")),
        ((f"{pad} | ", _GUTTER), (" " * before, ""), (carets, style)),
    ]


def _window(raw: str, start: int, span: int) -> tuple[str, str, str, int, int]:
    """(`…` if the line is cut before, the part of `raw` shown, `…` if it is cut after, where
    the span starts in that part, its length in it): all of a line up to `LONG_LINE`
    characters, else `CONTEXT` characters around the span (itself cut to `CONTEXT`)."""
    if len(raw) <= LONG_LINE:
        return "", raw, "", start, span
    span = min(span, CONTEXT)
    first, last = max(start - CONTEXT, 0), min(start + span + CONTEXT, len(raw))
    return ("…" if first else ""), raw[first:last], ("…" if last < len(raw) else ""), start - first, span


def _width(text: str) -> int:
    """Terminal cells: wide East Asian letters take two, combining marks none."""
    if text.isascii():
        return len(text)  # one cell each: the common case, without a lookup per character
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def _ansi(lines: list[Line]) -> str:
    # Imported here so that the machine formats never pay for Rich's import time.
    from rich.console import Console
    from rich.text import Text

    buffer = StringIO()
    console = Console(
        file=buffer,
        force_terminal=True,
        force_jupyter=False,
        color_system="standard",
        no_color=False,  # colour was asked for explicitly; NO_COLOR is the caller's to honour
        width=120,
        soft_wrap=True,  # never re-wrap source lines, or the carets stop lining up
        markup=False,
        emoji=False,
        highlight=False,
        legacy_windows=False,
    )
    for line in lines:
        console.print(Text.assemble(*line))
    return buffer.getvalue()


# -- concise, json, json-lines: for scripts -------------------------------------------------


def _concise(diagnostics: Sequence[Diagnostic], context: Context) -> str:
    return "".join(f"{_where(d.location)}: {d.code} {_one_line(d.message)}\n" for d in diagnostics)


def _record(d: Diagnostic) -> dict[str, Any]:
    """One diagnostic as plain data, in ruff's JSON shape so existing tooling reads it."""
    location = d.location
    return {
        "code": d.code,
        "name": d.name,
        "severity": d.severity,
        "message": d.message,
        "hint": d.hint,
        "filename": _posix(location.path),
        "location": {"row": location.line, "column": location.column},
        "end_location": {"row": location.line, "column": _end_column(d)},
        "related": [
            {"filename": _posix(r.path), "row": r.line, "column": r.column, "message": r.message}
            for r in d.related
        ],
        "fix": _record_fix(d),
        "url": None,
    }


def _record_fix(d: Diagnostic) -> dict[str, Any] | None:
    if not d.fix:
        return None
    edits = [
        {
            "content": new,
            "location": {"row": line, "column": column},
            "end_location": {"row": line, "column": column + len(old)},
        }
        for line, column, old, new in d.fix
    ]
    return {"applicability": "safe", "message": d.hint, "edits": edits}


def _json(diagnostics: Sequence[Diagnostic], context: Context) -> str:
    records = [_record(d) for d in diagnostics]
    return json.dumps(records, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _json_lines(diagnostics: Sequence[Diagnostic], context: Context) -> str:
    return "".join(
        json.dumps(_record(d), sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
        for d in diagnostics
    )


# -- github: workflow commands, which GitHub turns into annotations --------------------------

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
        "file": _posix(location.path),
        "line": str(location.line),
        "col": str(location.column),
        "title": f"{d.code} {d.name}",
    }
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{_COMMAND[d.severity]} {rendered}::{escape_data(_with_hint(d))}"


def render_github_summary(
    diagnostics: Sequence[Diagnostic], rules: Sequence[Rule], *, limit: int = SUMMARY_LIMIT
) -> str:
    """Markdown for `$GITHUB_STEP_SUMMARY`: counts per rule, then the first `limit` findings."""
    ordered = _ordered(diagnostics)
    out = ["## kbsleep lint", "", tally(ordered), ""]
    if ordered:
        summaries = {rule.code: rule.summary for rule in rules}
        out += ["| Code | Name | Count | What it checks |", "| --- | --- | ---: | --- |"]
        out += [
            f"| {_cell(code)} | {_cell(name)} | {count} | {_cell(summaries.get(code, ''))} |"
            for code, name, count in statistics(ordered)
        ]
        out += ["", "| Location | Code | Message |", "| --- | --- | --- |"]
        out += [
            f"| {_cell(f'{_posix(d.path)}:{d.location.line}')} | {_cell(d.code)} | {_cell(d.message)} |"
            for d in ordered[:limit]
        ]
        if len(ordered) > limit:
            out += ["", f"…and {_plural(len(ordered) - limit, 'more finding')}."]
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


# -- sarif: GitHub code scanning and other SARIF 2.1.0 consumers ------------------------------

_LEVEL = {"error": "error", "warning": "warning", "judgement": "note"}
_PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "judgement": "recommendation"}


def _sarif(diagnostics: Sequence[Diagnostic], context: Context) -> str:
    rules = sorted({rule.code: rule for rule in context.rules}.values(), key=lambda r: r.code)
    index = {rule.code: i for i, rule in enumerate(rules)}
    driver = {
        "name": "kbsleep",
        "version": context.tool_version,
        "informationUri": INFORMATION_URI,
        "rules": [_sarif_rule(rule) for rule in rules],
    }
    run = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",  # our columns count characters, not UTF-16 units
        "results": _sarif_results(diagnostics, index),
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    parts = {name: textwrap.dedent(text).strip() for name, text in rule.parts().items()}
    described = "\n\n".join(parts[name] for name in PARTS[:2] if parts.get(name))
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": described or rule.summary},
        "help": {"text": _help_text(rule, parts), "markdown": _help_markdown(rule, parts)},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {
            "tags": ["kbsleep", rule.severity],
            "problem.severity": _PROBLEM_SEVERITY[rule.severity],
        },
    }


def _help_text(rule: Rule, parts: dict[str, str]) -> str:
    if not parts:
        return textwrap.dedent(rule.doc).strip()
    return "\n\n".join(f"{name}:\n{parts[name]}" for name in PARTS if parts.get(name))


def _help_markdown(rule: Rule, parts: dict[str, str]) -> str:
    if not parts:
        return textwrap.dedent(rule.doc).strip()
    sections = [f"## {rule.code} {rule.name}"]
    for name in PARTS:
        text = parts.get(name)
        if text and name == "Example" and "```" not in text:
            text = f"```markdown\n{text}\n```"
        if text:
            sections.append(f"### {name}\n\n{text}")
    return "\n\n".join(sections)


def _sarif_results(
    diagnostics: Sequence[Diagnostic], index: dict[str, int]
) -> list[dict[str, Any]]:
    seen: Counter[str] = Counter()
    hashes: dict[tuple[str, str, str], str] = {}
    results = []
    for d in diagnostics:
        line_hash = _line_hash(d, hashes)
        seen[line_hash] += 1  # GitHub's own scheme: identical lines in a file are numbered
        results.append(_sarif_result(d, index.get(d.code), f"{line_hash}:{seen[line_hash]}"))
    return results


def _line_hash(d: Diagnostic, hashes: dict[tuple[str, str, str], str]) -> str:
    """Rule, file and the line's text, not its number: an alert survives lines moving above it.
    (`hashes`: those worked out before, as findings on one long line share it.)"""
    found = (d.code, d.path, d.source_line or d.message)
    if found not in hashes:
        text = " ".join(found[2].split())
        key = "\0".join((d.code, _posix(d.path), text))
        hashes[found] = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return hashes[found]


def _sarif_result(d: Diagnostic, rule_index: int | None, fingerprint: str) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": d.code}
    if rule_index is not None:  # a rule not passed in is named, never indexed
        result["ruleIndex"] = rule_index
    result["level"] = _LEVEL[d.severity]
    result["message"] = {"text": _with_hint(d)}
    result["locations"] = [{"physicalLocation": _physical(d.location, _end_column(d))}]
    result["partialFingerprints"] = {"primaryLocationLineHash": fingerprint}
    if d.related:
        result["relatedLocations"] = [_related(i, other) for i, other in enumerate(d.related, 1)]
    if d.fix:
        result["fixes"] = [_sarif_fix(d)]
    return result


def _artifact(path: str) -> dict[str, str]:
    # RFC 3986: spaces, '%', ':' and non-ASCII letters are percent-encoded (UTF-8); '/' is kept.
    return {"uri": quote(_posix(path), safe="/"), "uriBaseId": "%SRCROOT%"}


def _physical(location: Location, end_column: int | None = None) -> dict[str, Any]:
    region = {"startLine": location.line, "startColumn": location.column}
    if end_column is not None:
        region["endColumn"] = end_column
    return {"artifactLocation": _artifact(location.path), "region": region}


def _related(id_: int, location: Location) -> dict[str, Any]:
    related: dict[str, Any] = {"id": id_, "physicalLocation": _physical(location)}
    if location.message:
        related["message"] = {"text": location.message}
    return related


def _sarif_fix(d: Diagnostic) -> dict[str, Any]:
    replacements = [
        {
            "deletedRegion": {
                "startLine": line,
                "startColumn": column,
                "endColumn": column + len(old),
            },
            "insertedContent": {"text": new},
        }
        for line, column, old, new in d.fix
    ]
    fix: dict[str, Any] = {
        "artifactChanges": [{"artifactLocation": _artifact(d.path), "replacements": replacements}]
    }
    if d.hint:
        fix["description"] = {"text": d.hint}
    return fix


# -- junit: CI systems that only understand test reports --------------------------------------

_NOT_XML = "[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"  # compiled when used: 7 ms


def _xml(text: str) -> str:
    """XML 1.0 cannot carry most control characters, even escaped; ElementTree would emit them.
    So they are shown as escapes (`printable`), and what is left that XML cannot hold (lone
    surrogates, U+FFFE) as U+FFFD."""
    return re.sub(_NOT_XML, "\ufffd", printable(text))  # re caches the compiled pattern


def _junit(diagnostics: Sequence[Diagnostic], context: Context) -> str:
    """One testcase per page with findings, one failure per finding.

    `failures` counts failing testcases (pages), so it never exceeds `tests`, as consumers
    expect; a clean run is one passing testcase, so the report is never empty.
    """
    pages: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        pages.setdefault(_posix(d.path), []).append(d)
    counts = {"tests": str(max(len(pages), 1)), "failures": str(len(pages)), "errors": "0"}
    root = ET.Element("testsuites", {"name": "kbsleep", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "kbsleep", **counts})
    for path, found in pages.items():
        case = ET.SubElement(suite, "testcase", {"classname": _xml(path), "name": _xml(path)})
        for d in found:
            summary = f"{d.code} [{d.name}] {_one_line(d.message)}"
            failure = ET.SubElement(case, "failure", {"message": _xml(summary), "type": d.code})
            failure.text = _xml(_junit_body(d))
    if not pages:
        ET.SubElement(suite, "testcase", {"classname": "kbsleep", "name": "lint"})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _junit_body(d: Diagnostic) -> str:
    lines = [f"{_where(d.location)}: {d.code} [{d.name}] {d.severity}: {d.message}"]
    if d.hint:
        lines.append(f"hint: {d.hint}")
    lines += [f"related: {_where(r)}" + (f": {r.message}" if r.message else "") for r in d.related]
    return "\n".join(lines)


# -- the registry and the public API -----------------------------------------------------------

FORMATS: dict[str, Renderer] = {
    "full": _full,  # people: source line, carets, hints, a summary line; colour on request
    "concise": _concise,  # grep and editors: path:line:col: CODE message
    "json": _json,  # scripts: one array, ruff's field names
    "json-lines": _json_lines,  # streams: one object per line
    "github": _github,  # GitHub Actions annotations
    "sarif": _sarif,  # GitHub code scanning and other SARIF 2.1.0 consumers
    "junit": _junit,  # CI test-report views
}


def render(
    diagnostics: Sequence[Diagnostic],
    rules: Sequence[Rule],
    fmt: str,
    *,
    tool_version: str,
    color: bool = False,
    pages: int | None = None,
    settings: Settings = Settings(),
) -> str:
    """Render diagnostics in the named format; unknown names are a user error."""
    renderer = FORMATS.get(fmt)
    if renderer is None:
        raise KbsleepError(
            f"unknown output format {fmt!r}", hint="choose one of: " + ", ".join(FORMATS)
        )
    text = renderer(_ordered(diagnostics), Context(tuple(rules), tool_version, color, pages, settings))
    # Page text, model text and paths reach every format; none may reach a terminal raw. The
    # full format neutralises its parts (its colour codes are its own); JSON and SARIF come out
    # with JSON's escapes (`\u001b`), the same data; the others with the same visible escapes.
    return text if fmt == "full" else printable(text)


def statistics(diagnostics: Sequence[Diagnostic]) -> list[tuple[str, str, int]]:
    """(code, name, count) per rule, most frequent first, then by code."""
    counts = Counter((d.code, d.name) for d in diagnostics)
    rows = [(code, name, count) for (code, name), count in counts.items()]
    return sorted(rows, key=lambda row: (-row[2], row[0], row[1]))


def render_statistics(diagnostics: Sequence[Diagnostic]) -> str:
    """`statistics` as an aligned text table: count, code, name."""
    rows = statistics(diagnostics)
    if not rows:
        return ""
    count_width = max(len(str(count)) for _, _, count in rows)
    code_width = max(len(code) for code, _, _ in rows)
    return "".join(
        f"{count:>{count_width}}  {code:<{code_width}}  {name}\n" for code, name, count in rows
    )
