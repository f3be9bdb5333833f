"""`kbsleep lint --fix`: apply the safe edits diagnostics carry, file by file, atomically.

Like ruff, it writes files and leaves committing to the user. A page with encoding problems is
never rewritten (the replacement characters would destroy its bytes), and an edit whose old
text is no longer where the diagnostic saw it is skipped.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from kbsleep.atomic import write_atomic
from kbsleep.lint.records import Diagnostic
from kbsleep.wiki import Wiki
from kbsleep.wiki.page import split_lines_keepends


def apply_fixes(wiki: Wiki, diagnostics: Iterable[Diagnostic]) -> dict[str, int]:
    """Apply every fix; return {page path: edits applied} for the pages written."""
    edits: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    for diagnostic in diagnostics:
        edits[diagnostic.path].extend(diagnostic.fix)
    written: dict[str, int] = {}
    for path, page_edits in sorted(edits.items()):
        page = wiki.pages[path]
        if not page.parsed or any(p.code == "encoding-error" for p in page.problems):
            continue
        text, applied = edit_text(page.text, page_edits)
        if applied:
            full = wiki.root / path
            bom = b"\xef\xbb\xbf" if full.read_bytes().startswith(b"\xef\xbb\xbf") else b""
            write_atomic(full, bom + text.encode("utf-8"))
            written[path] = applied
    return written


def edit_text(text: str, edits: Iterable[tuple[int, int, str, str]]) -> tuple[str, int]:
    """Apply (line, column, old, new) edits, right to left so earlier columns stay valid."""
    lines = split_lines_keepends(text)
    applied = 0
    for line, column, old, new in sorted(set(edits), reverse=True):
        if not 0 < line <= len(lines):
            continue
        current = lines[line - 1]
        for before, after in ((old, new), (old.replace("|", "\\|"), new.replace("|", "\\|"))):
            start = column - 1
            if current.startswith(before, start):
                lines[line - 1] = current[:start] + after + current[start + len(before) :]
                applied += 1
                break
    return "".join(lines), applied
