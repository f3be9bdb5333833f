"""Lint records: rules, diagnostics and their locations, as immutable data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Literal

if TYPE_CHECKING:
    from kbsleep.wiki import Wiki
    from kbsleep.wiki.page import Page

Severity = Literal["error", "warning", "judgement"]
SEVERITY_RANK: dict[str, int] = {"judgement": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class Location:
    path: str  # relative to the wiki root, with '/'
    line: int  # 1-based
    column: int = 1  # 1-based
    message: str = ""  # what this place shows, for related locations


@dataclass(frozen=True)
class Diagnostic:
    code: str  # stable code, e.g. "KB101"
    name: str  # kebab-case rule name, e.g. "broken-link"
    severity: Severity
    location: Location
    message: str
    hint: str | None = None  # the fix, in words: "did you mean [[Kestrel Rover]]?"
    source_line: str = ""  # the offending line, for carets
    span: int = 1  # characters to underline from the column
    related: tuple[Location, ...] = ()  # the other side of two-page findings
    fix: tuple[tuple[int, int, str, str], ...] = ()  # safe edits: (line, column, old, new)

    @property
    def path(self) -> str:
        return self.location.path

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.location.path, self.location.line, self.location.column, self.code)


@dataclass(frozen=True)
class Focus:
    """The pages a lint run reports on. A rule may skip work whose findings would be dropped:
    any finding on one of these pages, or with a related location on one, must still come out."""

    paths: frozenset[str] | None = None  # None: every page

    def wants(self, *paths: str | None) -> bool:
        """Would a finding with these locations (its own, then related ones) be reported?"""
        return self.paths is None or any(path in self.paths for path in paths)

    def pages(self, wiki: "Wiki") -> Iterator[tuple[str, "Page"]]:
        """The pages to report on, in the wiki's order."""
        # A few paths: sort them and look each up; many: one pass over the wiki is cheaper.
        if self.paths is None or len(self.paths) * 8 > len(wiki.pages):
            yield from ((path, page) for path, page in wiki.pages.items() if self.wants(path))
        else:
            yield from ((path, wiki.pages[path]) for path in sorted(self.paths) if path in wiki.pages)

    def content(self, wiki: "Wiki") -> Iterator[tuple[str, "Page"]]:
        """The pages to report on whose content is judged: not templates or Excluded files."""
        unjudged = wiki.unjudged
        if not unjudged:
            yield from self.pages(wiki)
            return
        yield from ((path, page) for path, page in self.pages(wiki) if path not in unjudged)


EVERY_PAGE = Focus()
Check = Callable[["Wiki", "Rule", Focus], Iterable[Diagnostic]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    check: Check
    doc: str  # What it does / Why it matters / Example / Fix
    default: bool = True  # runs without being selected (False: see `registry.OFF_BY_DEFAULT`)

    def at(self, page: "Page", line: int, column: int, message: str, **extra: Any) -> Diagnostic:
        """A diagnostic of this rule at a place on `page`."""
        return Diagnostic(self.code, self.name, self.severity, Location(page.path, line, column), message, source_line=page.line_text(line), **extra)

    @property
    def summary(self) -> str:
        """The docstring's first line: one sentence on what the rule finds."""
        return self.doc.strip().split("\n", 1)[0].strip()

    def parts(self) -> dict[str, str]:
        """The docstring's four parts by heading."""
        result: dict[str, str] = {}
        current = None
        for line in _dedent(self.doc).splitlines():
            stripped = line.strip()
            if stripped.endswith(":") and stripped[:-1] in ("What it does", "Why it matters", "Example", "Fix"):
                current = stripped[:-1]
                result[current] = ""
            elif current is not None:
                result[current] += line + "\n"
        return {k: v.strip("\n") for k, v in result.items()}


def _dedent(text: str) -> str:
    import textwrap

    first, _, rest = text.partition("\n")
    return first.strip() + "\n" + textwrap.dedent(rest)
