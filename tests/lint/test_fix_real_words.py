"""What `lint --fix` (and `consolidate`'s links task) may rewrite on its own, from a 13,000-note
zettelkasten where it rewrote links to other real words: a near miss that lacks a consonant of a
file name is another word as often as a typo (`[[Money]]` and `Monkey.md`), and a link in small
letters is not the page whose alias is an acronym (`[[man]]` pages and `MAN`, a Metropolitan Area
Network). Those get a hint, never a fix; a dropped vowel or one of a doubled letter is a typo."""

from __future__ import annotations

import pytest

from kbsleep.lint import Selection, lint
from kbsleep.wiki import open_wiki


def findings(root, rule: str) -> list[tuple[str, str | None, list[str]]]:
    report = lint(open_wiki(root), Selection(select=(rule,)))
    return [(d.message, d.hint, [new for _, _, _, new in d.fix]) for d in report.diagnostics]


@pytest.mark.parametrize(
    ("link", "page"),
    [
        ("Money", "Monkey"),
        ("Ford", "Fjord"),
        ("FastAI", "FastAPI"),
        ("csh", "Csch"),
        ("kalloc", "kmalloc"),
        ("finger", "fingerd"),
        ("force", "Forces"),
        ("Kuskal's Algorithm", "Kruskal's Algorithm"),  # a typo, maybe: a hint all the same
    ],
)
def test_a_dropped_consonant_is_a_hint_never_a_fix(make_repo, link: str, page: str) -> None:
    root = make_repo({f"{page}.md": "Notes of that one.\n", "Course.md": f"- [[{link}]]\n"})
    assert findings(root, "broken-link") == [(f"broken link: `[[{link}]]` matches no page or attachment", f"did you mean [[{page}]]?", [])]


@pytest.mark.parametrize(
    ("link", "page"),
    [
        ("Kestrel Rovr", "Kestrel Rover"),  # a vowel
        ("Magnus Wnter", "Magnus Winter"),
        ("week 5 - compresion", "Week 5 - Compression"),  # one of a doubled letter
        ("Adress Book", "Address Book"),
    ],
)
def test_a_dropped_vowel_or_doubled_letter_is_fixed(make_repo, link: str, page: str) -> None:
    root = make_repo({f"{page}.md": "Notes.\n", "Course.md": f"- [[{link}]]\n"})
    assert findings(root, "broken-link") == [(f"broken link: `[[{link}]]` matches no page or attachment", f"did you mean [[{page}]]?", [f"[[{page}]]"])]


ACRONYMS = {
    "Network/Metropolitan Area Network.md": "---\naliases:\n  - MAN\n---\nA network that covers a city.\n",
    "Vehicles/Kestrel Rover.md": "---\naliases: [Kestrel]\n---\nA rover.\n",
    "OS/Syscall.md": "See each syscall with [[man]], the [[MAN]] of the campus, and the [[kestrel]].\n",
}


def test_a_word_is_not_an_acronym_alias(make_repo) -> None:
    assert findings(make_repo(ACRONYMS), "alias-link") == [
        ("`[[man]]` matches no file name (`MAN`, in capitals, is an alias of Network/Metropolitan Area Network.md): Obsidian will not open it",
         "if `MAN` is meant, write `[[Metropolitan Area Network|man]]`", []),
        ("`[[MAN]]` is the alias of Network/Metropolitan Area Network.md, not a file name: Obsidian will not open it",
         "write `[[Metropolitan Area Network|MAN]]`", ["[[Metropolitan Area Network|MAN]]"]),
        ("`[[kestrel]]` is the alias of Vehicles/Kestrel Rover.md, not a file name: Obsidian will not open it",
         "write `[[Kestrel Rover|kestrel]]`", ["[[Kestrel Rover|kestrel]]"]),
    ]  # fmt: skip
