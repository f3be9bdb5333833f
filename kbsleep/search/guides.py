"""A sentence that says its page shows how to do something ("This recipe shows how to export a
note to PDF.", "This guide walks you through setting up sync.") answers a how-to only with the
steps that page gives: the page's numbered list follows it. A page whose sections are its steps
("## Step 1 — Check the Failure Info", "## Step 2 — Review ...", an LLM wiki's troubleshooting
guide) answers with those headings, after its opening; an item labelled with the task ("Publish
Properties: ... click Publish.") answers alone."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kbsleep.search.blocks import plain
from kbsleep.search.units import Unit
from kbsleep.search.words import stem, tokenize

_LABEL = re.compile(r"^([^:]{1,40}):\s")  # "Publish Properties: Add unpublished properties ..."
_STEP_HEADING = re.compile(r"^(?:step|phase|stage)\s+(\d{1,2})\b", re.I)
STEPPED = 3  # a page with this many sections headed as steps is a procedure
_SHOWS_HOW = re.compile(r"\b(?:shows?|explains?|describes?|teach(?:es)?|will teach|walks? you through|guides? you through|covers?) (?:you )?how\b", re.I)


def with_procedure(best: Unit, found: Sequence[Unit], most: int) -> list[Unit]:
    """`best` and the first numbered list (up to `most` steps) of its page among `found`, when
    `best` says its page shows how; nothing otherwise (and on a page without numbered steps)."""
    if not _SHOWS_HOW.search(best.text):
        return []
    page = best.source.partition("#")[0]
    steps = [u for u in found if u.kind == "step" and u.source.partition("#")[0] == page]
    if not steps:
        return []
    first = steps[0]
    return [best, *[u for u in steps if (u.source, u.block, u.lead) == (first.source, first.block, first.lead)][:most]]


def stepped_sections(best: Unit, found: Sequence[Unit], most: int) -> list[Unit]:
    """`best`, a page's opening, then the headings of its sections that are its steps, in order
    (up to `most`, from "Step 1" on), as a list it introduces; nothing when `best` is under a
    heading (it answers one step) or the page has fewer than `STEPPED` steps among `found`."""
    if "#" in best.source:
        return []
    steps: dict[int, str] = {}
    for unit in found:
        page, _, heading = unit.source.partition("#")
        numbered = _STEP_HEADING.match(heading)
        if page == best.source and numbered:
            steps.setdefault(int(numbered.group(1)), unit.source)
    run = []
    while len(run) + 1 in steps:
        run.append(steps[len(run) + 1])
    if len(run) < STEPPED:
        return []
    heads = [Unit(source, plain(source.partition("#")[2]).strip(), "item", best.order + 1 + i, -1, best.text) for i, source in enumerate(run[:most])]
    return [best, *heads]


def labelled_task(unit: Unit, asked: set[str], verb: str | None) -> bool:
    """Whether a list item or row is labelled with the task a how-to asks: its verb and another of
    its words, and no word it does not ask ("Publish Properties: Add unpublished properties ...
    and click Publish." for "How do I publish a property ...?"; "Search selected text: ..." names
    a narrower task than "How do I search for text in all notes?")."""
    label = _LABEL.match(unit.text) if verb is not None and unit.kind in ("item", "step", "row", "field") else None
    words = {stem(t) for t in tokenize(label.group(1))} if label else set()
    return stem(verb or "") in words and len(words) >= 2 and words <= asked


def guided(best: Unit, found: Sequence[Unit], chosen: list[Unit], asked: set[str], verb: str | None, most: int) -> list[Unit]:
    """A how-to's answer, `chosen` from the page's lists, unless a page says it shows how
    (`with_procedure` chose its steps already): the headings of a page made of step sections
    (`stepped_sections`), or the one item labelled with the task (`labelled_task`)."""
    if with_procedure(best, found, most):
        return chosen
    return stepped_sections(best, found, most) or ([best] if labelled_task(best, asked, verb) else chosen)
