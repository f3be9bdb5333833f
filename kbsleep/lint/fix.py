"""`kbsleep lint --fix`: apply the safe edits diagnostics carry, file by file, atomically.

Like ruff, it writes files and leaves committing to the user. A page the config's `read-only`
names (an LLM wiki's sources), and a note a plugin keeps in its own format (an Excalidraw
drawing, a Kanban board: `kbsleep.obsidian.plugin_file`), are never rewritten: their findings
are reported, not fixed, as no pass writes into them (`kbsleep.passes.gate`). A page
with encoding problems is never rewritten (the replacement characters would destroy its bytes),
and an edit whose old text is no longer where the diagnostic saw it is skipped.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from kbsleep.atomic import write_atomic
from kbsleep.lint.records import Diagnostic
from kbsleep.obsidian import plugin_file
from kbsleep.wiki import Wiki
from kbsleep.wiki.page import split_lines_keepends


def kept(wiki: Wiki, path: str) -> bool:
    """Whether `lint --fix` leaves the page `path` as it is: a read-only page, or a plugin's file."""
    return wiki.read_only(path) or plugin_file(wiki.pages[path].frontmatter) is not None


def held(wiki: Wiki, diagnostics: Iterable[Diagnostic]) -> list[str]:
    """The pages with a fix `apply_fixes` leaves unapplied (`kept`)."""
    return sorted({d.path for d in diagnostics if d.fix and d.path in wiki.pages and kept(wiki, d.path)})


def apply_fixes(wiki: Wiki, diagnostics: Iterable[Diagnostic]) -> dict[str, int]:
    """Apply every fix; return {page path: edits applied} for the pages written."""
    edits: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    for diagnostic in diagnostics:
        edits[diagnostic.path].extend(diagnostic.fix)
    written: dict[str, int] = {}
    for path, page_edits in sorted(edits.items()):
        page = wiki.pages[path]
        if kept(wiki, path):  # a source, a drawing: its findings are reported, never fixed
            continue
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
    """Apply (line, column, old, new) edits; the new text and how many were applied."""
    spans = fix_spans(text, edits)
    pieces, done = [], len(text)
    for start, end, new in spans:  # right to left
        pieces += [text[end:done], new]
        done = start
    pieces.append(text[:done])
    return "".join(reversed(pieces)), len(spans)


def fix_spans(text: str, edits: Iterable[tuple[int, int, str, str]]) -> list[tuple[int, int, str]]:
    """The (start, end, new) character spans of `text` that (line, column, old, new) edits
    replace, right to left: each edit whose old text is, byte for byte, where it says (an edit
    says what the file holds: `[[T\\|x]]` in a table cell, and writes what belongs there), and
    that overlaps none of the edits to its right."""
    lines = split_lines_keepends(text)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    found: list[tuple[int, int, str]] = []
    for line, column, old, new in sorted(set(edits), reverse=True):
        start = column - 1
        if 0 < line <= len(lines) and start >= 0 and lines[line - 1].startswith(old, start):
            begin = starts[line - 1] + start
            if not found or begin + len(old) <= found[-1][0]:
                found.append((begin, begin + len(old), new))
    return found
