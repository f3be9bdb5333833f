"""The block that ends the kept page of a merge and the pages merged into it: merged text goes before it.

Many pages end with a block their tool or their owner repeats on every page: a community
vault's `%% Hub footer: Please don't edit anything below this line %%` and its "Edit in GitHub"
links, a generated section, kbsleep's own anticipated questions. Two duplicates each end with
their own copy of it, the same but for each page's own name and path in its links. A merge
puts the text it adds into the kept page's body, before that block, and does not add the
merged page's copy of it: the kept page's footer stays byte for byte where it was.

The kept page's footer starts at the earliest of:
- the longest run of blocks that ends it and each page merged into it (the shortest of these
  over the pages), a block being the lines between blank lines, compared with their spaces
  collapsed and each page's own path and file name read as the same word;
- its last comment saying "below this line" (the Obsidian `%% ... %%` or HTML comment a vault
  puts above what its tools regenerate);
- the kbsleep sections (fences) that end it.

It starts only where a block of the page's own starts (a heading, a paragraph, a list item, a
table row, a comment, a fence), never inside a code block. The merged page's blocks from its
own footer on that the kept footer holds are not merged, nor are its kbsleep sections anywhere:
they were generated for the page the merge removes, and `anticipate` writes the kept page's
anew. Every other block of it is merged, below-the-line text that is its own included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Sequence
from urllib.parse import quote

from kbsleep.wiki.page import Page

BELOW = re.compile(r"\bbelow\s+this\s+line\b", re.IGNORECASE)
RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")  # a thematic break: `---`, `***`, `_ _ _`
OWN = "\x00"  # what a page's own path or name reads as, in a block's key


@dataclass(frozen=True)
class Block:
    start: int  # 0-based index of its first line in `Page.lines`
    end: int  # one past its last line
    key: str  # what it says, compared across pages
    generated: bool  # a kbsleep section
    boundary: bool  # a block of the page's own starts here: text may go before it


def start(survivor: Page, others: Sequence[Page]) -> int:
    """The line (0-based, of `survivor.lines`) where the kept page's footer starts; the number
    of its lines when it has none."""
    blocks = _blocks(survivor)
    at = max((_common(blocks, _blocks(other))[0] for other in others), default=len(blocks))
    at = min(at, _marked(survivor, blocks), _generated(blocks))
    while at < len(blocks) and not blocks[at].boundary:  # never inside a code block
        at += 1
    return blocks[at].start if at < len(blocks) else len(survivor.lines)


def dropped(survivor: Page, footer: int, other: Page) -> frozenset[int]:
    """The lines of `other` (0-based) a merge leaves out: its copies of blocks of the kept
    page's footer (from `footer`), from its own footer on, and its kbsleep sections."""
    kept = {block.key for block in _blocks(survivor) if block.start >= footer and not block.generated}
    blocks = _blocks(other)
    own = min(_common(_blocks(survivor), blocks)[1], _marked(other, blocks), _generated(blocks))
    lines: set[int] = set()
    for index, block in enumerate(blocks):
        if block.generated or (index >= own and block.key in kept):
            lines.update(range(block.start, block.end))
    return frozenset(lines)


def placed(body: str, survivor: Page, footer: int) -> tuple[str, int]:
    """A merged body and the line of the survivor's text it replaces up to. The offline merge and
    a model shown the pages without the footer write the body alone: it goes before the footer
    (`footer`). A body that ends with the footer as it is has that copy dropped. A body that
    holds any other block of the footer wrote the footer its own way: it is the whole body, as
    the model wrote it (the loss checks judge it)."""
    from kbsleep.passes.consolidate.safety import parse

    tail = [block.key for block in _blocks(survivor) if block.start >= footer]
    if not tail:
        return body, footer
    written = parse(survivor.path, body)
    blocks = _blocks(written)
    if len(blocks) >= len(tail) and [block.key for block in blocks[-len(tail) :]] == tail:
        return "\n".join(written.lines[: blocks[-len(tail)].start]) + "\n", footer
    if set(tail) & {block.key for block in blocks}:
        return body, len(survivor.lines)
    return body, footer


def without(page: Page, lines: frozenset[int]) -> str:
    """The page's text without `lines` (its line endings as they are)."""
    if not lines:
        return page.text
    from kbsleep.wiki.page import split_lines_keepends

    return "".join(line for number, line in enumerate(split_lines_keepends(page.text)) if number not in lines)


# -- internals ----------------------------------------------------------------------------------


def _common(mine: list[Block], theirs: list[Block]) -> tuple[int, int]:
    """Where the longest run of blocks that ends both lists starts in each (kbsleep sections
    skipped: a page's own generated text is not its footer's)."""
    a = [i for i, b in enumerate(mine) if not b.generated]
    b = [i for i, block in enumerate(theirs) if not block.generated]
    i, j = len(a), len(b)
    while i and j and mine[a[i - 1]].key == theirs[b[j - 1]].key:
        i, j = i - 1, j - 1
    return (a[i] if i < len(a) else len(mine)), (b[j] if j < len(b) else len(theirs))


def _marked(page: Page, blocks: list[Block]) -> int:
    """The block of the page's last comment that says "below this line"; past the end when none."""
    lines = [c.line - 1 for c in page.comments if BELOW.search(c.text) and c.line > page.frontmatter_end]
    if not lines:
        return len(blocks)
    return next((i for i, b in enumerate(blocks) if b.start <= max(lines) < b.end), len(blocks))


def _generated(blocks: list[Block]) -> int:
    """The first of the kbsleep sections that end the page (blank lines aside); past the end when none."""
    at = len(blocks)
    while at and blocks[at - 1].generated:
        at -= 1
    return at


def _blocks(page: Page) -> list[Block]:
    """The page's body as blocks: lines between blank lines, a kbsleep section or a comment one
    block however many blank lines it holds."""
    lines = page.lines
    whole = {f.start - 1: (f.end, True) for f in page.fences}
    whole.update({c.line - 1: (c.end_line, False) for c in page.comments if c.end_line > c.line and c.line - 1 not in whole})
    starts = {h.line - 1 for h in page.headings} | {b.line - 1 for b in page.blocks} | {c.line - 1 for c in page.comments} | set(whole)
    own = _own_names(page)
    blocks: list[Block] = []
    number = page.frontmatter_end
    while number < len(lines):
        if not lines[number].strip():
            number += 1
            continue
        end, generated = whole.get(number, (number + 1, False))
        if number not in whole:
            while end < len(lines) and lines[end].strip() and end not in whole:
                end += 1
        key = f"kbsleep:{next(f.name for f in page.fences if f.start - 1 == number)}" if generated else _key(lines[number:end], own)
        blocks.append(Block(number, end, key, generated, number in starts))
        number = end
    # A thematic break (`---` above a footer) is no block the parser records; alone between
    # blank lines and followed by one that is (or by nothing), it is outside any code block.
    for index, block in enumerate(blocks):
        if not block.boundary and block.end == block.start + 1 and RULE.match(lines[block.start]) and (index + 1 == len(blocks) or blocks[index + 1].boundary):
            blocks[index] = replace(block, boundary=True)
    return blocks


def _key(lines: list[str], own: re.Pattern[str] | None) -> str:
    text = "\n".join(" ".join(line.split()) for line in lines)
    return own.sub(OWN, text) if own is not None else text


def _own_names(page: Page) -> re.Pattern[str] | None:
    """The page's path and file name as its own links write them (plain and percent-encoded)."""
    path = page.path[:-3] if page.path.lower().endswith(".md") else page.path
    names = {n for n in (path, quote(path), quote(path, safe=""), page.stem, quote(page.stem)) if n}
    if not names:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?![\w-])")
