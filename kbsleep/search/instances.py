"""A "which <kind>" question asks for a thing of that kind by name: "Which plugin shows a calendar
of my daily notes?" is answered by the *Calendar* plugin's page, whose sentence "Calendar view of
your daily notes." does not say its name. When the answer is quoted from one page filed under a
folder of that kind (`Plugins/`, `Themes/`, `projects/`), the answer opens with the page's title.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kbsleep.search.question import Question
from kbsleep.search.words import singular

# "Which plugin ...?", "What theme ...?": the word after it is the kind asked, unless it is a verb
_WHICH = re.compile(r"^\W*(?:which|what)\s+(?!(?:is|are|was|were|does|do|did|has|have|can|could|should|will|would|kind|sort|type)\b)([a-z][a-z-]*)\b", re.I)
_WORD = re.compile(r"[A-Za-z]+")


def kind_asked(question: Question) -> str | None:
    """The kind of thing a "which <kind>" question asks for ("plugin"), singular."""
    found = _WHICH.match(question.text)
    return singular(found.group(1)) if found and found.group(1).islower() else None  # ("Which Obsidian installer ...?": a name)


def named_answer(question: Question, text: str, pages: Sequence[tuple[str, str]]) -> str:
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
