"""The answer cache's format: the precomputed Q&A section `anticipate` writes into a page.

It is plain Markdown, readable in Obsidian and on GitHub, between fence comments:

    <!-- kbsleep:anticipate v=1 source=3f2a9c... body=81be07... model=claude-haiku-4-5 date=2026-11-26 -->
    ## Anticipated questions

    **Who maintains the Cobalt compiler?**
    Dev Arunachalam has maintained Cobalt since 2021. [[Cobalt#Maintainers]]

    **What licence does Cobalt use?**
    The Apache 2.0 licence. [[Cobalt#Licensing]]
    <!-- /kbsleep:anticipate -->

`source` is `fences.source_hash` of the page outside every fence when it was written: a page
edited since makes the answers stale. `body` is the hash of the lines between the fence
comments as written, so a hand edit inside the fence is detected (and kept unless `--force`).

Where the section lives is `anticipate.store`: in the page itself ("page"), or ("sidecar") in a
file of its own, at the page's path under `anticipate.sidecar-folder`, so that a vault written
by hand gets the answer cache without a byte of its pages changing. A sidecar is no page: the
wiki lists it apart (`Wiki.sidecars`), lint judges only the page (`stale-generated` compares
the sidecar's `source` with the page), and `ask` indexes its answers as the page's. `holder`
and `of` are the one place that knows which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Mapping

from kbsleep.wiki.fences import body_hash, digest_lines, replace_section, source_hash
from kbsleep.wiki.page import Fence, Page, split_lines
from kbsleep.wiki.wikilink import code_spans, wikilinks

if TYPE_CHECKING:
    from kbsleep.wiki import Wiki

FENCE = "anticipate"
VERSION = "1"
HEADING = "## Anticipated questions"
_QUESTION = re.compile(r"^\*\*(.+\?)\*\*\s*$")


@dataclass(frozen=True)
class QA:
    question: str
    answer: str  # one paragraph of Markdown, citations included
    citations: tuple[str, ...] = ()  # "Page#Section" targets, as written

    @property
    def text(self) -> str:
        return f"**{self.question}**\n{self.answer}"


@dataclass(frozen=True)
class Cached:
    """The answers a page holds, and whether they are still valid."""

    page: str
    fence: Fence
    qas: tuple[QA, ...]
    fresh: bool  # the page outside the fence is unchanged since the answers were written
    hand_edited: bool  # the text inside the fence differs from what kbsleep wrote


# Dataview reads an inline field, `key:: value` or `[key:: value]`, anywhere in a page's text (its
# docs, "Adding Metadata"): an answer quoting `wake-up:: 06:31` would give its page a second
# `wake-up`, and every query would read a list where the page holds one time. What the section
# quotes is said, not set: outside code, `::` before a blank or a line's end is written `:`.
_FIELD_MARK = re.compile(r"(?<=[^\s:])::(?=[ \t]|$)", re.MULTILINE)


def said_not_set(text: str) -> str:
    """`text` with no Dataview inline field left outside code spans ("wake-up:: 06:31" ->
    "wake-up: 06:31"); `std::vector` and `` `a:: b` `` as they are."""
    if "::" not in text:
        return text
    out: list[str] = []
    for line in text.split("\n"):
        pieces: list[str] = []
        pos = 0
        for start, end in code_spans(line):
            pieces += [_FIELD_MARK.sub(":", line[pos:start]), line[start:end]]
            pos = end
        out.append("".join([*pieces, _FIELD_MARK.sub(":", line[pos:])]))
    return "\n".join(out)


def render(qas: Iterable[QA], attrs: Mapping[str, str]) -> str:
    """The whole fenced block, ready to insert; `attrs` must include `source`; `body` is added.
    No Dataview field is written (`said_not_set`)."""
    body = said_not_set("\n\n".join(qa.text for qa in qas))
    inner = f"{HEADING}\n\n{body}"
    digest = digest_lines(split_lines(inner))
    fields = {"v": VERSION, **attrs, "body": digest}
    opening = " ".join(f"{k}={_quote(v)}" for k, v in fields.items())
    return f"<!-- kbsleep:{FENCE} {opening} -->\n{inner}\n<!-- /kbsleep:{FENCE} -->\n"


def parse(page: Page, holder: Page | None = None) -> Cached | None:
    """The page's anticipated answers, kept in `holder` (default: the page itself), or None
    when that has no anticipate fence. They are fresh while `page` is as it was when written."""
    held = page if holder is None else holder
    fence = next((f for f in held.fences if f.name == FENCE), None)
    if fence is None:
        return None
    lines = held.lines[fence.start : fence.end - 1]
    return Cached(
        page=page.path,
        fence=fence,
        qas=tuple(parse_body(lines)),
        fresh=fence.attrs.get("source") == source_hash(page),
        hand_edited=fence.attrs.get("body") not in (None, body_hash(held, fence)),
    )


def holder(wiki: Wiki, page: Page) -> tuple[str, Page | None]:
    """Where `page`'s answers are kept: the path, and the file there as the wiki read it (None
    for a sidecar not written yet)."""
    config = wiki.config.anticipate
    if config.store == "sidecar":
        path = config.sidecar(page.path)
        return path, wiki.sidecars.get(path)
    return page.path, page


def of(wiki: Wiki, page: Page) -> Cached | None:
    """`page`'s anticipated answers, wherever `anticipate.store` keeps them."""
    _, held = holder(wiki, page)
    return None if held is None else parse(page, held)


def parse_body(lines: list[str]) -> Iterable[QA]:
    """Q&A pairs: a `**question?**` line, then the answer's lines up to a blank line."""
    question: str | None = None
    answer: list[str] = []
    for line in [*lines, ""]:
        stripped = line.strip()
        match = _QUESTION.match(stripped)
        if match or not stripped:
            if question and answer:
                text = " ".join(answer)
                code = code_spans(text)  # a link in a code span is an example, no citation
                yield QA(question, text, tuple(link.reference for link in wikilinks(text) if link.reference and not any(a < link.start < b for a, b in code)))
            question, answer = (match.group(1) if match else None), []
        elif question is not None:
            answer.append(stripped)


def replace(text: str, block: str, fence: Fence | None = None) -> str:
    """`text` with its anticipate section replaced by `block` (`fences.replace_section`)."""
    return replace_section(text, block, FENCE, fence)


def _quote(value: str) -> str:
    return f'"{value}"' if any(c.isspace() for c in value) or not value else value


def in_pages_note(wiki: Wiki, written: int) -> str:
    """After answers were written into `written` pages of a vault written by hand (no index or
    log page) that never chose where they live: how to keep them out of its pages; else ""."""
    from kbsleep.passes.consolidate.asked import llm_wiki

    config = wiki.config
    if not written or config.anticipate.store != "page" or "anticipate.store" in config.given or llm_wiki(wiki):
        return ""
    return (f"note: the precomputed answers went into {written:,} of your pages; to keep them in files of their own instead "
            f"(pages untouched), run `kbsleep undo`, set store = \"sidecar\" under [anticipate] in kbsleep.toml "
            f"(`kbsleep init` does it for a vault written by hand), and run again")  # fmt: skip
