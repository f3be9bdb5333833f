"""Questions answered part by part, offline: a comparison, and a follow-up.

"What is the difference between a tag and a property?" is answered by what each is, one after
the other; unless the wiki says what both are, it is asked as it stands.

A follow-up is a question whose second part refers back to what its first part asks.

"Bigtable writes its memtables to which file system, and what chunk size does that file system
use?" asks a thing (which file system) and then something about that thing ("that file system").
The second part cannot be answered until the first is: its words are not on the page that
answers the first part, but on the page the first answer names. `ask` answers the first part,
then the second with the reference replaced by the page the first answer links to (the link
Obsidian opens, `linkpath.opens`), asked of that page only. A link counts when it is in the
answer's sentence that holds most of the first part's words, and says what the question does
not ("Obsidian Publish" in a question about Obsidian Publish is no answer to it).

A part refers back when it says "that", "this", "the same" or "such" (optionally "kind of",
"type of") before the noun the first part asks for with "which"/"what" ("which file system" ...
"that file system"), or "its" when the first part asks for a noun.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from kbsleep.search.question import compared
from kbsleep.search.blocks import split_block
from kbsleep.search.words import stem, tokenize
from kbsleep.wiki.linkpath import fold
from kbsleep.wiki.wikilink import shown, wikilinks

if TYPE_CHECKING:
    from kbsleep.search.index import Index

MAX_LINKED = 3  # the second part is tried on up to this many pages the first answer links to

# the first part asks for a thing by its noun: "to which file system", "what step removes ..."
_ASKS_NOUN = re.compile(r"\b(?:which|what)\s+((?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*)\s+(?:does|do|did|is|are|was|were|can|will|should|would|must|has|have|[a-z]+s)\b|\b(?:which|what)\s+((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)\s*$", re.I)
# where the second part starts: ", and what ...", "; how ...", "? How ..."
_SECOND = re.compile(r"(?:,\s*(?:and|but)\s+|;\s*(?:and\s+)?|\?\s+(?:and\s+)?)(?=(?:what|which|how|where|when|who|why|is|are|does|do|did|can|will)\b)", re.I)
_DEMONSTRATIVE = r"\b(?:that|this|the same|such(?: an?)?)\s+(?:(?:kind|type|sort) of\s+)?"
_PRONOUN = re.compile(r"\bits\b", re.I)  # ("it" is as often the first part's subject: "if it were created")


@dataclass(frozen=True)
class FollowUp:
    """A question in two parts whose second refers back to the first's answer."""

    first: str  # the first part, as a question of its own
    second: str  # the second part, as asked
    reference: str  # the words of `second` that stand for the first part's answer ("that file system", "its")
    noun: str  # what the first part asks for ("file system")

    def resolved(self, name: str) -> str:
        """The second part asking about `name` (the page the first answer names) instead."""
        start = self.second.casefold().find(self.reference.casefold())
        if self.reference.casefold() == "its":
            name = f"{name}'s"
        text = self.second[:start] + name + self.second[start + len(self.reference) :]
        return text[:1].upper() + text[1:]


def compared_parts(question: str, answer: Callable[[str, str | None], Any]) -> list[Any] | None:
    """The answers to what each of the two things a comparison names is (`question.compared`), or
    None unless both are answered. `answer` as for `followed`."""
    pair = compared(question)
    parts = [answer(f"What is {thing}?", None) for thing in pair] if pair is not None else []
    return parts if parts and all(part.found for part in parts) else None


def followed(index: Index, question: str, answer: Callable[[str, str | None], Any]) -> list[Any] | None:
    """The answers to the two parts of `question` when its second part refers back to the first's
    answer: the first part's, then the second's about a page the first answer links to
    (`linked_pages`), asked of that page only. `answer(part, page)` answers a part (of `page`
    only, unless None) with `ask`'s `Answer`. None unless both parts are answered, the second
    from the page linked."""
    parts = follow_up(question)
    first = answer(parts.first, None) if parts is not None else None
    if parts is None or first is None or not first.found:
        return None
    for path, title in linked_pages(index, parts.first, first.text, [(c.path, c.line) for c in first.citations], parts.noun):
        second = answer(parts.resolved(title), path)
        if second.found and any(c.path == path for c in second.citations):
            return [first, second]
    return None


def follow_up(question: str) -> FollowUp | None:
    """The two parts of `question` when its second part refers back to what the first asks."""
    for split in _SECOND.finditer(question):
        first, second = question[: split.start()].strip(), question[split.end() :].strip()
        asked = _ASKS_NOUN.search(first)
        if asked is None:
            continue
        noun = (asked.group(1) or asked.group(2)).strip()
        head = noun.split()[-1]
        # "that file system", "that kind of clock" ... the noun asked for, or its last word
        demonstrative = re.search(_DEMONSTRATIVE + r"((?:[a-z][\w-]*\s+){0,2}?" + re.escape(head) + r")\b", second, re.I)
        if demonstrative is not None:
            return FollowUp(_asked(first), second, demonstrative.group(0), noun)
        pronoun = _PRONOUN.search(second)
        if pronoun is not None:
            return FollowUp(_asked(first), second, pronoun.group(0), noun)
    return None


def _asked(part: str) -> str:
    """A first part as a question of its own."""
    return part.rstrip(" ,;?") + "?"


def linked_pages(index: Index, first: str, answer: str, cited: Sequence[tuple[str, int]], noun: str) -> list[tuple[str, str]]:
    """The pages (path, title) the answer to the `first` part names by a link: the links of its
    cited sections (page, first line), opened as Obsidian opens them from the citing page
    (`Index.locate`), that the answer's sentence holding most of the first part's words shows
    ("... we then run [[Non-Max Suppression]] to remove redundant predictions." for "what step
    removes redundant boxes?"), other than a link whose words the question already says (it
    names no answer); those naming the noun asked for first ("Google File System" for "which
    file system"), then in the answer's order."""
    asked = {stem(t) for t in tokenize(first)}
    said = max(split_block(answer.replace("\n", " ")), key=lambda s: len(asked & {stem(t) for t in tokenize(s)}), default="")
    said = fold(said)
    head = {stem(t) for t in tokenize(noun)}
    found: list[tuple[bool, int, str, str]] = []
    for page, line in cited:
        for hit in index.page_sections([page]):
            if hit.start != line:
                continue
            for link in wikilinks(hit.text):
                words = {stem(t) for t in tokenize(shown(link))}
                at = said.find(fold(shown(link))) if not link.embed and link.target and not words <= asked else -1
                opened = index.locate(link.target, page) if at >= 0 else None
                if opened is None or opened[0] == page or any(opened[0] == f[3] for f in found):
                    continue
                title = next((h.title for h in index.page_sections([opened[0]])), opened[0])
                found.append((not head & words, at, title, opened[0]))
    return [(path, title) for _, _, title, path in sorted(found)[:MAX_LINKED]]
