"""Finding links, comments and their positions is linear in the page, however long its lines.

A page of 4.8 MB with 300,000 links took 262 s to parse because each link's line was found by
counting newlines from the start of its paragraph. These tests count, by construction, the
characters the parser's own scans look at (a `str` that tallies what `find`, `count`,
`rfind`, `in`, `split` and slicing examine): a quadratic scan looks at millions of characters
for a few thousand links, a linear one at a few times the page. No timing is involved.
`benchmarks/bench_huge_page.py` times the 4.8 MB page.
"""

from __future__ import annotations

from typing import Any, Callable

import pytest

from kbsleep.wiki import markdown, parse, plain
from kbsleep.wiki.parse import parse_page


class Scanned(str):
    """A `str` that adds to `Scanned.looked` the characters each search or slice examines."""

    looked = 0

    @staticmethod
    def _span(text: str, start: int | None, end: int | None) -> tuple[int, int]:
        return slice(start, end).indices(len(text))[:2]

    def find(self, sub: str, start: int | None = None, end: int | None = None) -> int:  # type: ignore[override]
        found = str.find(self, sub, start, end)
        first, last = self._span(self, start, end)
        Scanned.looked += (found + len(sub) - first) if found >= 0 else max(last - first, 0)
        return found

    def rfind(self, sub: str, start: int | None = None, end: int | None = None) -> int:  # type: ignore[override]
        found = str.rfind(self, sub, start, end)
        first, last = self._span(self, start, end)
        Scanned.looked += (last - found) if found >= 0 else max(last - first, 0)
        return found

    def count(self, sub: str, start: int | None = None, end: int | None = None) -> int:  # type: ignore[override]
        first, last = self._span(self, start, end)
        Scanned.looked += max(last - first, 0)
        return str.count(self, sub, start, end)

    def __contains__(self, sub: object) -> bool:
        found = str.find(self, str(sub))
        Scanned.looked += found + len(str(sub)) if found >= 0 else len(self)
        return found >= 0

    def __getitem__(self, key: Any) -> str:
        value = str.__getitem__(self, key)
        if isinstance(key, slice):
            Scanned.looked += len(value)
        return value

    def split(self, *args: Any, **kwargs: Any) -> list[str]:  # type: ignore[override]
        Scanned.looked += len(self)
        return str.split(self, *args, **kwargs)


def scanned(tokens: list[Any]) -> list[Any]:
    for token in tokens:
        if token.type in ("inline", "html_block"):
            token.content = Scanned(token.content)
    return tokens


def looked_at(text: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """Characters the fold's scans examine parsing `text`: its inline sources and lines counted."""
    real_plain, real_markdown = parse.plain_page, markdown.parse
    monkeypatch.setattr(parse, "plain_page", lambda t: None if (tokens := real_plain(t)) is None else scanned(tokens))
    monkeypatch.setattr(markdown, "parse", lambda t: scanned(real_markdown(t)))
    folder = parse._Folder("a.md", "a", text, "0" * 40, len(text), [])
    folder.lines = [Scanned(line) for line in folder.lines]
    Scanned.looked = 0
    page = folder.page()
    assert page.parsed
    return Scanned.looked


N = 3000  # links: a quadratic scan looks at about N * len(page) / 2 characters, some 50 million
PAGES: dict[str, Callable[[int], str]] = {
    "wikilinks on one line": lambda n: "# A\n\n" + " ".join(f"[[Page {i}]]" for i in range(n)) + "\n",
    "a paragraph of wikilinks": lambda n: "# A\n\n" + "\n".join(" ".join(f"[[P {i}.{j}]]" for j in range(10)) for i in range(n // 10)) + "\n",
    "Markdown links on one line": lambda n: "# A\n\n" + " ".join(f"[p](Page%20{i}.md)" for i in range(n)) + "\n",
    "both, over many lines": lambda n: "# A\n\n" + "\n".join(f"[[P{i}]] [p](Q{i}.md) ![[E{i}]]" for i in range(n // 3)) + "\n",
    "one table row": lambda n: "| " + " | ".join(f"[[P{i}]]" for i in range(n)) + " |\n|" + "---|" * n + "\n",
    "one front matter line": lambda n: '---\nrelated: "' + " ".join(f"[[P{i}]]" for i in range(n)) + '"\n---\n# A\n',
    "Obsidian comments in a paragraph": lambda n: "# A\n\n" + "\n".join(f"a %%c{i}%% b" for i in range(n)) + "\n",
    "HTML comments in a paragraph": lambda n: "# A\n\n" + "\n".join(f"a <!-- c{i} --> b" for i in range(n)) + "\n",
    "an HTML block of comments": lambda n: "<div>\n" + "\n".join(f"<!-- c{i} -->" for i in range(n)) + "\n</div>\n",
    "wikilinks in a quote": lambda n: "\n".join(f"> [[P{i}]] and [[Q{i}]]" for i in range(n // 2)) + "\n",
}


@pytest.mark.parametrize("make", PAGES.values(), ids=PAGES.keys())
def test_the_fold_looks_at_each_character_a_bounded_number_of_times(make: Callable[[int], str], monkeypatch: pytest.MonkeyPatch) -> None:
    text = make(N)
    assert looked_at(text, monkeypatch) <= 8 * len(text)


@pytest.mark.parametrize(
    "src",
    ["[[ " * N + "]]", "![[a\n" * N + "]]", "[[x [[" * N + "]]", "[[" + "a" * N + "\n]] " * N],
    ids=["many [[ before one ]]", "a newline in each", "[[ inside each", "long lines"],
)
def test_the_wikilink_scan_is_linear_on_brackets_that_never_close(src: str) -> None:
    Scanned.looked = 0
    plain._text_and_wikilinks(Scanned(src))
    assert Scanned.looked <= 8 * len(src)


def test_the_markdown_it_wikilink_rule_finds_each_closing_bracket_once() -> None:
    src = "`code` " + "[[ " * N + "]]"
    calls = []
    real = markdown._next_close

    def counted(state: Any, start: int) -> int:
        searched = getattr(state, "kbsleep_close", None)
        close = real(state, start)
        calls.append(searched != getattr(state, "kbsleep_close", None))  # a new search
        return close

    markdown._next_close, original = counted, markdown._next_close
    try:
        markdown.inline_parse(src)
    finally:
        markdown._next_close = original
    assert len(calls) >= N and sum(calls) <= 2


# -- positions are where the link is written ------------------------------------------------------


def positions(text: str) -> list[tuple[int, int]]:
    return [(link.line, link.column) for link in parse_page("a.md", text.encode(), max_bytes=10**9).links]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# A\n\n" + " ".join(["[[Same]]"] * 4) + "\n", [(3, 1), (3, 10), (3, 19), (3, 28)]),
        ("| [[T\\|x]] | [[T\\|x]] |\n|---|---|\n| [[T\\|x]] | [[T\\|x]] |\n", [(1, 3), (1, 14), (3, 3), (3, 14)]),
        ("> a [[X]]\n> b [x](Y.md) [[X]]\n", [(1, 5), (2, 5), (2, 15)]),
        ("- a\n  b [[X]] [x](Y.md)\n    c [[X]]\n", [(2, 5), (2, 11), (3, 7)]),
        ('---\nrelated: "[[X]] [[X]]"\n---\n# A\n', [(2, 11), (2, 17)]),
        ("# A\n\n`x` [a](b.md) [a](b.md)\nnext [a](b.md)\n", [(3, 5), (3, 15), (4, 6)]),
    ],
    ids=["the same link four times on a line", "table cells", "a quote", "a list item", "front matter", "Markdown links"],
)
def test_each_link_is_placed_where_it_is_written(text: str, expected: list[tuple[int, int]]) -> None:
    assert positions(text) == expected


def test_an_inline_html_comment_is_placed_on_its_own_line_of_a_paragraph() -> None:
    # Before, every inline HTML comment of a paragraph was put on the paragraph's first line,
    # so `kbsleep-disable-next-line` in the middle of a paragraph disabled the wrong line.
    text = "# A\n\nline one\nline two <!-- kbsleep-disable-next-line broken-link -->\n[[Missing]] three\n"
    page = parse_page("a.md", text.encode())
    assert [(c.line, c.end_line, c.text) for c in page.comments] == [(4, 4, "kbsleep-disable-next-line broken-link")]


def test_an_obsidian_comment_over_lines_of_a_paragraph_ends_on_its_last_line() -> None:
    page = parse_page("a.md", b"# A\n\nfirst `x` %%hidden\nstill hidden%% shown\n")
    assert [(c.line, c.end_line) for c in page.comments] == [(3, 4)]
