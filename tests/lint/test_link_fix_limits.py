"""What a link finding may claim and rewrite: a near-miss fix is applied only to a plain typo, and a
link that opens no page is never an ambiguous link.

Found on real vaults: a course page linking `[[Week 6]]` (no such note) beside `Week 5.md` got the
"safe" rewrite to `[[Week 5]]`, applied unattended by `consolidate`; on a 13,000-note zettelkasten
`lint --fix` rewrote 270 links to notes not yet written, nearly all to other words (`[[Liver]]`
to `[[Sliver]]`, `[[Money]]` to `[[Monkey]]`, `[[South America]]` to `[[North America]]`,
`[[Strassen's Algorithm]]` to `[[Djikstra's Algorithm]]`); and `[[Method]]`, an alias of three
notes, was reported both as alias-link (right: Obsidian opens nothing) and as ambiguous-link
claiming "Obsidian opens" one of them.
"""

from __future__ import annotations

import pytest

from kbsleep.lint import Selection, lint
from kbsleep.wiki import open_wiki


def broken(root) -> list[tuple[str, str | None, list[str]]]:
    report = lint(open_wiki(root), Selection(select=("broken-link",)))
    return [(d.message, d.hint, [new for _, _, _, new in d.fix]) for d in report.diagnostics]


@pytest.mark.parametrize(
    ("link", "page", "hint"),
    [
        ("Week 6", "Week 5", "did you mean [[Week 5]]?"),
        ("RAID 1", "RAID 0", "did you mean [[RAID 0]]?"),
        ("Letter from Viktor Winter 1956", "Letter from Viktor Winter 1975", "did you mean [[Letter from Viktor Winter 1975]]?"),
        ("Report 192", "Report 1992", "did you mean [[Report 1992]]?"),  # 1992? 1921? not ours to choose
        ("2024-04-16 Check-in", "2024-10-06 Check-in", "did you mean [[2024-10-06 Check-in]]?"),
    ],
)
def test_a_near_miss_that_changes_a_number_is_a_hint_never_a_fix(make_repo, link: str, page: str, hint: str) -> None:
    root = make_repo({f"{page}.md": "Notes of that one.\n", "Course.md": f"- [[{link}]]\n"})
    assert broken(root) == [(f"broken link: `[[{link}]]` matches no page or attachment", hint, [])]


@pytest.mark.parametrize(
    ("link", "page"),
    [
        ("Liver", "Sliver"),  # another word: the first letter differs
        ("South America", "North America"),  # another word: more than one letter differs
        ("Strassen's Algorithm", "Djikstra's Algorithm"),
        ("Foreign Exchange Markets", "Foreign Exchange"),  # a word more
        ("Neoarchean Era", "Archean Era"),
        ("Seasonal Entrpy Model", "Seasonal Entropy Mdel"),  # two words differ
        ("Flash", "Flask"),  # a changed letter
        ("Russian", "Russia"),  # an added letter
        ("MOV", "move"),  # an acronym is not a word
        ("CPE", "COPE"),  # nor is an acronym with a letter dropped another's typo
        ("DMRAC", "DMARC"),  # or with two swapped
    ],
)
def test_a_near_miss_that_changes_a_word_is_a_hint_never_a_fix(make_repo, link: str, page: str) -> None:
    root = make_repo({f"{page}.md": "Notes of that one.\n", "Course.md": f"- [[{link}]]\n"})
    assert broken(root) == [(f"broken link: `[[{link}]]` matches no page or attachment", f"did you mean [[{page}]]?", [])]


@pytest.mark.parametrize(
    ("link", "page"),
    [
        ("Kestrel Rovr", "Kestrel Rover"),  # one letter dropped, not the first
        ("Seasonal Entrpy", "Seasonal Entropy"),
        ("Orion pmp", "Orion pump"),  # a 3-letter word for a 4-letter one
        ("Magnus Wnter", "Magnus Winter"),
        ("Hash Map", "Hashmap"),  # spacing
        ("FreyaHurst", "Freya Hurst"),
        ("week 5 - compresion", "Week 5 - Compression"),  # same number, one letter dropped
        ("2024-0830 Field Retro", "2024-08-30 Field Retro"),  # same digits, a separator dropped
        ("Cafe Nero", "Café Nero"),  # an accent
        ("Harbuor Survey", "Harbour Survey"),  # two neighbours swapped
    ],
)
def test_a_plain_typo_is_still_fixed(make_repo, link: str, page: str) -> None:
    root = make_repo({f"{page}.md": "Notes.\n", "Course.md": f"- [[{link}]]\n"})
    assert broken(root) == [(f"broken link: `[[{link}]]` matches no page or attachment", f"did you mean [[{page}]]?", [f"[[{page}]]"])]


SHARED_ALIAS = {
    "Math/CDF Method.md": "---\naliases: [Method]\n---\nFind the CDF.\n",
    "Math/PDF Method.md": "---\naliases: [Method]\n---\nFind the PDF.\n",
    "Polymorphism.md": "A [[Method]] of a subclass.\n",
}


def test_a_link_meant_for_a_shared_alias_is_an_alias_link_and_not_an_ambiguous_link(make_repo) -> None:
    report = lint(open_wiki(make_repo(SHARED_ALIAS)), Selection(select=("alias-link", "ambiguous-link")))
    assert [(d.code, d.path) for d in report.diagnostics] == [("KB103", "Polymorphism.md")]
    assert report.diagnostics[0].message == "`[[Method]]` is the alias of Math/CDF Method.md, not a file name: Obsidian will not open it"


def test_a_link_by_a_shared_file_name_is_still_an_ambiguous_link(make_repo) -> None:
    root = make_repo({"a/Method.md": "One.\n", "b/Method.md": "Two.\n", "Polymorphism.md": "A [[Method]].\n"})
    report = lint(open_wiki(root), Selection(select=("alias-link", "ambiguous-link")))
    assert [(d.code, d.message) for d in report.diagnostics] == [
        ("KB104", "`[[Method]]` matches 2 pages; Obsidian opens a/Method.md or b/Method.md (as near, paths as long: which one, the files do not decide)")
    ]
