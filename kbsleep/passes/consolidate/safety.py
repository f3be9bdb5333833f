"""Checks every rewrite passes before it is written: nothing of the input silently lost.

A rewrite (a merged page, a page with a folded note, a resolved claim) is compared with the
text(s) it came from. It is rejected, with the reasons, when its frontmatter no longer parses
(a problem the input already had is not the rewrite's),
when a wikilink, Markdown link, embed, heading, number or date of the input is missing from the
output (a merge may move them, not drop them), or when it is much shorter than its input.
Model output is data: the paths a task may write are fixed before the model is asked (a model
may only *choose* among existing pages), and `safe_relpath` is the last gate on every path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Mapping, Sequence
from urllib.parse import unquote

from kbsleep.passes.modeltext import added_markup
from kbsleep.wiki.parse import parse_page
from kbsleep.wiki.page import Page
from kbsleep.wiki.resolve import fold, fold_heading

DATE = re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")
NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")
URL = re.compile(r"<?\b(?:https?|ftp|mailto):[^\s<>()\[\]]+")  # external links are not in Page.links


@dataclass(frozen=True)
class Inventory:
    """What a text holds that a rewrite must keep."""

    links: frozenset[tuple[str, str]]  # (kind, folded target)
    headings: frozenset[str]
    numbers: frozenset[str]
    dates: frozenset[str]
    size: int  # characters of the body (outside frontmatter)


def parse(path: str, text: str) -> Page:
    return parse_page(path, text.encode("utf-8"))


def body(page: Page) -> str:
    return "\n".join(page.lines[page.frontmatter_end :])


def inventory(page: Page, rename: Mapping[str, str] | None = None) -> Inventory:
    """The links (with `rename` applied to their folded targets), headings, numbers and dates."""
    rename = rename or {}
    links = set()
    for link in page.links:
        target = link.target
        if link.kind == "markdown":
            target = unquote(PurePosixPath(target).name)
            target = target[:-3] if target.lower().endswith(".md") else target
        key = fold(target)
        links.add((link.kind, rename.get(key, key)))
    text = body(page)
    links.update(("url", url.lstrip("<").rstrip(".,;:>")) for url in URL.findall(text))
    return Inventory(
        links=frozenset(links),
        headings=frozenset(fold_heading(h.text) for h in page.headings),
        numbers=frozenset(NUMBER.findall(text)),
        dates=frozenset(DATE.findall(text)),
        size=len(text.strip()),
    )


_BRACKETED = re.compile(r"\s*(?:\([^()]*\)|\[[^\[\]]*\])")


def heading_core(text: str) -> str:
    """A heading as compared for near-identity: without its bracketed asides, folded ("Campaign Arc
    (Scenes 1-20)" and "Campaign arc" are alike); the whole heading when that leaves nothing."""
    return fold_heading(_BRACKETED.sub(" ", text)) or fold_heading(text)


def twins(one: str, other: str) -> bool:
    """Whether two headings are one said alike: the same less a bracketed aside that one of them
    has ("Campaign Arc" and "Campaign Arc (Scenes 1-20)"); two asides ("Setup (macOS)", "Setup
    (Windows)") name two things."""
    bare = fold_heading(one) == heading_core(one) or fold_heading(other) == heading_core(other)
    return bare and heading_core(one) == heading_core(other)


def problems(path: str, sources: Sequence[str], new_text: str, *, max_shrink: float, rename: Mapping[str, str] | None = None, check_links: bool = True, may_drop: frozenset[str] = frozenset(), max_bytes: int | None = None, ours: Sequence[str] = ()) -> list[str]:
    """Why `new_text` may not replace the text(s) of `sources`; empty when it may. `ours`: text
    kbsleep itself adds (a callout and its fence), whose markup is not the model's."""
    new = parse(path, new_text)
    olds = [parse(path, text) for text in sources]
    had = {p.message for old in olds for p in old.problems if p.code == "frontmatter-invalid"}  # not this rewrite's doing
    found = [f"frontmatter no longer parses: {p.message}" for p in new.problems if p.code == "frontmatter-invalid" and p.message not in had]
    after = inventory(new)
    before = [inventory(old, rename) for old in olds]
    if check_links:
        lost = sorted({t for inv in before for kind, t in inv.links if (kind, t) not in after.links})
        found += [f"loses the link `{t}`" for t in lost[:5]]
    # a heading folded into one the page keeps, the same less a bracketed aside ("Campaign Arc" into "Campaign Arc
    # (Scenes 1-20)"), is not lost: what its section said is said under the other (`merge_text`); its numbers are checked below
    kept = [h.text for h in new.headings]
    folded = {fold_heading(h.text) for old in olds for h in old.headings if any(twins(h.text, other) for other in kept)}
    found += [f"loses the heading `{h}`" for h in sorted(set().union(*(inv.headings for inv in before)) - after.headings - folded)[:5]]
    found += [f"loses the date {d}" for d in sorted(set().union(*(inv.dates for inv in before)) - after.dates - may_drop)[:5]]
    found += [f"loses the number {n}" for n in sorted(set().union(*(inv.numbers for inv in before)) - after.numbers - may_drop)[:5]]
    total = max((inv.size for inv in before), default=0)  # a merge of overlapping pages is shorter than their sum
    if total and after.size < (1.0 - max_shrink) * total:
        found.append(f"shrinks the text from {total} to {after.size} characters (limit: {max_shrink:.0%} shorter)")
    # A rewrite moves what its inputs hold: it never grows far past them, nor brings new markup
    # (a fence, comment or `%%` that hides the rest of the page from lint, a tag, a control byte).
    whole = sum(inv.size for inv in before)
    if after.size > GROWTH * whole + GROWTH_SLACK:
        found.append(f"grows the text from {whole} to {after.size} characters")
    if max_bytes is not None and len(new_text.encode("utf-8")) > max_bytes:
        found.append(f"would exceed max-page-bytes ({max_bytes:,} bytes)")
    found += added_markup([*sources, *ours], new_text)
    return found


GROWTH, GROWTH_SLACK = 1.25, 2000  # how much longer a rewrite may be than all its inputs together


def safe_relpath(path: str) -> bool:
    """A wiki-relative page path that cannot leave the root or touch git/kbsleep state."""
    pure = PurePosixPath(path)
    return bool(path) and not pure.is_absolute() and ".." not in pure.parts and "\\" not in path and "\0" not in path and pure.parts[0] not in (".git", ".kbsleep")
