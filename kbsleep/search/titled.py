"""An answer that is what a page is, said with the page's name.

A note opens by saying what its subject is without naming it: *Love Canal* opens "A reservoir
of chemical waste that was covered with landfill and repurposed as a school", *Abraham Ortelius*
"A flemish cartographer who realized ...". A question that describes such a thing and asks which
one it is ("Which mapmaker first noticed ...?", "Where was a chemical dump turned into a
school?") is answered by the page's name, so the answer leads with it: "Love Canal: A reservoir
of ...". A question naming the page already knows the name, and one asking for a measure or a
date asks something else.

A "which <kind>" question ("Which plugin shows a calendar of my daily notes?") asks for a thing
of that kind by name too: when the answer is one paragraph of one page filed under a folder of
that kind (`Plugins/`, `Themes/`, `projects/`), it leads with the page's title though it says
the name in passing ("Calendar: Calendar view of your daily notes."), unless it opens by saying
what the page is ("Dataview is a plugin ..."): `filed_under_kind`, from the pages' paths.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from kbsleep.search.blocks import plain
from kbsleep.search.question import Question
from kbsleep.search.units import Unit
from kbsleep.search.words import singular, stem, tokenize

_ASKS_WHICH = frozenset({"which", "what", "where", "who"})


def _stems(text: str) -> set[str]:
    return {stem(t) for t in tokenize(text)}


def _says(text: str, name: str) -> bool:
    """Whether `text` writes `name`, its words together ("Glacier Lake" is not in "a lake ... by a glacier")."""
    return f" {' '.join(tokenize(name))} " in f" {' '.join(tokenize(text))} "


def opening(unit: Unit, found: Sequence[Unit] = ()) -> bool:
    """Whether `unit` is the sentence a page opens with, before any heading and after its
    frontmatter's facts (`found`: the units it is among; an LLM wiki's page opens with
    `type: outcome`, `sources: [...]`, then "Beta outcome that displays ...")."""
    if unit.kind != "sentence" or "#" in unit.source:
        return False
    return unit.order == 0 or all(u.kind == "field" for u in found if u.source == unit.source and u.order < unit.order) and any(u is unit for u in found)


def titled(question: Question, chosen: Sequence[Unit], text: str, names: Mapping[str, str], about: str | None, found: Sequence[Unit] = ()) -> str:
    """`text`, led by its page's title when it is a page's opening sentence that does not name the
    page, and the question asks which thing it is without naming that page (`about`: the page it
    names; `names`: page name -> the title it is quoted with)."""
    if question.kind not in _ASKS_WHICH or question.form is not None or not chosen or not opening(chosen[0], found):
        return text
    page = chosen[0].source
    title = plain(names.get(page, page)).strip()
    if page == about or not tokenize(title) or _says(question.text, title) or _says(text, title):
        return text
    if question.subject and _stems(question.subject) <= _stems(text):
        return text  # "A vault is a folder ..." says what "What is a vault?" asks, naming it
    return f"{title}: {text}"


# "Which plugin ...?", "What theme ...?": the word after it is the kind asked, unless it is a verb
_WHICH = re.compile(r"^\W*(?:which|what)\s+(?!(?:is|are|was|were|does|do|did|has|have|can|could|should|will|would|kind|sort|type)\b)([a-z][a-z-]*)\b", re.I)
_WORD = re.compile(r"[A-Za-z]+")


def kind_asked(question: Question) -> str | None:
    """The kind of thing a "which <kind>" question asks for ("plugin"), singular."""
    found = _WHICH.match(question.text)
    return singular(found.group(1)) if found and found.group(1).islower() else None  # ("Which Obsidian installer ...?": a name)


def filed_under_kind(question: Question, text: str, pages: Sequence[tuple[str, str]]) -> str:
    """`text` opened with its page's title, when the question asks which thing of a kind and
    the answer, one paragraph from one page (`pages`: (path, title) of each source), is filed
    under that kind, unless it opens by saying what the page is."""
    kind = kind_asked(question)
    if kind is None or len({path for path, _ in pages}) != 1 or "\n" in text:
        return text  # (a list names things of its own)
    path, title = pages[0]
    folders = {singular(word.casefold()) for folder in path.split("/")[:-1] for word in _WORD.findall(folder)}
    if kind not in folders or re.match(rf"(?:the\s+)?{re.escape(title)}(?:\s+(?:is|are|was|were)\b|\s*[:,(])", text, re.I):
        return text  # "Dataview is a plugin that ...": named as it is said
    return f"{title}: {text}"
