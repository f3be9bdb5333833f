"""What a merge does with a property both pages set, to different values.

A merge is a git merge of two copies of one page, and a git user expects what git does with two
sides that change one line differently: it never picks one in silence. Our rule, by key:

- **What the thing is** (`KINDS`: `type`, `kind`): two pages that say they are different kinds
  of thing (a `source` and an `entity`, a `person` and an `organization`) are, by the wiki's own
  account, two things however alike their text; a merge would take one page out of every query
  and listing of its kind. Never merged: listed for a person, as pages with different
  identifiers are (`evidence.py`).
- **Bookkeeping dates** (a key that records when the file changed, `updated`, `lastmod`, `date
  modified`, or was made, `created`, `createdAt`: `kbsleep.wiki.properties.timestamp_kind`, the
  keys `ask` and lint already treat as the file's, not its subject's): one rule for each, when
  both values read as dates: the merged page was last updated when either copy
  was (the later date), and existed since the first copy did (the earlier). The winning value is
  written as the page that has it wrote it.
- **Every other property** (`status`, `date`, `author`, ...): the kept page's value stays (it is
  the page linked from the most pages) and the other value is written in the report (with what
  the run leaves for a person to look at), log.md and the commit message body (`conflicts`), so
  nothing is dropped without a word. `date` is here,
  not a bookkeeping date: on a source page it is the publication date, which describes the thing.

`aliases`, `tags` and `sources` are unioned and `title` becomes an alias (`duplicates`); they
are not conflicts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Sequence

from kbsleep.passes.consolidate.pagetext import Change, key_lines, key_span
from kbsleep.wiki.page import Page
from kbsleep.wiki.properties import timestamp_kind
from kbsleep.wiki.spans import in_ending

KINDS = frozenset({"type", "kind"})  # a differing value: two kinds of thing, not merged
UNIONED = frozenset({"title", "aliases", "tags", "sources"})  # merged by `duplicates` itself


@dataclass(frozen=True)
class Conflict:
    """A property the merged pages set differently, and the value the merge keeps."""

    key: str
    kept: str  # the value the merged page has, as shown
    other: str  # the value it does not, as shown
    page: str  # the merged-away page that had `other` (or, when taken from it, `kept`)
    rule: str  # "kept page's", "later" or "earlier": what decided
    taken: bool = False  # `kept` is `page`'s value, taken by the rule

    def __str__(self) -> str:
        if self.taken:
            return f"`{self.key}: {self.kept}` (the {self.rule} date, from `{self.page}`; was `{self.other}`)"
        if self.rule != "kept page's":
            return f"kept `{self.key}: {self.kept}` (the {self.rule} date; `{self.page}` had `{self.other}`)"
        return f"kept `{self.key}: {self.kept}`, `{self.page}` had `{self.other}`"


def different_kind(a: Page, b: Page) -> str | None:
    """The key of `KINDS` two pages give different values (`type: source`, `type: entity`), or None."""
    for key in sorted(KINDS):
        mine, theirs = _value(a.frontmatter.get(key)), _value(b.frontmatter.get(key))
        if mine and theirs and mine.casefold() != theirs.casefold():
            return key
    return None


def conflicts(kept: Page, others: Sequence[Page]) -> list[Conflict]:
    """The properties `kept` and one of `others` set to different values, and what the merge keeps
    of each: the later `LATER` date, the earlier `EARLIER` one, else the kept page's value."""
    found: list[Conflict] = []
    current = {key: value for key, value in kept.frontmatter.items() if key not in UNIONED}
    for other in others:
        for key, value in other.frontmatter.items():
            if key not in current or key in UNIONED or _same(current[key], value):
                continue
            rule = {"changed": "later", "created": "earlier", None: "kept page's"}[timestamp_kind(key)]
            mine, theirs = _date(current[key]), _date(value)
            if rule != "kept page's" and (mine is None or theirs is None or key_span(kept, key) is None or key not in key_lines(other)):
                rule = "kept page's"  # not two dates, or a key written in a way whose lines cannot be swapped exactly
            if rule != "kept page's" and (theirs > mine if rule == "later" else theirs < mine):  # type: ignore[operator]
                found.append(Conflict(key, _value(value), _value(current[key]), other.path, rule, taken=True))
                current[key] = value
            else:
                found.append(Conflict(key, _value(current[key]), _value(value), other.path, rule))
    return found


def taken(kept: Page, others: Sequence[Page], ending: str) -> list[Change]:
    """The changes that write, in `kept`'s frontmatter, each bookkeeping date taken from another
    page (`conflicts`), as that page wrote it."""
    by_path = {p.path: p for p in others}
    chosen: dict[str, str] = {}
    for conflict in conflicts(kept, others):
        if conflict.taken:
            chosen[conflict.key] = conflict.page  # a later page's date that wins again replaces it
    changes = []
    for key, path in chosen.items():
        span = key_span(kept, key)
        lines = key_lines(by_path[path]).get(key)
        if span is not None and lines is not None:
            changes.append((*span, in_ending(lines, ending)))
    return changes


def _value(value: object) -> str:
    """A property's value as shown: a list's items joined, spaces collapsed, at most 80 characters."""
    if value is None:
        return ""
    text = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:79] + "…"


def _same(a: object, b: object) -> bool:
    """Whether two values say the same: as parsed, or as dates (`2024-05-01` and `"2024-05-01"`)."""
    if a == b:
        return True
    first, second = _date(a), _date(b)
    return first is not None and first == second


def _date(value: object) -> datetime.datetime | None:
    """A value read as a date and time (a date at midnight), or None."""
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return datetime.datetime.fromisoformat(value.strip().replace("Z", "+00:00")).replace(tzinfo=None)
        except ValueError:
            return None
    return None
