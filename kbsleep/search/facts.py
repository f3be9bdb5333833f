"""Facts (`Key: value` lines) as answers: which keys name who did something, which say what a
thing is, and a fact that states the relation a question asks about the thing it names, on
another page ("Designed by: kepano" on Minimal's page for "Which themes did kepano design?")."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from kbsleep.search.blocks import plain
from kbsleep.search.units import Unit
from kbsleep.search.words import stem, tokenize

MAX_FACTS = 8  # the same fact on this many pages, at most
# The keys of facts that name who did or does something
AGENT_KEY = re.compile(r"\b(by|authors?|creators?|developers?|maintainers?|owners?|founders?|directors?|leads?|leaders?|designers?|editors?"
                       r"|managers?|master|captain|chair|head|president|contacts?|supervisors?|members?|team|people|staff)\b", re.I)
AGENT = 1.5  # ... count this much more for a "who" question
DESCRIBES = re.compile(r"^\W*(?:description|summary|definition|about|type|kind|category|what it is)\s*:", re.I)  # facts that say what a thing is
# The frontmatter keys that file a page under what it belongs to ("domain: cisco-ios-xe",
# "tags: [kubernetes]"): the page is about that, whether or not its text says the name again
FILED_UNDER = frozenset("domain domains tags tag category categories topic topics subject subjects area product products platform platforms vendor".split())
RELATION = 1.5  # a fact that links the thing the question names by the relation it asks counts this much more


def relates(fact: str, weights: Mapping[str, float], place: str) -> bool:
    """Whether a `Key: value` fact holds a word of the question in its key and, in its value,
    another that is not the name of the page it is on ("Designed by: kepano" on Minimal's page
    for "Which themes did kepano design?", not "Plugin ID: obsidian-git" on obsidian-git's): it
    states the relation the question asks, with the thing the question names."""
    key, _, value = fact.partition(":")
    in_key = {stem(t) for t in tokenize(key)} & weights.keys()
    in_value = {stem(t) for t in tokenize(value)} & weights.keys()
    return bool(in_key and in_value - in_key - {stem(t) for t in tokenize(place)})


def fact_key(unit: Unit, howto: bool = False) -> str | None:
    """The key of a fact: a `Key: value` line's key(s), or the first cell of a row of a two-column
    table ("| Hit Dice | 1d6 |" under "| Attribute | Value |": an infobox written as a table, its
    rows facts as the lines of a frontmatter are); None for any other unit. For a how-to
    (`howto`) a row is no fact: "| `{{date}}` | Today's date |" names the date, it says no way to
    format one."""
    if unit.kind == "field":
        return " ".join(pair.partition(":")[0] for pair in unit.text.split(" | "))
    if unit.kind == "row" and not howto and unit.lead.count(" | ") == 1 and ": " in unit.text:
        return unit.text.partition(": ")[0]
    return None


def same_facts(best: Unit, found: Sequence[Unit]) -> list[Unit]:
    """For a question that asks for several things: the same fact on other pages ("Designed by:
    kepano" on Minimal and on Flexoki), each once, best first."""
    same = [u for u in found if u.kind == "field" and u is not best and u.text.casefold() == best.text.casefold() and u.source.partition("#")[0] != best.source.partition("#")[0]]
    return [best, *dict.fromkeys(same)][:MAX_FACTS]


_PRONOUN = re.compile(r"(?:he|she)\b", re.I)  # a page about a person goes on about "her", "him"


def subject_note(chosen: Sequence[Unit], names: Mapping[str, str]) -> str:
    """A "who" answer that is one note on a page and does not name the page's subject ("- Father
    of [[Pipe Ashford]]" on *Roderick Ashford*), or that opens with "He" or "She" ("She assembled
    a consortium ..." on *Mara Ilves*), said with its subject: "Roderick Ashford: Father of Pipe
    Ashford"; "" for any other answer. `names`: page name -> the title it is quoted with."""
    if len(chosen) != 1 or not (chosen[0].kind == "item" or _PRONOUN.match(chosen[0].text)):
        return ""
    page = chosen[0].source.partition("#")[0]
    name = plain(names.get(page, page))
    return "" if set(tokenize(name)) <= set(tokenize(chosen[0].text)) else f"{name}: {chosen[0].text}"


def filed_under(pages: set[str], found: Sequence[Unit]) -> set[str]:
    """The words (stemmed) of the frontmatter facts (`FILED_UNDER`) that file `pages` under a
    domain, a product or a tag: the Spanning Tree page of a wiki on several vendors' systems,
    filed under "domain: cisco-ios-xe", answers a question that names Cisco."""
    return {
        stem(t)
        for u in found
        if u.kind == "field" and u.block == 1 and u.source in pages and u.text.partition(":")[0].strip().casefold() in FILED_UNDER
        for t in tokenize(u.text.partition(":")[2])
    }  # fmt: skip
