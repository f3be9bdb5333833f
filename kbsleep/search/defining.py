"""What says what a thing is: the sentence that defines a definition question's subject ("LaTeX
is a typesetting system", "Hierarchical Sequential Transduction Units (HSTU) is ..."), and
whether that subject names a page (by its name, its title, with its kind, or as its acronym)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kbsleep.search.words import stem, tokenize

if TYPE_CHECKING:
    from kbsleep.search.units import Unit

# the kind of thing a name is, said after it: "the Templater plugin", "the vanishing gradient problem"
_KINDS = frozenset(stem(w) for w in "plugin theme snippet app tool feature command extension service problem method algorithm technique law principle effect theorem protocol".split())


def names_page(subject: str, page: str | None, title: str | None = None) -> bool:
    """Whether a definition question's subject is the page's name or title ("the graph view" for
    "Graph view"), that with the kind of thing it is ("the Templater plugin" for "Templater"), or
    its acronym ("CPU" for "Central Processing Unit")."""
    said = [stem(w) for w in tokenize(subject)]
    for name in {page, title} - {None}:
        if len(said) == 1 and len(subject.strip()) > 1 and "".join(w[0] for w in re.findall(r"[A-Za-z][\w'-]*", name or "")).casefold() == subject.strip().casefold():
            return True  # an acronym of the name: "CPU" for *Central Processing Unit*
        named = [stem(w) for w in tokenize(name or "")]
        if named and (said == named or (said[: len(named)] == named and len(said) == len(named) + 1 and said[-1] in _KINDS)):
            return True
    return False


def definition(subject: str) -> re.Pattern[str] | None:
    """A sentence that defines `subject`: the subject first, then "is", "are", "refers to" ..."""
    words = subject.split()
    if not words:
        return None
    # the last word singular or plural: "Bases is a core plugin ..." defines "a base"
    name = r"[\s\W]+".join([*(re.escape(w) for w in words[:-1]), number(words[-1])])
    # "Canvas is a core plugin", "Properties allow you to ...", "Obsidian Web Clipper is ..." for
    # "web clipper"; never "Callouts are also supported ..." or "The Markdown is being processed ..."
    copula = r"(?:is|are|was|were)\b(?!\s+(?:being|not|also|now|only|still|currently|\w+ed|shown|known|written|built|kept|made|seen|hidden|given|found|sent|set|run)\b)"
    # a capitalised word before a capitalised name is the brand ("Obsidian Web Clipper"); before a
    # common noun it makes another thing: "Random note is ..." and "Daily notes are ..." define
    # neither "a note" nor "notes", "Outgoing links is ..." never "a link"
    # ... or the name spelled out before it: "Hierarchical Sequential Transduction Units (HSTU) is ..."
    named = rf"(?:(?:the |an? )?(?-i:[A-Z]\w+ (?=[A-Z]))?{name}[^\w（(]*(?:[（(][^)）]*[)）]\s*)?|[\w ,'-]{{3,120}}?\(\s*{name}\s*\)\s*)"
    # (and "是", in a wiki written in Chinese: "HSTU（Hierarchical Sequential Transduction Unit）是 ...")
    return re.compile(rf"^\W*{named}(?:{copula}|是|refers to\b|means\b|stands for\b|lets?\b|allows?\b|helps?\b|enables?\b)", re.I)


def number(word: str) -> str:
    """A pattern for `word` in the singular or the plural ("base" -> base(?:s|es)?)."""
    stem_ = word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
    return rf"{re.escape(stem_)}(?:s|es)?"


def headed(found: Sequence[Unit], subject: str) -> set[Unit]:
    """The first sentence or item of each section whose heading names `subject` (notes written
    as "## Zipf's law" then "The product of a word's frequency and its rank is constant")."""
    firsts: dict[str, Unit] = {}
    for unit in found:
        if unit.kind in ("sentence", "item"):
            firsts.setdefault(unit.source, unit)
    return {unit for source, unit in firsts.items() if "#" in source and names_page(subject, source.partition("#")[2])}
