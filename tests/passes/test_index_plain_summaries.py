"""A catalogue line of the index reads as plain text, as reading view shows the page's words: no
emphasis, highlight or strike marks, a web page's link as its text, no images or badges, no block
ids. The entry's own link to the page is the line's only link; code spans and escapes stay as
written, since the line is Markdown again (`\\#tag` unescaped would tag the index)."""

from __future__ import annotations

import datetime

from kbsleep.llm import select_engine
from kbsleep.passes.consolidate import Options, consolidate
from kbsleep.wiki import open_wiki

PAGES = {
    "Bold.md": "# Bold\n\nA **pump** moves __water__ uphill.\n",
    "Italic.md": "A *valve* stops the _flow_ when ==closed==, ~~mostly~~ always.\n",
    "Web.md": "Read [the manual](https://example.org/manual.html) and [the FAQ](<https://example.org/f a q>) first.\n",
    "Badge.md": "![build](https://img.example/badge.svg) ![licence](https://img.example/l.svg)\n\nA library for parsing dates.\n",
    "Code link.md": "The workflow is in [`deploy.yml`](https://example.org/deploy.yml), run nightly.\n",
    "Block.md": "Storms flood the east bank. ^floods\n",
    "Escapes.md": "Write \\#draft or \\*stars\\* to show them, as in `**bold**` and `[x](y)`.\n",
    "Summary.md": "---\nsummary: The **short** version, from [the site](https://example.org).\n---\n\nThe long version.\n",
    "Mixed.md": "See **[[Bold|the pump page]]** and the [spec](https://example.org/spec).\n",
}


def _catalogue(root) -> list[str]:  # type: ignore[no-untyped-def]
    wiki = open_wiki(root)
    consolidate(wiki, select_engine(wiki.config.llm, "offline"), Options(only=("index",), today=datetime.date(2026, 12, 7)))
    return sorted(line for line in (root / "index.md").read_text(encoding="utf-8").splitlines() if line.startswith("- [["))


def test_a_catalogue_line_is_plain_text(make_repo) -> None:  # type: ignore[no-untyped-def]
    assert _catalogue(make_repo(PAGES)) == [
        "- [[Badge]] — A library for parsing dates.",
        "- [[Block]] — Storms flood the east bank.",
        "- [[Bold]] — A pump moves water uphill.",
        "- [[Code link]] — The workflow is in `deploy.yml`, run nightly.",
        "- [[Escapes]] — Write \\#draft or \\*stars\\* to show them, as in `**bold**` and `[x](y)`.",
        "- [[Italic]] — A valve stops the flow when closed, mostly always.",
        "- [[Mixed]] — See the pump page and the spec.",
        "- [[Summary]] — The short version, from the site.",
        "- [[Web]] — Read the manual and the FAQ first.",
    ]


def test_a_catalogue_written_before_is_rewritten_plain(make_repo) -> None:  # type: ignore[no-untyped-def]
    """An index written by an earlier version, with the Markdown in its lines, is regenerated."""
    old = "<!-- kbsleep:index v=1 source=pending body=pending -->\n## Catalogue\n\n### Top level\n\n- [[Bold]] — A **pump** moves __water__ uphill.\n<!-- /kbsleep:index -->\n"
    root = make_repo({"Bold.md": PAGES["Bold.md"], "index.md": "# Index\n\n" + old})
    assert _catalogue(root) == ["- [[Bold]] — A pump moves water uphill."]
