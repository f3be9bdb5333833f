"""What a search result shows of its section: the line that matches best (`kbsleep mcp`'s `search`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterable

from kbsleep.search.words import tokenize

if TYPE_CHECKING:
    from kbsleep.search.index import Hit

SNIPPET_CHARS = 240
_HEADING = re.compile(r"#{1,6}(\s|$)")  # an ATX heading line, stripped ("#tag" is no heading)


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
    """The line of `text` that holds most of `words` (a shared stem counts), cut to `width`
    characters around the first of them; the first line with text when none is found.
    Frontmatter and comment lines are never the snippet, nor a heading line while the section
    says anything else (a hit names its heading already)."""
    stems = [w[: max(4, len(w) - 2)] for w in words]
    lines = text.splitlines()
    if lines and lines[0].strip() == "---":  # the page's properties: not what a reader is shown
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), 0)
        if end and any(line.strip() for line in lines[end + 1 :]):
            lines = lines[end + 1 :]
    shown = [line.strip() for line in lines if line.strip() and not line.strip().startswith(("---", "<!--", "%%"))]
    said = [line for line in shown if not _HEADING.match(line)]
    best, best_score = "", -1
    for line in said or shown:
        tokens = tokenize(line)
        score = sum(1 for s in stems if any(t.startswith(s) or s.startswith(t) and len(t) >= 4 for t in tokens))
        if score > best_score:
            best, best_score = line, score
    if len(best) <= width:
        return best
    lowered = best.casefold()
    at = min((lowered.find(s) for s in stems if s in lowered), default=0)
    start = max(0, min(at - width // 3, len(best) - width))
    cut = best[start : start + width]
    return ("…" if start else "") + cut + ("…" if start + width < len(best) else "")
