"""The units next to an answer's unit in its passage: the sentence that introduces a list, the
sentence that goes on after a sentence, a sentence that announces what no unit quotes, the
list item a nested item is nested under, and the sentence a sentence refers back to."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any, TypeVar

from kbsleep.search.units import Unit, asks

# "Similarly, ...", "... in the same way.": the way is in the sentence before ("the same way as in
# a note" and "similarly to ..." name what they compare with, and refer to nothing before)
_BACK = re.compile(r"^\W*(?:similarly|likewise|in (?:the same|a similar) way)\b|\b(?:similarly|likewise|in (?:the same|a similar) way)(?=\s*(?:[,.;:!]|$))", re.I)


def lead_unit(first: Unit, found: Sequence[Unit]) -> Unit | None:
    """The sentence that introduces the list `first` starts, when it is the unit just before it."""
    before = [u for u in found if u.source == first.source and u.order == first.order - 1]
    return before[0] if before and before[0].kind == "sentence" and before[0].text == first.lead else None


def after(unit: Unit, found: Sequence[Unit], same_block: bool = False) -> Unit | None:
    """The unit right after `unit` in its passage (in its paragraph or list, with `same_block`)."""
    return next((u for u in found if u.source == unit.source and u.order == unit.order + 1 and (u.block == unit.block or not same_block)), None)


def with_next(unit: Unit, found: Sequence[Unit]) -> list[Unit]:
    """`unit` and the sentence after it in its paragraph: "You can add cursors by holding Alt"
    follows "Obsidian lets you edit text in multiple places"."""
    following = after(unit, found, same_block=True)
    return [unit, following] if unit.kind == "sentence" and following is not None and not announces_nothing(following, found) else [unit]


def announces_nothing(unit: Unit, found: Sequence[Unit]) -> bool:
    """Whether `unit` announces what no unit quotes ("Here's an example:" before a code block): alone it says nothing."""
    following = after(unit, found)
    return unit.text.endswith(":") and not (following is not None and following.kind in ("item", "step"))


def announced(chosen: list[Unit], found: Sequence[Unit], best: Unit, most: int) -> list[Unit]:
    """`chosen` with what the best unit announces: "To link to a note using an alias:" is quoted
    with the list it introduces, right after it. A sentence ending in ":" added after the best
    unit announces something else, and says nothing without it: it is left out."""
    kept = [u for u in chosen if u is best or u.kind != "sentence" or not u.text.endswith(":")]
    items = introduced(best, found, most)
    if items:
        at = kept.index(best) + 1
        return [*kept[:at], *items, *(u for u in kept[at:] if u not in items)]
    return kept


def introduced(unit: Unit, found: Sequence[Unit], most: int) -> list[Unit]:
    """The list (up to `most` items) right after a sentence ending in ":" that introduces it."""
    if unit.kind != "sentence" or not unit.text.endswith(":"):
        return []
    rest = [u for u in found if u.source == unit.source and u.order > unit.order]
    items = [u for u in rest if u.kind in ("step", "item") and u.block == rest[0].block and u.lead == unit.text] if rest else []
    return items[:most] if items and items[0] is rest[0] else []


def nested(chosen: list[Unit], found: Sequence[Unit], most: int) -> list[Unit]:
    """`chosen` with the item each of its nested items is nested under, and that item's other
    nested items (all of them, when there are at most `most`): "3. `C:\\Users\\Username\\Vaults`"
    alone hides that it is the last of "Windows: Recommended locations in order:". An item asking
    a question is no such item: the items under it answer it, and their lead says so."""
    out = list(chosen)
    for unit in chosen:
        parent = next((u for u in found if unit.parent is not None and u.source == unit.source and u.order == unit.parent), None)
        if parent is None or parent in out or asks(parent.text):
            continue
        siblings = [u for u in found if u.source == unit.source and u.parent == unit.parent]
        group = [parent, *(siblings if len(siblings) <= most else [u for u in siblings if u in out])]
        at = min(out.index(u) for u in group if u in out)
        out = [*(u for u in out[:at] if u not in group), *group, *(u for u in out[at:] if u not in group)]
    return out


def referred(chosen: list[Unit], found: Sequence[Unit]) -> list[Unit]:
    """`chosen` with the unit before each of its units that refers back to it ("You can use
    `{{time}}` with format strings in the same way." says the way only with the sentence before
    it): the one right before it in its list, or in its section when both are sentences (the
    paragraph before, in a page that writes one sentence a paragraph)."""
    out = list(chosen)
    for unit in chosen:
        if unit.kind not in ("sentence", "item", "step") or not _BACK.search(unit.text):
            continue
        before = next((u for u in found if u.source == unit.source and u.order == unit.order - 1 and (u.block == unit.block or u.kind == unit.kind == "sentence")), None)
        if before is not None and before not in out:
            out.insert(out.index(unit), before)
    return out


Scoring = TypeVar("Scoring", bound=Any)  # a scored unit: `.unit`, `.score` (`extract.Scored`)


def with_lists(scored: list[Scoring]) -> list[Scoring]:
    """For a question that asks for several things ("Which browsers ...?"): a sentence that
    introduces a list ("Get the extension from the official directory for your browser:") holds
    what its list holds, and scores half its best item's score more, as a how-to's list does."""
    best_item: dict[tuple[str, str], float] = {}
    for s in scored:
        if s.unit.kind in ("step", "item") and s.unit.lead:
            key = (s.unit.source, s.unit.lead)
            best_item[key] = max(best_item.get(key, 0.0), s.score)
    return [dataclasses.replace(s, score=s.score + 0.5 * best_item[key]) if s.unit.kind == "sentence" and s.unit.text.endswith(":")
            and (key := (s.unit.source, s.unit.text)) in best_item else s for s in scored]  # fmt: skip
