"""The extractive summary of a section: the units that carry its facts, in their order, shorter.

A section's units (`search.units`: sentences, list items, a how-to's steps, table rows, `Key:
value` lines) are scored by what they hold, not by any question: a fact line or a table row, a
step, a number, a date, a version or a shortcut , a name, the first sentence
of the section and of each paragraph. The best units that fit in the summary's length are kept
in the section's order, with the sentence that introduces a kept list, and never without its list
(it then stands for it with its first item); a long unit is cut at a clause. What comes out is plain Markdown that `search.units` reads back as the same units, so
an answer quoted from a summary reads as one quoted from the section.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kbsleep.search.units import Unit, units

VERSION = "11"  # of the method (11: a sentence that introduces a list is kept with its first item or not at all; 5: a paragraph of `Key: value` lines is one fact per line; a short code example is part of the sentence that introduces it; 6: code spans quoted as written, rendered examples left out; 7: sentences end at a period before lower case after a plain word; 8: a line of tags or a bar of links is no statement; 9: an image's caption in italics is no text; 10: an escaped pipe in a table row is the cell's): stored extractive summaries of another version are computed again
RATIO = 0.4  # of the section's words
MIN_WORDS = 15  # a section this short (or shorter than its summary would be) is its own summary
MAX_WORDS = 20
MAX_UNIT_WORDS = 25  # a longer unit is cut at a clause
MIN_UNIT_WORDS = 3  # a shorter sentence or item ("Learn more.") is left out, but a fact or a row
# what `question.FORMS` look for, cheaply (this runs on every unit of a cold index): a digit, a
# currency or key symbol, a key combination, a number written out
_FACT_MARK = re.compile(r"[\d$€£¥%⌘⌥⇧⌃]")
_KEYS = re.compile(r"\b(?:ctrl|cmd|alt|shift|option)\s?\+")
_NUMBERS = frozenset("two three four five six seven eight nine ten twelve hundred thousand million".split())
_CLAUSE = re.compile(r"[,;:]\s|\s[-\u2013\u2014]\s")


def summarise(text: str) -> str:
    """The summary of a section's Markdown `text` ("" when it holds no text units)."""
    headings = {w for line in text.splitlines() if line.lstrip().startswith("#") for w in _words(line)}
    found = [u for u in units("", text) if _telling(u, headings)]
    if not found:
        return ""
    words = [len(u.text.split()) for u in found]
    total = sum(words)
    limit = min(MAX_WORDS, max(MIN_WORDS, round(RATIO * total)))
    if total <= limit:
        return render(found, headings)
    firsts = {u.block: u.order for u in reversed(found)}
    order = sorted(range(len(found)), key=lambda i: (-_score(found[i], i, firsts), i))
    kept: set[int] = set()
    used = 0
    for i in order:
        cost = min(words[i], MAX_UNIT_WORDS)
        if used + cost > limit and kept:
            continue
        kept.add(i)
        used += cost
        if used >= limit:
            break
    return render([found[i] for i in sorted(_introduced(found, kept))], headings)


def _introduced(found: Sequence[Unit], kept: set[int]) -> set[int]:
    """`kept` without a sentence that introduces what was not kept ("Two properties are
    essential:" without the list): a list's first item stands for it, and `render` writes the
    sentence before the item; what is not a unit (code, a formula) leaves the sentence saying nothing."""
    chosen = set(kept)
    for i in sorted(kept):
        if found[i].kind != "sentence" or not found[i].text.rstrip().endswith(":"):
            continue
        after = found[i + 1] if i + 1 < len(found) else None
        if after is not None and after.kind in ("item", "step") and after.lead == found[i].text:
            if i + 1 in chosen:
                continue
            chosen.add(i + 1)
        chosen.discard(i)
    return chosen or kept  # (a section whose one telling unit is such a sentence keeps it)


def _telling(unit: Unit, headings: set[str]) -> bool:
    """Whether `unit` says something its headings do not: "Install Obsidian on Windows" under
    that heading, or "Learn more.", says nothing."""
    if unit.kind in ("field", "row"):
        return True
    words = _words(unit.text)
    return len(unit.text.split()) >= MIN_UNIT_WORDS and not words <= headings


def _words(text: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"\w+", text)}


def _score(unit: Unit, position: int, firsts: dict[int, int]) -> float:
    score = 1.0
    if unit.kind in ("field", "row"):
        score += 1.5
    elif unit.kind == "step":
        score += 1.2
    if _fact(unit.text):
        score += 1.0
    if any(word[:1].isupper() for word in unit.text.split()[1:]):
        score += 0.3  # a name
    if position == 0:
        score += 1.0
    elif firsts.get(unit.block) == unit.order:
        score += 0.5
    return score / (1.0 + len(unit.text.split()) / 25)


def _fact(text: str) -> bool:
    if _FACT_MARK.search(text):
        return True
    lower = text.lower()
    return ("+" in lower and _KEYS.search(lower) is not None) or not _NUMBERS.isdisjoint(lower.split())


def render(kept: Sequence[Unit], headings: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    """Units as Markdown blocks: a paragraph's sentences on one line, a list's items (after the
    sentence that introduces it, unless its headings say as much), a row or a fact a paragraph
    of its own (so that it reads back as one unit)."""
    lines: list[str] = []
    block, step = -1, 0
    for unit in kept:
        text = _cut(unit.text)
        if unit.block != block:
            if lines:
                lines.append("")
            if unit.kind in ("item", "step") and unit.lead and not any(unit.lead in line for line in lines[-2:]) and not _words(unit.lead) <= headings:
                lines.append(_cut(unit.lead))
            block, step = unit.block, 0
        if unit.kind == "step":
            step += 1
            lines.append(f"{step}. {text}")
        elif unit.kind == "item":
            lines.append(f"- {text}")
        elif unit.kind == "sentence" and lines and lines[-1] and not lines[-1].startswith(("- ", f"{step}. ")):
            lines[-1] += " " + text
        else:
            lines.extend([text, ""] if unit.kind in ("row", "field") else [text])
    return "\n".join(lines).strip()


def _cut(text: str) -> str:
    """`text` up to `MAX_UNIT_WORDS` words, cut at the last clause boundary before the limit."""
    parts = text.split()
    if len(parts) <= MAX_UNIT_WORDS:
        return text
    head = " ".join(parts[:MAX_UNIT_WORDS])
    stops = [m.start() for m in _CLAUSE.finditer(head)]
    if stops and stops[-1] > len(head) // 2:
        head = head[: stops[-1]]
    return head.rstrip(" ,;:") + " \u2026"
