"""A page's prose and its shingles: the one measure duplicate-page, ambiguous-alias and
consolidate's merge gate compare pages by (kbsleep/wiki/prose.py).

What a reader sees is prose; markup, code, comments and what kbsleep wrote are not. Shingles run
across blocks. Each judge's thresholds are tested with the judge (tests/lint/test_namesakes.py,
tests/passes/test_merge_evidence.py).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kbsleep.wiki.parse import parse_page
from kbsleep.wiki.prose import SHINGLE, runs, shingles, words

PACKAGE = Path(__file__).parents[2] / "kbsleep"


def prose(text: str) -> str:
    return " ".join(words(parse_page("Orion Pump.md", text.encode("utf-8"))))


# (Markdown, the prose a reader sees in it)
CASES = [
    # Links show their text; a wikilink without display text shows its target.
    ("Lifts [[vehicles/Orion Pump#Seal|winter samples]] from depth.\n", "lifts winter samples from depth"),
    ("See [[Orion Pump#Seal]] and [the log](http://log.example/a%20b).\n", "see orion pump seal and the log"),
    ("Ask <https://x.example/y> or https://x.example/z today.\n", "ask or today"),
    ("Forty <span class='x'>metres</span> deep.\n", "forty metres deep"),
    # Images and embeds show no words of this page.
    ("A photo ![Pump](orion-pump.png) and ![[orion.png]] here.\n", "a photo and here"),
    # Comments are hidden, inline or on their own lines, and so are block ids.
    ("Seals %%check the seal%% hold.\n\n%%\nhidden notes\n%%\n\n<!-- draft -->\n", "seals hold"),
    ("Wire the pump. ^wire-step\n\n- Test it ^test-step\n", "wire the pump test it"),
    # Code blocks are not prose; inline code is a word of its sentence.
    ("Call `hasTag()` first.\n\n```\ncode is not prose\n```\n\n    indented code either\n", "call hastag first"),
    # Emphasis and underscores split no word a reader sees.
    ("An _italic_ and **bold** snake_case word.\n", "an italic and bold snake case word"),
    # Headings below H1 are prose; H1 (the title) is not, nor the frontmatter.
    ("---\nsummary: not prose\n---\n# Orion Pump\n\n## Seal\n\nIt holds.\n", "seal it holds"),
    # List items and table cells, in reading order.
    ("- one\n- two\n\n| Name | Depth |\n| --- | --- |\n| Orion | 40 m |\n", "one two name depth orion 40 m"),
    # What kbsleep wrote into a fence is derived from the page, not its prose.
    ("Body text.\n\n<!-- kbsleep:answers v=1 -->\nGenerated answer text.\n<!-- /kbsleep:answers -->\n", "body text"),
]


@pytest.mark.parametrize(("text", "seen"), CASES, ids=[seen for _, seen in CASES])
def test_prose_is_what_a_reader_sees(text: str, seen: str) -> None:
    assert prose(text) == seen


def test_a_shingle_is_three_words_in_a_row_fewer_words_one_and_no_words_none() -> None:
    assert SHINGLE == 3
    assert shingles("a b c d".split()) == {hash(("a", "b", "c")), hash(("b", "c", "d"))}
    assert shingles(["two", "words"]) == {hash(("two", "words"))}
    assert shingles([]) == set()


def test_shingles_run_across_blocks_so_a_one_word_block_is_no_shingle_of_its_own() -> None:
    page = parse_page("a.md", b"## Themes\n\n- [[Aura Dark]]\n- Yes\n")
    assert words(page) == ["themes", "aura", "dark", "yes"]
    assert shingles(words(page)) == {hash(("themes", "aura", "dark")), hash(("aura", "dark", "yes"))}


def test_a_short_page_is_held_by_a_page_whose_runs_of_its_length_hold_it() -> None:
    short, longer = ["see", "beta"], "see beta and site".split()
    assert shingles(short) <= runs(longer, len(short))
    assert not shingles(short) <= runs("beta see".split(), len(short))


def test_both_judges_read_prose_here_and_lint_imports_no_pass() -> None:
    def imports(path: Path) -> set[str]:
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.update([node.module, *(f"{node.module}.{alias.name}" for alias in node.names)])
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        return found

    for judge in (PACKAGE / "lint" / "namesakes.py", PACKAGE / "passes" / "consolidate" / "evidence.py"):
        assert "kbsleep.wiki.prose" in imports(judge), judge
    lint_modules = [*(PACKAGE / "lint").rglob("*.py")]
    assert [str(p) for p in lint_modules if any(name.startswith("kbsleep.passes") for name in imports(p))] == []
