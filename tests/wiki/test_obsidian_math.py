"""Math is LaTeX, not Markdown: what `$$ ... $$` and `$...$` hold is no link, heading, tag or
block id (docs/obsidian.md, "Math"; the parser's rules are kbsleep/wiki/texmath.py)."""

from __future__ import annotations

import pytest

from kbsleep.wiki.parse import parse_page


def _page(text: str):
    return parse_page("Page.md", text.encode())


def _links(text: str) -> list[tuple[str, int]]:
    return [(link.target, link.line) for link in _page(text).links]


@pytest.mark.parametrize(
    ("text", "links"),
    [
        # inline math: a matrix, a bracketed function application, an interval
        ("A $[[1], [2]]$ matrix, and [[Real]].\n", [("Real", 1)]),
        ("$[W(t)*u](t)$ and [x](Y.md)\n", [("Y.md", 1)]),
        ("$x_1\\sim u[[0,1]\\times[0,1]]$ then [[After]]\n", [("After", 1)]),
        ("display $$[[1]]$$ inline, [[After]]\n", [("After", 1)]),
        # a block, with a line `=` and a `[[...]]` inside
        ("$$\n\\lambda [[x]]\n=\n$$\n[[After]]\n", [("After", 5)]),
        ("- item\n  $$\n  [[A]]\n  $$\n- [[B]]\n", [("B", 5)]),
        ("> $$\n> [[A]]\n> $$\n> [[B]]\n", [("B", 4)]),
        # money is not math: a `$` with a blank after it, or a closing `$` before a digit
        ("It costs $5 and [[Foo]] costs $10.\n", [("Foo", 1)]),
        ("$5-$10 for [[Foo]]\n", [("Foo", 1)]),
        ("$ [[Foo]] $\n", [("Foo", 1)]),
        # an escaped dollar is a dollar sign
        ("\\$[[Foo]]$\n", [("Foo", 1)]),
        # code shows its text, math in it included
        ("`$[[Foo]]$` and [[Bar]]\n", [("Bar", 1)]),
        # a `$$` never closed, or not before a blank line, is text
        ("$$\n[[Foo]]\n", [("Foo", 2)]),
        ("$$\n[[Foo]]\n\n$$\n", [("Foo", 2)]),
    ],
)
def test_links_inside_math_are_latex(text: str, links: list[tuple[str, int]]) -> None:
    assert _links(text) == links


def test_a_math_block_ends_a_paragraph_and_holds_no_setext_underline() -> None:
    """`=` or `---` under math is no heading underline: the block ends the paragraph before it."""
    page = _page("# T\n\n## Compute\nWe have\n$$\nA\n=\n\\lambda\n$$\n\n## Next\n\nText.\n")
    assert [(h.level, h.text) for h in page.headings] == [(1, "T"), (2, "Compute"), (2, "Next")]
    assert page.empty_sections == ()


def test_a_rule_under_a_one_line_math_block_is_a_rule() -> None:
    page = _page("## Mean\n$$ \\hat{E} = 1 $$\n---\n# Next\n\nText.\n")
    assert [(h.level, h.text) for h in page.headings] == [(2, "Mean"), (1, "Next")]
    assert page.empty_sections == ()


def test_a_heading_under_math_opened_mid_line_is_a_heading() -> None:
    """`Matrix: $$` opens display math that the `$$` starting a later line closes: the line after
    it is not inside math, and a heading there is one."""
    page = _page("- Matrix: $$\n\\begin{matrix} a \\end{matrix}\n$$ \n# Normals\n## Derivation\n## Numerically\n\nText.\n")
    assert [h.text for h in page.headings] == ["Normals", "Derivation", "Numerically"]
    assert page.empty_sections == (5,)


def test_headings_and_tags_inside_math_are_not_read() -> None:
    page = _page("Text\n$$\n# not a heading #nottag\n$$\nand $\\#x #inline$ #real\n")
    assert page.headings == ()
    assert page.tags == ("real",)


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("$$\nx\n$$\n^eq-1\n", {"eq-1": 4}),
        ("$$\nx\n$$ ^eq-1\n", {"eq-1": 3}),
        ("$$ x $$ ^eq-1\n", {"eq-1": 1}),
        ("$$\nx ^no\n$$\n", {}),
        ("$$\nx\n$$^no\n", {}),
    ],
)
def test_block_ids_after_math(text: str, ids: dict[str, int]) -> None:
    assert dict(_page(text).block_ids) == ids


def test_a_page_of_math_only_is_not_empty_and_its_math_is_text() -> None:
    """What a reader sees of a math block stays text (prose, `ask`'s blocks), as before math was
    known: only links, headings, tags and facts are not read in it."""
    page = _page("$$\nE = mc^2\n$$\n")
    assert page.empty is False
    assert [(block.line, block.text) for block in page.blocks] == [(1, "$$\nE = mc^2\n$$")]


def test_knowing_math_does_not_import_markdown_it_on_the_warm_path() -> None:
    """The fold names math tokens; a warm lint imports it and must not pay for markdown-it."""
    import subprocess
    import sys
    from pathlib import Path

    code = "import kbsleep.wiki.parse, kbsleep.wiki.texmath, sys; print('markdown_it' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.strip() == "False"
