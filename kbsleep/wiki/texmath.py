"""Math, as Obsidian renders it with MathJax: `$$ ... $$` blocks and `$...$` inline.

Obsidian's help (*Advanced formatting syntax*, "Math") says only that a block is surrounded by
`$$` and inline math by `$`; what is inside is LaTeX, not Markdown, so a `[[1], [2]]` matrix is
no link, a line `=` under `\\end{bmatrix}` is no setext underline, and a `#` is no heading. The
delimiters are our stated choices (docs/obsidian.md, "Math"), the ones Pandoc's
`tex_math_dollars` and markdown-it's math plugins use:

- A block opens on a line that starts with `$$` (indented less than four columns in its
  container) and closes at the first later line that holds `$$`, with no blank line between (as
  in LaTeX, GitHub and markdown-it-dollarmath); `$$x$$` alone on its line is a block of one line.
  It interrupts a paragraph, as a fence does, unless it closes a `$$` opened in that paragraph
  (`Matrix: $$`, the LaTeX, `$$`): that is inline math. A `$$` not closed so is text.
- Inline math is `$$...$$`, or `$...$` whose opening `$` has no blank after it and whose closing
  `$` has no blank before it and no digit after it (`$5 and $10` is money, not math). A `\\$`
  is a dollar sign. It may run over the lines of one paragraph.

The tokens (`math_block`, `math_inline`) are not folded into the Page: math holds no links,
headings, tags, block ids or facts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (the fold reads the token names on the warm path, without markdown-it)
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_inline import StateInline

MATH_BLOCK = "math_block"
MATH_INLINE = "math_inline"


def math_block_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """markdown-it block rule: a `$$` block, from its opening line to the first that holds `$$`."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False  # indented code
    begin = state.bMarks[start_line] + state.tShift[start_line]
    src = state.src
    if not src.startswith("$$", begin):
        return False
    if _closing(state, start_line):
        return False
    first = src[begin + 2 : state.eMarks[start_line]]
    if "$$" in first:  # `$$x$$` on one line: a block only when nothing follows the closing `$$`
        closed = first.rstrip(" \t")
        if not closed.endswith("$$") or not closed[:-2].strip(" \t"):
            return False
        last = start_line
    else:
        # (As a paragraph's terminator, the opening line may be outdented from the paragraph's
        # list item, and so may the lines after it: they are the block's container then.)
        floor = min(state.blkIndent, state.sCount[start_line])
        last = start_line + 1
        while last < end_line:
            begin, end = state.bMarks[last] + state.tShift[last], state.eMarks[last]
            if begin >= end or state.sCount[last] < floor:
                return False  # a blank line or the container's end first: never closed, text
            if "$$" in src[begin:end]:
                break
            last += 1
        else:
            return False  # never closed: text
    if silent:
        return True
    token = state.push(MATH_BLOCK, "math", 0)
    token.block = True
    token.map = [start_line, last + 1]
    token.markup = "$$"
    token.content = state.getLines(start_line, last + 1, state.blkIndent, False)
    state.line = last + 1
    return True


def _closing(state: StateBlock, line: int) -> bool:
    """Does the `$$` that starts `line` close one opened on the lines above it, with no blank
    line between (`Matrix: $$` then the LaTeX, then `$$`): an odd number of `$$` there."""
    count = 0
    while line > 0:
        line -= 1
        text = state.src[state.bMarks[line] : state.eMarks[line]]
        if not text.strip():
            break
        count += text.count("$$")
    return count % 2 == 1


def math_inline_rule(state: StateInline, silent: bool) -> bool:
    """markdown-it inline rule: `$$...$$`, or `$...$` opened before and closed after a non-blank."""
    src, start, end = state.src, state.pos, state.posMax
    if src[start] != "$" or start + 1 >= end:
        return False
    if src[start + 1] == "$":
        close = _unescaped(src, "$$", start + 2, end)
        if close < 0 or close == start + 2:
            return False
        stop = close + 2
    else:
        if src[start + 1] in " \t\n":
            return False
        close = _unescaped(src, "$", start + 1, end)
        if close < 0 or src[close - 1] in " \t\n" or (close + 1 < end and src[close + 1].isdigit()):
            return False
        stop = close + 1
    if not silent:
        token = state.push(MATH_INLINE, "math", 0)
        token.content = src[start:stop]
        token.markup = "$$" if src[start + 1] == "$" else "$"
    state.pos = stop
    return True


def _unescaped(src: str, mark: str, start: int, end: int) -> int:
    """The first `mark` in `src[start:end]` not escaped by an odd run of backslashes; -1 if none."""
    at = src.find(mark, start, end)
    while at >= 0:
        before = at
        while before > start and src[before - 1] == "\\":
            before -= 1
        if (at - before) % 2 == 0:
            return at
        at = src.find(mark, at + 1, end)
    return -1
