"""The setting a question names ("in Keycloak", "on Windows", "with Cisco IOS XE", "using
PowerShell"), and the retrieved pages about it.

A question that sets what it asks in a thing the wiki knows is answered from a page about that
thing, not from a page about another product that shares its other words: "How do I reset a
user's password in Keycloak?" on a wiki of several products is answered by the Keycloak page on
managing users' credentials, not by the Active Directory page on resetting the KRBTGT password.
A page is about the setting when a retrieved section of it names it (in its text, its title, its
headings, its path) or its frontmatter files it under it (`facts.FILED_UNDER`: "domain:
keycloak"). A name most pages hold ("in Obsidian" on Obsidian's help) sets nothing apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from kbsleep.llm.passage import Passage
from kbsleep.search.blocks import visible
from kbsleep.search.facts import filed_under
from kbsleep.search.question import Question
from kbsleep.search.units import Unit, units
from kbsleep.search.words import stem, tokenize

if TYPE_CHECKING:
    from kbsleep.search.index import Hit, Index

# (not after "my", "your": "on my PC" is the asker's own machine, whatever the wiki calls it)
SETTING = re.compile(r"\b(?:on|in|under|inside|within|with|using|via)\s+(?:(?:an?|the)\s+)?([\w.+-]+)", re.I)
# A setting name counts when its idf is at least this (as `rarity.idf` gives it: in under about
# three pages of five). "Keycloak", on half the pages of a wiki on nine products, is 0.7;
# "Obsidian" on Obsidian's help, 0.15.
DISTINCT = 0.5
OFF_SETTING = 0.5  # a unit on a retrieved page not about the setting, when another page is, keeps this share of its score


def setting_names(question: Question) -> list[str]:
    """The names the question sets what it asks in, as written (casefolded): "keycloak" in "How
    do I reset a user's password in Keycloak?"."""
    named = set(question.named)
    return list(dict.fromkeys(w for found in SETTING.finditer(question.text) if (w := found.group(1).casefold()) in named))


def setting_words(question: Question) -> list[str]:
    """The names of the settings the question names, each with the names written after it ("cisco",
    "ios", "xe" in "... with Cisco IOS XE?"; "active", "directory" in "... in Active Directory?")."""
    named = set(question.named)
    words: list[str] = []
    for found in SETTING.finditer(question.text):
        for word in question.text[found.start(1) :].split():
            if (word := word.strip("?!.,;:()\"'").casefold()) not in named:
                break
            words.append(word)
    return list(dict.fromkeys(words))


def filed(index: Index, question: Question, chosen: Sequence[Hit]) -> dict[str, frozenset[str]]:
    """For a question set in a named thing: page name -> the words the frontmatter of each page
    of `chosen` (retrieved sections) files it under, read from the page's opening section in the
    index when retrieval did not choose it; {} for a question that names no setting."""
    if not setting_names(question):
        return {}
    unopened = sorted({hit.page for hit in chosen} - {hit.page for hit in chosen if not hit.heading})
    return filed_pages([Passage(hit.target, hit.text) for hit in index.page_sections(unopened) if not hit.heading])


def filed_pages(passages: Sequence[Passage]) -> dict[str, frozenset[str]]:
    """Page name -> the words (stemmed) its frontmatter files it under (`facts.filed_under`), from
    the passages of pages' opening sections (their frontmatter's facts)."""
    found = [u for p in passages for u in units(p.source, visible(p.text))]
    pages = {p.source.partition("#")[0] for p in passages}
    return {page: frozenset(filed_under({page}, found)) for page in pages}


def off_setting(question: Question, weights: Mapping[str, float], found: Sequence[Unit], titles: Mapping[str, str],
                filed: Mapping[str, frozenset[str]]) -> frozenset[str]:  # fmt: skip
    """The retrieved pages (names) that hold fewer of the question's setting names than another
    retrieved page does: none when the question names no setting, when its names are common to
    most pages (`DISTINCT`; `weights` are 1 + idf by stem), or when no page holds one.
    `titles`: passage id -> its place's words; `filed`: page name -> the words its frontmatter
    files it under, for pages whose opening section was not retrieved."""
    names = {s for name in setting_words(question) if weights.get(s := stem(name), 0.0) >= 1.0 + DISTINCT}
    if not names:
        return frozenset()
    held: dict[str, set[str]] = {}
    for unit in found:
        page = unit.source.partition("#")[0]
        words = {stem(t) for t in tokenize(f"{page} {unit.text} {unit.lead} {titles.get(unit.source, unit.source.replace('#', ' '))}")}
        held.setdefault(page, set()).update(words & names)
    for page, words in held.items():
        words |= (filed_under({page}, found) | filed.get(page, frozenset())) & names
    most = max((len(words) for words in held.values()), default=0)
    return frozenset(page for page, words in held.items() if len(words) < most)
