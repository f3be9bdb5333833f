"""What a search result shows of its section: the line that matches best (`kbsleep mcp`'s `search`).

The text before a page's first heading is a section of the index, its frontmatter included (its
facts answer questions). A search result is what a section says, though: a section that is only
the page's properties is a result when a property holds the query's words, and never for the
page's name (`title`, `aliases`), which every result of the page gives as its `title` field.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterable

from kbsleep.search.blocks import QUOTE, table_cells
from kbsleep.search.units import CALLOUT, quoted
from kbsleep.search.words import tokenize

if TYPE_CHECKING:
    from kbsleep.search.index import Hit

SNIPPET_CHARS = 240
_HEADING = re.compile(r"#{1,6}(\s|$)")  # an ATX heading line, stripped ("#tag" is no heading)
# the properties that name the page (Obsidian's `aliases`, its former `alias`; kbsleep's `title`)
NAME_KEYS = frozenset({"title", "aliases", "alias"})
_KEY = re.compile(r"([^\s:#][^:]*):(\s|$)")  # a top-level `key:` line of the frontmatter


def properties_only(text: str) -> list[tuple[str, str]] | None:
    """(key, line) of each line of `text`'s frontmatter, an indented or list line going with the
    key above it, when `text` is nothing but the frontmatter; None when it says anything else."""
    lines = text.strip().splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), 0)
    if not end or any(line.strip() for line in lines[end + 1 :]):
        return None
    found, key = [], ""
    for line in lines[1:end]:
        if line.strip():
            key = (match.group(1).strip().casefold() if (match := _KEY.match(line)) and line[:1] not in " \t-" else key)
            found.append((key, line))
    return found


def shown(hit: Hit, words: Iterable[str]) -> bool:
    """Whether a search offers `hit`: not a section that is only the page's properties unless a
    property other than the page's name holds one of `words` (a shared stem counts)."""
    properties = properties_only(hit.text)
    if properties is None:
        return True
    return _score("\n".join(line for key, line in properties if key not in NAME_KEYS), _stems(words)) > 0


def _stems(words: Iterable[str]) -> list[str]:
    return [w[: max(4, len(w) - 2)] for w in words]


def _score(line: str, stems: list[str]) -> int:
    tokens = tokenize(line)
    return sum(1 for s in stems if any(t.startswith(s) or s.startswith(t) and len(t) >= 4 for t in tokens))


def hit_record(hit: Hit, words: Iterable[str]) -> dict[str, Any]:
    """A search result as `kbsleep mcp`'s `search` returns it."""
    return {
        "page": hit.page,
        "title": hit.title,
        "heading": hit.heading,
        "line": hit.start,
        "end_line": hit.end,
        "wikilink": f"[[{hit.target}]]",
        "snippet": snippet(hit.text, words),
    }


def snippet(text: str, words: Iterable[str], width: int = SNIPPET_CHARS) -> str:
    """The line of `text` that holds most of `words` (a shared stem counts), as an answer quotes it
    (links as their text; no icons, nor list, quote, callout, heading or emphasis marks; a table
    row's cells between bars), cut at word boundaries to about `width` characters around the first of
    them; the first line with text when none is found. Frontmatter and comment lines are never
    the snippet, nor a heading line while the section says anything else (a hit names its heading
    already); of a section that is nothing but properties, a property other than the page's name,
    with its values ("tags: pump, storm")."""
    stems = _stems(words)
    properties = properties_only(text)
    if properties is not None:
        text = "\n".join(_shown_properties(properties))
    lines = text.splitlines()
    if lines and lines[0].strip() == "---":  # the page's properties: not what a reader is shown
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), 0)
        if end and any(line.strip() for line in lines[end + 1 :]):
            lines = lines[end + 1 :]
    kept = [line.strip() for line in lines if line.strip() and not line.strip().startswith(("---", "<!--", "%%"))]
    said = [line for line in kept if not _HEADING.match(line) and not _titles_callout(line)]
    best, best_score = "", -1
    for line in (_plain(line) for line in said or kept):
        score = _score(line, stems)
        if line and score > best_score:
            best, best_score = line, score
    if len(best) <= width:
        return best
    lowered = best.casefold()
    at = min((lowered.find(s) for s in stems if s in lowered), default=0)
    start = max(0, min(at - width // 3, len(best) - width))
    end = start + width
    if start:  # never half a word: from the next word on
        start = next((i + 1 for i in range(start - 1, min(at, end)) if best[i].isspace()), start)
    if end < len(best):  # ... and to the last whole word
        end = next((i for i in range(end, start, -1) if best[i].isspace()), end)
    return ("…" if start else "") + best[start:end].strip() + ("…" if end < len(best) else "")


def _titles_callout(line: str) -> bool:
    """Whether `line` is only a callout's type mark, its title: a heading of the box."""
    return (callout := CALLOUT.match(QUOTE.sub("", line))) is not None and callout.end() == len(QUOTE.sub("", line))


def _plain(line: str) -> str:
    """A line as an answer quotes it (`units.quoted`: no icons or images); a callout's type mark
    left out ("> [!warning] If the vault ..."), a table row's cells joined by bars, its delimiter
    row nothing."""
    line = QUOTE.sub("", line)
    if callout := CALLOUT.match(line):
        line = line[callout.end() :] or callout.group(1).capitalize()  # Obsidian titles a bare callout with its type
    if line.startswith("|") or line.endswith("|"):
        cells = [quoted(cell) for cell in table_cells(line)]
        return "" if all(set(cell) <= set(":- ") for cell in cells) else " | ".join(cells)
    return quoted(line)


def _shown_properties(properties: list[tuple[str, str]]) -> list[str]:
    """A section of nothing but properties as a reader is shown them, the page's name left out:
    one "key: value, value" line a property ("tags:" then "  - pump" is "tags: pump")."""
    values: dict[str, list[str]] = {}
    for key, line in properties:
        if key in NAME_KEYS:
            continue
        value = line.partition(":")[2] if _KEY.match(line) and line[:1] not in " \t-" else line.strip().removeprefix("-")
        values.setdefault(key, []).extend(v.strip().strip("\"'") for v in value.strip().strip("[]").split(",") if v.strip())
    return [f"{key}: {', '.join(found)}".rstrip() for key, found in values.items()]
