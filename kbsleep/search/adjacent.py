"""The units next to an answer's unit in its passage: the sentence that introduces a list, the
sentence that goes on after a sentence, and a sentence that announces what no unit quotes."""

from __future__ import annotations

from collections.abc import Sequence

from kbsleep.search.units import Unit


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
