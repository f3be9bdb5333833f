"""What a section's heading says of the units under it. Notes often write a measure in a heading
("### Obliquity Cycle 40-thousand years", then a line on what the cycle is): the heading is then
part of the answer, as a fact's key is ("Fee: $360"). And a section's first sentence often
answers its heading in a few words of its own ("## States" then "Closed and open only.", "##
Default port" then "8443 over TLS."): it holds none of the question's words, its heading does.
A line that only repeats its heading is a label, and says nothing of its own.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

from kbsleep.search.blocks import FENCE, QUOTE, plain
from kbsleep.search.counts import heading_counts
from kbsleep.search.question import answers_form
from kbsleep.search.units import Unit
from kbsleep.search.words import stem, tokenize

# a heading's digits are often only a place in a sequence ("Step 2", "Chapter 3"), no count,
# unless they count the thing asked
_NOT_HELD = frozenset({"number"})


def heading(unit: Unit) -> str:
    """The heading of the section `unit` is in, as written ("" for a page's opening section)."""
    return unit.source.partition("#")[2]


def heading_form(form: str | None, unit: Unit, asked: Collection[str] = (), counted: str | None = None) -> bool:
    """Whether the unit's heading holds the answer form `form` ("40-thousand years" for "How long
    is the obliquity cycle?"), when that form is a measure; a count only when the heading counts
    the thing asked, `counted` (a stem): "Steps (15 total)" for "How many steps ...?"."""
    if form is None or not heading(unit):
        return False
    if form in _NOT_HELD:
        return counted is not None and heading_counts(heading(unit), counted)
    return answers_form(form, heading(unit), asked)


def with_heading(form: str | None, chosen: Sequence[Unit], text: str, asked: Collection[str] = (), counted: str | None = None) -> str:
    """The answer's `text`, led by the heading of its first unit when that heading, and no unit
    quoted, holds the form asked for: "Obliquity Cycle 40-thousand years: A cycle of the tilt of
    the earth"."""
    if not chosen or not heading_form(form, chosen[0], asked, counted) or any(answers_form(form, u.text, asked) for u in chosen):
        return text
    return f"{plain(heading(chosen[0])).strip()}: {text}"


# Sections that list where a page's facts come from or where to read on ("## References",
# "## Sources"): each item names a document, it says nothing the question asks. ("## See also"
# points to pages of the wiki, each item saying what its page tells: a pointer answers.)
_CITING = re.compile(r"^\W*(?:references?|sources?|source notes|further reading|bibliography|citations?|external links)\W*$", re.I)


def cites(unit: Unit, asked: Collection[str]) -> bool:
    """Whether `unit` is an entry of a section listing sources or further reading, and the
    question (`asked`, stemmed) does not ask for those: "- `technical-reference-some-content-
    databases-are-growing-too-large` — Some content databases are growing too large" under
    "## References" does not say how large one may grow."""
    found = _CITING.match(heading(unit))
    return found is not None and not {stem(t) for t in tokenize(found.group(0))} & set(asked)


def opening_units(found: Sequence[Unit], texts: Mapping[str, str]) -> set[Unit]:
    """The unit that opens each section of `found` that has a heading (`texts`: source -> its
    Markdown), what answers the heading: its first unit, unless the section opens with code (a
    code block's lines are units after all others, and the sentence after the block opens nothing)."""
    first: dict[str, Unit] = {}
    for unit in found:
        if heading(unit) and unit.kind != "code" and (unit.source not in first or unit.order < first[unit.source].order):
            first[unit.source] = unit
    return {unit for source, unit in first.items() if not _opens_with_code(texts.get(source, ""))}


def _opens_with_code(text: str) -> bool:
    lines = [line for line in text.splitlines() if line.strip()]
    body = lines[1:] if lines and lines[0].lstrip().startswith("#") else lines
    return bool(body) and (FENCE.match(QUOTE.sub("", body[0])) is not None or body[0].startswith(("    ", "\t")))


def labels(unit: Unit) -> bool:
    """Whether `unit` only repeats the heading it sits under, or its page's name ("Disjoint Set
    ADT" under "## Disjoint Set ADT"): a label, which says where an answer is, not what it is."""
    page, _, head = unit.source.partition("#")
    said = unit.text.strip().rstrip(".:").casefold()
    return said in {head.strip().casefold(), page.rsplit("/", 1)[-1].casefold()}
