"""A footnote is not a link (help, *Basic formatting syntax*, Footnotes: `text[^1]` and, on a line of
its own, `[^1]: the referenced text`). CommonMark alone would read the definition as a link
reference definition whenever the footnote's text has no space (a URL, a name in a script written
without spaces: `[^1]: 周树人`), and `[^1]` as a link to that text: a "broken link" to a page named
after the footnote. Links inside a footnote's text stay links."""

from __future__ import annotations

import pytest

from kbsleep.wiki.parse import parse_page
from tests.lint.support import lint_wiki


def links(text: str) -> list[tuple[str, str]]:
    page = parse_page("Notes.md", f"# Notes\n\n{text}".encode())
    return [(link.kind, link.target) for link in page.links]


@pytest.mark.parametrize(
    "text",
    [
        "Lu Xun's real name[^1].\n\n[^1]: 周树人\n",
        "Cited[^src].\n\n[^src]: Pump.md\n",  # a footnote's text that looks like a file name
        "Two notes[^a][^b].\n\n[^a]: Первый\n[^b]: Второй\n",
        "> Quoted[^q].\n>\n> [^q]: 引用\n",  # in a quote too
        "- item[^1]\n\n   [^1]: Indented\n",  # up to three spaces before it
    ],
)
def test_a_footnote_is_no_link(text: str) -> None:
    assert links(text) == []


def test_links_in_a_footnote_are_links() -> None:
    text = "Said so[^1].\n\n[^1]: See [[Pump]] and [the log](Log.md).\n"
    assert links(text) == [("wikilink", "Pump"), ("markdown", "Log.md")]


def test_a_link_reference_definition_is_still_one() -> None:
    assert links("[pump]: Pump.md\n\nSee [pump].\n") == [("markdown", "Pump.md")]


def test_no_broken_link_for_a_footnote(make_repo) -> None:
    root = make_repo({
        "Lu Xun.md": "# Lu Xun\n\nHis real name[^1]; born in[^2].\n\n[^1]: 周树人\n[^2]: 绍兴\n",
        "Home.md": "# Home\n\n[[Lu Xun]]\n",
    })  # fmt: skip
    assert [d.code for d in lint_wiki(root, "broken-link").diagnostics] == []
