"""The formats for scripts and editors: concise (`path:line:col: CODE message`), json (ruff's
shape, one array) and json-lines (one object per line)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from kbsleep.lint.formats.common import Context, end_column, named, one_line, posix, where
from kbsleep.lint.records import Diagnostic



def _concise(diagnostics: Sequence[Diagnostic], context: Context) -> str:
    return "".join(f"{where(d.location)}: {d.code} {one_line(named(d.message, d))}\n" for d in diagnostics)


def _record(d: Diagnostic) -> dict[str, Any]:
    """One diagnostic as plain data, in ruff's JSON shape so existing tooling reads it."""
    location = d.location
    return {
        "code": d.code,
        "name": d.name,
        "severity": d.severity,
        "message": d.message,
        "hint": d.hint,
        "filename": posix(location.path),
        "location": {"row": location.line, "column": location.column},
        "end_location": {"row": location.line, "column": end_column(d)},
        "related": [
            {"filename": posix(r.path), "row": r.line, "column": r.column, "message": r.message}
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
