"""An offline answer's text from the units it quotes."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

from kbsleep.search.blocks import plain
from kbsleep.search.facts import DESCRIBES
from kbsleep.search.units import Unit, asks
from kbsleep.search.words import stem, tokenize

_ENDS = (".", "!", "?", ":", "`", "$", "。", "！", "？", "：")  # a text ending so needs no full stop
_REPLY = re.compile(r"^(?:yes|no)\b[.,!;]", re.I)  # "No. Obsidian is free to use ...": the reply to the question before it


def render(chosen: Sequence[Unit], names: Mapping[str, str], one_line: bool = False, asked: Collection[str] = ()) -> str:
    """The answer's text: sentences joined, steps numbered and items dashed one a line, a fact
    named by its page's subject (`names`: page name -> the title it is quoted with). `one_line`:
    as a paragraph written into a page, steps numbered in the text and items joined by ";". An
    FAQ's reply ("No. ...") is quoted with its question, unless that is the question `asked` (its
    words, stemmed)."""
    parts = []
    for at, unit in enumerate(chosen):
        text = unit.text
        if unit.kind == "item" and one_line:
            last = at + 1 == len(chosen) or chosen[at + 1].kind != "item" or chosen[at + 1].block != unit.block
            text = text.rstrip(".;,") + ("." if last else ";")
        elif unit.kind in ("step", "item") and _alone(unit, chosen):  # a sentence: "1." would not be its number on the page, "- " lists nothing
            text = text if text.endswith(_ENDS) else text + "."
        elif unit.kind in ("step", "item"):
            # nested steps are numbered among themselves, and indented under their item ("6. Select
            # the snapshot" then "    1. ... Copy", "    2. ... Restore"), as Obsidian shows them
            number = sum(1 for u in chosen if u.block == unit.block and u.kind == "step" and u.parent == unit.parent and u.order <= unit.order)
            text = f"{number}. {text}" if unit.kind == "step" else f"- {text}"
            text = f"    {text}" if not one_line and any(u.order == unit.parent and u.source == unit.source for u in chosen) else text
        elif unit.kind == "code":
            text = f"`{text}`"  # a line of a code block, as code
        elif unit.kind in ("sentence", "row", "field"):
            introduces = at + 1 < len(chosen) and chosen[at + 1].kind in ("step", "item") and chosen[at + 1].lead == unit.text
            if text.endswith((",", ";")):  # "Given the training data $D$," before its steps: a colon, not ",:"
                text = text.rstrip(",;") + (":" if introduces else ".")
            text = text if text.endswith(_ENDS) else text + (":" if introduces else ".")  # "**Mobile**" then its steps
            if _REPLY.match(text) and asks(unit.lead) and not _same(unit.lead, asked) and not any(u.lead == unit.lead for u in chosen[:at]):
                text = f"{plain(unit.lead)} {text}"  # an FAQ's "No." answers its own question, quoted with it
            page = unit.source.partition("#")[0]
            if unit.kind == "field" and not (at and chosen[at - 1].kind == "field" and chosen[at - 1].source.partition("#")[0] == page):
                said = DESCRIBES.match(text)  # "Cobalt: Compiler and data pipeline ...", not "Cobalt, summary: ..."
                text = f"{plain(names.get(page, page))}: {text[said.end():].strip()}" if said else f"{plain(names.get(page, page))}, {text[:1].lower() if not text[1:2].isupper() else text[:1]}{text[1:]}"  # a fact names its page's subject (once)
        parts.append(text)
    listed = any(u.kind in ("step", "item") and not _alone(u, chosen) for u in chosen)
    return " ".join(parts) if one_line or not listed else "\n".join(parts)


def _alone(unit: Unit, chosen: Sequence[Unit]) -> bool:
    """Whether a step or an item is quoted without its list: no other unit of its list, nor its
    lead, nor one nested under it (and, for an item, no other item at all). A step alone is no
    step "1." of anything; an item alone is a statement, not a list of one."""
    return not any(u is not unit and (u.source == unit.source and (u.block == unit.block or u.text == unit.lead or u.parent == unit.order)
                                      or unit.kind == "item" and u.kind == "item") for u in chosen)  # fmt: skip


def _same(question: str, asked: Collection[str]) -> bool:
    """Whether the words of `question` (an FAQ's) are, but for one in four, words of the question `asked`."""
    words = {stem(t) for t in tokenize(question)}
    return bool(words) and len(words & set(asked)) >= 0.75 * len(words)
