"""JUnit XML, for CI systems that only understand test reports: a testcase per page with
findings, a failure per finding."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from kbsleep.lint.formats.common import Context, named, one_line, posix, where
from kbsleep.lint.records import Diagnostic
from kbsleep.report import printable

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
        pages.setdefault(posix(d.path), []).append(d)
    counts = {"tests": str(max(len(pages), 1)), "failures": str(len(pages)), "errors": "0"}
    root = ET.Element("testsuites", {"name": "kbsleep", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "kbsleep", **counts})
    for path, found in pages.items():
        case = ET.SubElement(suite, "testcase", {"classname": _xml(path), "name": _xml(path)})
        for d in found:
            summary = f"{d.code} [{d.name}] {one_line(named(d.message, d))}"
            failure = ET.SubElement(case, "failure", {"message": _xml(summary), "type": d.code})
            failure.text = _xml(_junit_body(d))
    if not pages:
        ET.SubElement(suite, "testcase", {"classname": "kbsleep", "name": "lint"})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _junit_body(d: Diagnostic) -> str:
    lines = [f"{where(d.location)}: {d.code} [{d.name}] {d.severity}: {named(d.message, d)}"]
    if d.hint:
        lines.append(f"hint: {named(d.hint, d)}")
    lines += [f"related: {where(r)}" + (f": {named(r.message, d)}" if r.message else "") for r in d.related]
    return "\n".join(lines)
