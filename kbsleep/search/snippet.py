"""What a search result shows of its section: the line that matches best (`kbsleep mcp`'s `search`).

The text before a page's first heading is a section of the index, its frontmatter included (its
facts answer questions). A search result is what a section says, though: a section that is only
the page's properties is a result when a property holds the query's words, and never for the
page's name (`title`, `aliases`), which every result of the page gives as its `title` field.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterable

from kbsleep.search.blocks import QUOTE, split_frontmatter, table_cells
from kbsleep.search.units import CALLOUT, quoted
from kbsleep.search.words import tokenize
from kbsleep.wiki.frontmatter import load_frontmatter

if TYPE_CHECKING:
    from kbsleep.search.index import Hit

SNIPPET_CHARS = 240
_HEADING = re.compile(r"#{1,6}(\s|$)")  # an ATX heading line, stripped ("#tag" is no heading)
# the properties that name the page (Obsidian's `aliases`, its former `alias`; kbsleep's `title`)
NAME_KEYS = frozenset({"title", "aliases", "alias"})


def properties_only(text: str) -> dict[str, Any] | None:
    """The page's properties when `text` is nothing but its frontmatter (as the page's own reader
    loads them; none when they do not load); None when it says anything else."""
    front, rest = split_frontmatter(text)
    if front is None or any(line.strip() for line in rest):
        return None
    try:
        data = load_frontmatter("\n".join(front))
    except Exception:  # noqa: BLE001 - PyYAML's errors, and values no constructor makes (as `wiki.parse`)
        return {}
    return data if isinstance(data, dict) else {}


def shown(hit: Hit, words: Iterable[str]) -> bool:
    """Whether a search offers `hit`: not a section that is only the page's properties unless a
    property other than the page's name holds one of `words` (a shared stem counts)."""
    properties = properties_only(hit.text)
    return properties is None or _score("\n".join(_shown_properties(properties)), _stems(words)) > 0


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
    front, rest = split_frontmatter(text)
    lines = rest if front is not None and any(line.strip() for line in rest) else text.splitlines()  # the page's properties: not what a reader is shown
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


def _shown_properties(properties: dict[str, Any]) -> list[str]:
    """A section of nothing but properties as a reader is shown them, the page's name left out:
    one "key: value, value" line a property (`tags: [pump, storm]` is "tags: pump, storm")."""
    shown = {key: value if isinstance(value, list) else [value] for key, value in properties.items() if str(key).casefold() not in NAME_KEYS}
    return [f"{key}: {', '.join(str(v) for v in values if v is not None)}".rstrip() for key, values in shown.items()]
