"""Which sections name the place a "where is it kept" question asks for, by a path.

"Where are my plugins stored?" is answered by "Plugins are located in the `.obsidian/plugins`
folder": the wiki says where with a path whose folder or file is named for the thing asked
about, and with a verb of its own ("located", not "stored"). BM25 ranks such a section below
every section that says "plugins" and "stores" (how a vault stores data, a plugin store), and
the vectors weigh its whole text; a path naming an asked word is the place itself, so those
sections are a ranking of their own for a place question (`retrieve`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from kbsleep.search.words import stem, tokenize

if TYPE_CHECKING:
    from kbsleep.search.index import Hit
    from kbsleep.search.question import Question

# a path as a wiki writes one: in a code span, with a folder separator (`.obsidian/plugins`,
# `~/.config/deck/index.db`, `%APPDATA%\Obsidian\`)
_PATH = re.compile(r"`([^`\s]*[/\\][^`\s]*)`")
_QUALIFIER = re.compile(r"\b(?:of|in|on|for|from|within|inside|across|under) (?:(?:my|your|our|their|its|the|a|an|this|that|each|every) )?[\w'-]+", re.I)
_SEPARATOR = re.compile(r"[/\\]")
_PART = re.compile(r"[^\W_]+")


def path_words(text: str) -> set[str]:
    """The stems of the words of the last folder or file of each path `text` writes: what the
    path is named for (`plugins` of `.obsidian/plugins`, `workspace` and `json` of
    `.obsidian/workspace.json`; not `vault` of `/vault/.obsidian/snippets/`, where it is kept)."""
    lasts = (_SEPARATOR.split(found.group(1).strip("/\\"))[-1] for found in _PATH.finditer(text))
    return {stem(part.casefold()) for last in lasts for part in _PART.findall(last)}


def names_place(question: Question, text: str) -> bool:
    """Whether `text` writes a path named for the thing the question asks the place of (`kept`)."""
    return bool(kept(question) & path_words(text))


def kept(question: Question) -> set[str]:
    """The stems of the words naming what a place question asks the place of: not a name (the
    `.obsidian` folder of every path in Obsidian's help names nothing asked in "Where does
    Obsidian keep ...?"), nor the words of a phrase that says whose it is or where ("the
    settings of my vault" asks where settings are kept, not a vault: `C:\\Vaults`)."""
    said = set(tokenize(_QUALIFIER.sub(" ", question.text)))
    return {stem(term) for term in question.terms if term in said} - {stem(word.casefold()) for word in question.named}


def place_sections(question: Question, hits: Iterable[Hit]) -> Sequence[int]:
    """The rows of `hits` (in their order) that name the place asked for by a path."""
    return [hit.id for hit in hits if names_place(question, hit.text)]
