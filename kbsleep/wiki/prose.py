"""A page's prose as a reader sees it, as words and as word shingles: the one measure of how
much text two pages share.

Two judges ask that question, each with its own policy on the answer: duplicate-page and
ambiguous-alias (`kbsleep.lint.namesakes`: half of the shorter page's distinctive shingles,
template text told by the namesakes' groups) and consolidate's merge gate
(`kbsleep.passes.consolidate.evidence`: four fifths, boilerplate told by the whole wiki). What
the prose *is* they share, here, and what text is too common to tell anything (`COMMON_PAGES`:
the merge gate's boilerplate shingles, and the sentences anticipate never quotes,
`kbsleep.passes.boilerplate`):

- **Prose** is the inline text of the page's paragraphs, list items, table cells and headings
  below H1, in reading order. Not prose: the frontmatter, H1 headings (the title, which is what
  made two pages comparable in the first place, or a footer every page of a template carries),
  code blocks, comments (`%%...%%`, `<!-- ... -->`, on their own lines or inline), kbsleep's
  fenced sections (a pass wrote them from the page), and in the inline text: HTML tags (their
  text stays), images and embeds, link targets and URLs (a link keeps the words it shows: its
  text, or a wikilink's target when it has no display text), block ids (`^step-1`: hidden when
  reading). Inline code stays: `hasTag()` is a word of its sentence.
  Headings below H1 are prose: a section's heading gives its list its meaning (`### Themes`
  over `- [[Aura Dark]]` says what the person made), and a template's headings are template
  text, which each judge discounts by its own policy.
- **Words** are runs of letters and digits, casefolded: markup and `_` split them, so
  `_emphasis_` and `**bold**` are the words a reader sees.
- **Shingles** are the runs of `SHINGLE` words of the whole prose, across block boundaries: a
  reader reads the page top to bottom, and a copied page keeps its order. Shingled one block at
  a time, every one-word table cell, list item and heading (`Yes`, `Themes`) would be a shingle
  of its own that says nothing about the page yet weighs as much as a sentence's (on the
  6,500-page community vault: 14 more duplicate-page pairs, among them a plugin's page and its
  vendor's, and a person's and their organisation's, for a shared list of links); with short
  blocks read with the next one instead, a page of a few short blocks keeps too few shingles to
  tell anything (16 pairs of one person's page written twice for two GitHub accounts, same name
  and same works, no longer found). The cost: text added or moved between two blocks changes
  the shingles across that seam, so a share can be lower than "every sentence is there" (a stub
  whose fuller twin adds a section between two of its paragraphs: 17 of its 19 shingles held);
  for the merge gate that errs toward not merging. Prose of fewer words is one shingle. Each
  shingle is kept as its hash: hashed once, not at every set operation; the sets live for one
  run of kbsleep, in which equal runs hash alike.

Read only when asked, not kept in the parse cache: a lint reads the prose of namesakes alone
(411 pages of the community vault, 14 ms), and consolidate, which reads every page's, is not run
on every commit; a cache column would cost every parse and every load for them.
"""

from __future__ import annotations

import re
from typing import Sequence

from kbsleep.wiki.page import Page
from kbsleep.wiki.wikilink import PATTERN, shown_match

SHINGLE = 3  # words a shingle
# Text found on more pages of a wiki than this is a template's fixed text, a disclaimer or a
# footer, not what any one page says (see the judges above for what each does with it).
COMMON_PAGES = 5

# What is not prose in a block's inline text, each replaced by the words it shows (`_shown`):
# comments, images and embeds, link targets, HTML tags and autolinks; a wikilink shows its
# display text, or else its target (`wikilink.PATTERN`, the one grammar, as the last
# alternative). Every alternative starts with one of five characters, so the search skips the
# words between them at C speed.
_MARKUP = re.compile(r"%%[\s\S]*?%%|<!--[\s\S]*?-->|!\[[^\]\n]*\]\([^)\n]*\)|\]\([^)\n]*\)|<[^>\n]*>|" + PATTERN)
# Bare URLs (those in links went with their targets), from a word's start only.
_URL = re.compile(r"\b[A-Za-z][\w+.-]*://\S+")
# A block id ends a line after a space (links before it are spaces by now); matched from its `^`.
_BLOCK_ID = re.compile(r"\^(?<=\s\^)[A-Za-z0-9-]+[ \t]*$", re.M)
_WORD = re.compile(r"[^\W_]+")


def words(page: Page) -> list[str]:
    """The words of the page's prose, casefolded, in reading order (see the module docstring)."""
    skip = page.generated_lines | {h.line for h in page.headings if h.level == 1}
    after = page.frontmatter_end
    text = "\n".join(["", *(block.text for block in page.blocks if block.line > after and block.line not in skip)])
    # One pass a kind of markup, each only when the text has some (most prose has no URL).
    if "[" in text or "<" in text or "%%" in text:
        text = _MARKUP.sub(_shown, text)
    if "://" in text:
        text = _URL.sub(" ", text)
    if "^" in text:
        text = _BLOCK_ID.sub(" ", text)
    return _WORD.findall(text.casefold())


def plain_words(text: str) -> list[str]:
    """The words of plain text (a sentence already read out of its Markdown), as `words` reads them."""
    return _WORD.findall(text.casefold())


def _shown(match: re.Match[str]) -> str:
    # A wikilink's words (an embed's are the embedded file's, not this page's), else nothing.
    # (A function: a template with group references is expanded in Python, at twice the cost.)
    return shown_match(" ", match) if match.group(2) is not None else " "


def shingles(words: Sequence[str]) -> set[int]:
    """The runs of `SHINGLE` words, each as its hash; fewer words make one shingle, none none."""
    if len(words) < SHINGLE:
        return {hash(tuple(words))} if words else set()
    return runs(words, SHINGLE)


def runs(words: Sequence[str], size: int) -> set[int]:
    """The runs of `size` words, hashed as shingles are: a page of fewer words than a shingle
    is in a page whose runs of that many words hold its one shingle."""
    return set(map(hash, zip(*(words[i:] for i in range(size)))))
