"""The lines of a short code block as answer units, for a question whose answer a page gives only
in code: "Which model does the guide tell you to pull?" is answered by `ollama pull qwen2.5:14b`
under "Install Ollama and pull your model", "What does it cost per month?" by `Monthly: ~$2.40`
in a block of figures. A line states a value only when it holds a digit (a version, a figure, a
model's tag); a long block is a program or a listing, no statement; a how-to's answer says what
to do, and the sentence that announces its code block already quotes a short one
(`units.example`). Such a unit counts `CODE` of its score: prose that says as much answers first.
"""

from __future__ import annotations

from kbsleep.search.blocks import code_blocks
from kbsleep.search.units import Unit, units

MAX_LINES = 12  # a longer block is a program or a listing
MAX_CHARS = 160  # a longer line is no value to quote
CODE = 0.7  # a code line keeps this share of its score


def code_units(source: str, text: str, after: int) -> list[Unit]:
    """The lines of `text`'s short code blocks that hold a digit, as units of kind "code"
    numbered from `after` (past the passage's other units, so none is another's neighbour), each
    block a block of its own."""
    found: list[Unit] = []
    for number, lines in enumerate(code_blocks(text)):
        shown = [" ".join(line.split()) for line in lines if line.strip()]  # (columns aligned by spaces read as one space)
        if len(shown) > MAX_LINES:
            continue
        for line in shown:
            if len(line) <= MAX_CHARS and any(ch.isdigit() for ch in line) and any(ch.isalpha() for ch in line) and "`" not in line:
                found.append(Unit(source, line, "code", after + len(found), -1 - number))
    return found


def with_code(source: str, text: str, lines: bool) -> list[Unit]:
    """The answer units of one passage's Markdown, then (with `lines`) its code lines."""
    found = units(source, text)
    return found + code_units(source, text, len(found) + 1000) if lines else found
