"""What `anticipate` writes offline for a section whose list is references: a list item that is
one link to a web page and nothing else, in a callout (an aside), names a page to read (by its
title) and answers nothing; in the section's own list it may be the answer.

Seen on a security student's vault (32 of 2,326 answers): a section holding only a command, then
a `> [!Resources]` callout of links, was answered by a link's label ("What is Distributed Version
Control?" "The Odin Project: Intro to Git"; "How do I extract all Domain Admins in ldapsearch?"
"curtishoughton: Pentesting Cheat Sheet - LDAP").
"""

from __future__ import annotations

from kbsleep.llm.model import Passage
from kbsleep.passes.offline_questions import generate


def answers(text: str, name: str) -> dict[str, str]:
    return {qa.question: qa.answer for qa in generate([Passage(name, text)])}


LDAP = """\
# ldapsearch

## Extract all Domain Admins

```bash
ldapsearch -x -h <IP Address> -b "CN=Domain Admins,CN=Users,DC=<domain>"
```

> [!Resources]
> - [curtishoughton: Pentesting Cheat Sheet - LDAP](https://github.com/curtishoughton/Penetration-Testing-Cheat-Sheet)
> - [Wikipedia: LDAP](https://en.wikipedia.org/wiki/LDAP "LDAP").
"""

GIT = """\
# Version control

## Distributed Version Control

Every clone holds the whole history of the project, so work goes on without a server.

> [!Resources]
> - [The Odin Project: Intro to Git](https://www.theodinproject.com/lessons/git)
> - [Pro Git](https://git-scm.com/book) covers branching in its third chapter
"""

CHANNELS = """\
# Help and support

## Questions and advice

If you have a question, you can join one of our community channels:

- [Join our Discord server](https://discord.gg/example)
- [Visit the forum](https://forum.example.org)
"""


def test_a_section_of_code_and_links_is_not_answered_by_a_links_label() -> None:
    found = answers(LDAP, "ldapsearch")
    assert not any("curtishoughton" in a or "Wikipedia" in a for a in found.values())


def test_an_item_that_says_more_than_its_link_is_still_quoted() -> None:
    found = answers(GIT, "version-control")
    [answer] = [a for q, a in found.items() if "Distributed Version Control" in q]
    assert "Odin Project" not in answer
    assert "Every clone holds the whole history" in answer


def test_a_sections_own_list_of_links_is_its_answer() -> None:
    found = answers(CHANNELS, "Help and support")
    [answer] = [a for q, a in found.items() if "questions and advice" in q.casefold()]
    assert "join our Discord server; visit the forum" in answer


ROGUE = """\
# Rogue AP

## Bring up the AP

> [!Resources]
> - [Wifi Challenge Academy](https://academy.example.org/rogue-ap)
"""


def test_a_section_of_nothing_but_references_asks_nothing() -> None:
    assert not [q for q in answers(ROGUE, "rogue-AP") if "Bring up the AP" in q]
