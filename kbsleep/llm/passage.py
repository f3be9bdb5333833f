"""What retrieval hands a model: passages of context, the ids answers cite them by, and the
rough count of their tokens.

Apart from the model seam (`kbsleep.llm.model`) so that an offline `ask`, which builds passages
and counts their tokens but sends no request, does not build the seam's records: their
dataclasses cost a warm `ask` 2% of its instructions (tests/ask/test_warm_imports.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Passage:
    """One piece of shared context (usually a page), with the id answers cite it by."""

    source: str  # e.g. the page path, "people/ada.md"
    text: str


def source_id(cited: str) -> str:
    """The source id a citation copied from a `<source id="...">` attribute names (see
    `anthropic_engine.render_source`: only `"`, `<` and `>` are written as entities)."""
    return cited.strip().strip("[]").replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")


def local_tokens(text: str) -> int:
    """A rough token count when the endpoint cannot count: about four characters a token."""
    return math.ceil(len(text) / 4)


def most_tokens(text: str) -> int:
    """A generous token count, for the room a reply that rewrites `text` needs: three ASCII
    characters a token (tokenizers take about four), a token for each other character (a CJK
    character takes about one; four characters of an accented word fewer)."""
    ascii_chars = sum(1 for char in text if char < "\x80") if not text.isascii() else len(text)
    return math.ceil(ascii_chars / 3) + len(text) - ascii_chars
