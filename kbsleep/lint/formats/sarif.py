"""SARIF 2.1.0, for GitHub code scanning and other SARIF consumers: the rules with their
documentation, each finding with a fingerprint that survives lines moving, and safe fixes."""

from __future__ import annotations

import hashlib
import json
import textwrap
from collections import Counter
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from kbsleep.lint.formats.common import Context, end_column, posix, with_hint
from kbsleep.lint.records import Diagnostic, Location, Rule

INFORMATION_URI = "https://pypi.org/project/kbsleep/"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
PARTS = ("What it does", "Why it matters", "Example", "Fix")

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
        key = "\0".join((d.code, posix(d.path), text))
        hashes[found] = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return hashes[found]


def _sarif_result(d: Diagnostic, rule_index: int | None, fingerprint: str) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": d.code}
    if rule_index is not None:  # a rule not passed in is named, never indexed
        result["ruleIndex"] = rule_index
    result["level"] = _LEVEL[d.severity]
    result["message"] = {"text": with_hint(d)}
    result["locations"] = [{"physicalLocation": _physical(d.location, end_column(d))}]
    result["partialFingerprints"] = {"primaryLocationLineHash": fingerprint}
    if d.related:
        result["relatedLocations"] = [_related(i, other) for i, other in enumerate(d.related, 1)]
    if d.fix:
        result["fixes"] = [_sarif_fix(d)]
    return result


def _artifact(path: str) -> dict[str, str]:
    # RFC 3986: spaces, '%', ':' and non-ASCII letters are percent-encoded (UTF-8); '/' is kept.
    return {"uri": quote(posix(path), safe="/"), "uriBaseId": "%SRCROOT%"}


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
