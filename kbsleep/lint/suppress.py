"""Inline suppressions: comments in a page and the `kbsleep-ignore` frontmatter key.

- `<!-- kbsleep-disable-next-line broken-link -->` (or `%% ... %%`): the line after the comment.
- `<!-- kbsleep-disable KB101 -->` ... `<!-- kbsleep-enable -->`: a range; no enable = to the end.
- `kbsleep-ignore: [orphan-page]` in frontmatter: the whole page.
Rules are named by code, code prefix or name; none named means every rule.
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from dataclasses import dataclass
from operator import attrgetter
from typing import Iterable, Iterator

from kbsleep.lint.records import EVERY_PAGE, Diagnostic, Focus, Rule
from kbsleep.lint.registry import is_known_ref, matches
from kbsleep.wiki.page import Page

DIRECTIVE = re.compile(r"^kbsleep-(disable-next-line|disable|enable)\b\s*(.*)$", re.S)


@dataclass(frozen=True)
class Suppression:
    path: str
    line: int  # where the directive is written
    refs: tuple[str, ...]  # empty: every rule
    start: int  # first line covered
    end: int  # last line covered
    text: str  # the directive as written, for messages

    def covers(self, diagnostic: Diagnostic) -> bool:
        line = diagnostic.location.line
        return self.start <= line <= self.end and (not self.refs or any(matches(diagnostic, r) for r in self.refs))


def suppressions(page: Page) -> Iterator[Suppression]:
    """Every suppression written on `page`, with the lines it covers."""
    ignore = page.frontmatter.get("kbsleep-ignore")
    if ignore is None and not page.comments:
        return  # most pages: no need to count their lines (or even read their text)
    last = max(page.line_count, 1)
    if ignore is not None:
        refs = (ignore,) if isinstance(ignore, str) else tuple(str(r) for r in ignore) if isinstance(ignore, list) else ()
        line = next((n for n in range(2, page.frontmatter_end) if page.lines[n - 1].startswith("kbsleep-ignore")), 1)
        for ref in refs or ("ALL",):
            yield Suppression(page.path, line, (ref,), 1, last, f"kbsleep-ignore: {ref}")
    open_ranges: list[tuple[int, tuple[str, ...], str]] = []
    for comment in page.comments:
        match = DIRECTIVE.match(comment.text)
        if not match:
            continue
        kind, refs = match.group(1), _refs(match.group(2))
        if kind == "disable-next-line":
            yield Suppression(page.path, comment.line, refs, comment.end_line + 1, comment.end_line + 1, comment.text)
        elif kind == "disable":
            open_ranges.append((comment.line, refs, comment.text))
        else:
            still_open = []
            for start, open_refs, text in open_ranges:
                if not refs or set(refs) & set(open_refs) or not open_refs:
                    yield Suppression(page.path, start, open_refs, start, comment.line, text)
                else:
                    still_open.append((start, open_refs, text))
            open_ranges = still_open
    for start, refs, text in open_ranges:
        yield Suppression(page.path, start, refs, start, last, text)


def apply(diagnostics: Iterable[Diagnostic], pages: dict[str, Page], ran: Iterable[Rule], unused_rule: Rule | None, focus: Focus = EVERY_PAGE) -> list[Diagnostic]:
    """Drop suppressed diagnostics; report unused suppressions (on pages in focus) when
    `unused_rule` is given."""
    diagnostics = list(diagnostics)
    wanted = {d.path for d in diagnostics}
    by_page: dict[str, list[Suppression]] = {}
    for path, page in pages.items():
        if path not in wanted and not focus.wants(path):
            continue
        found = list(suppressions(page))
        if found:
            by_page[path] = found
    used: set[Suppression] = set()
    suppressed = _suppressed(diagnostics, by_page, used)
    kept = [d for index, d in enumerate(diagnostics) if index not in suppressed]
    if unused_rule is None:
        return kept
    ran = list(ran)
    for path, found in by_page.items():
        page = pages[path]
        for suppression in found:
            unknown = [r for r in suppression.refs if r.upper() != "ALL" and not is_known_ref(r)]
            if unknown:
                kept.append(unused_rule.at(page, suppression.line, 1, f"`{suppression.text}` names unknown rule `{unknown[0]}`", hint="`kbsleep lint --list-rules` lists them"))
            elif suppression not in used and _judged(suppression, ran):
                kept.append(unused_rule.at(page, suppression.line, 1, f"`{suppression.text}` suppresses nothing", hint="delete it"))
    return kept


def _suppressed(diagnostics: list[Diagnostic], by_page: dict[str, list[Suppression]], used: set[Suppression]) -> set[int]:
    """The indexes of the diagnostics some suppression covers (each one that does goes into
    `used`). One sweep per page, down its lines: the suppressions whose lines have begun and
    not ended are the only ones to try, so a page with thousands of suppressions and findings
    is not quadratic."""
    lines: dict[str, list[int]] = defaultdict(list)
    for index, diagnostic in enumerate(diagnostics):
        if diagnostic.path in by_page:
            lines[diagnostic.path].append(index)
    suppressed: set[int] = set()
    for path, indexes in lines.items():
        found = sorted(by_page[path], key=attrgetter("start"))
        begun, live = 0, []  # `live`: (end, order, suppression) of those begun, a heap by end
        for index in sorted(indexes, key=lambda i: diagnostics[i].location.line):
            diagnostic = diagnostics[index]
            line = diagnostic.location.line
            while begun < len(found) and found[begun].start <= line:
                heapq.heappush(live, (found[begun].end, begun, found[begun]))
                begun += 1
            while live and live[0][0] < line:
                heapq.heappop(live)
            hits = [s for _, _, s in live if s.covers(diagnostic)]
            if hits:
                used.update(hits)
                suppressed.add(index)
    return suppressed


def _judged(suppression: Suppression, ran: list[Rule]) -> bool:
    """Only call a suppression unused when every rule it names actually ran."""
    if not suppression.refs:
        return True
    return all(any(matches(rule, ref) for rule in ran) for ref in suppression.refs)


def _refs(text: str) -> tuple[str, ...]:
    text = text.strip().removesuffix("%%").strip()
    return tuple(part for part in re.split(r"[\s,]+", text) if part)
