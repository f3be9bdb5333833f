"""A Markdown link written with a wikilink's brackets, `[[Label]](sources/page.md)`, as LLM wikis'
generated catalogues write thousands: Obsidian reads the wikilink first and shows the link
`[[Label]]`, which opens no page, then `(sources/page.md)` as text. When the destination opens a
page or an attachment the finding's fix is the Markdown link meant, `[Label](sources/page.md)`
(which also opens on GitHub), not a rewrite of the wikilink that leaves the text on show. A
destination that opens nothing, or a URL, changes nothing: the finding is as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.cli import main
from tests.lint.support import describe, lint_wiki

CATALOGUE = (
    "# Catalogue\n\n"
    "| Page | Summary |\n"
    "| --- | --- |\n"
    "| [[OMAE2014-24053.pdf]](sources/omae2014-24053.md) | riser fatigue |\n"
    "| [[Riser VIV\\|VIV]](sources/riser-viv.md#Results) | vortex shedding |\n"
    "\n"
    "- [[Kestrel]](../vehicles/Kestrel%20Rover.md) — the rover\n"
    "- [[Nowhere]](sources/gone.md) — lost\n"
    "- [[Orion]](https://example.org/orion) — elsewhere\n"
    "- [[Kestrel Rover]](../vehicles/Kestrel%20Rover.md) — opens as it is\n"
)

VAULT = {
    "index.md": "# Index\n\n- [[wiki/catalogue]]\n",
    "wiki/catalogue.md": CATALOGUE,
    "wiki/sources/omae2014-24053.md": "---\ntitle: OMAE2014-24053.pdf\n---\n\nFatigue of steel catenary risers.\n",
    "wiki/sources/riser-viv.md": "---\ntitle: Riser VIV\n---\n\n## Results\n\nStrakes help.\n",
    "vehicles/Kestrel Rover.md": "# Kestrel Rover\n\nSix wheels.\n",
}

EXPECTED = """\
wiki/catalogue.md:5:3: KB103 `[[OMAE2014-24053.pdf]]` is the title of wiki/sources/omae2014-24053.md, not a file name: Obsidian will not open it, and shows `(sources/omae2014-24053.md)` after it as text
    hint: write the Markdown link `[OMAE2014-24053.pdf](sources/omae2014-24053.md)`
    fix: 5:3 [[OMAE2014-24053.pdf]](sources/omae2014-24053.md) -> [OMAE2014-24053.pdf](sources/omae2014-24053.md)
wiki/catalogue.md:6:3: KB103 `[[Riser VIV|VIV]]` is the title of wiki/sources/riser-viv.md, not a file name: Obsidian will not open it, and shows `(sources/riser-viv.md#Results)` after it as text
    hint: write the Markdown link `[VIV](sources/riser-viv.md#Results)`
    fix: 6:3 [[Riser VIV\\|VIV]](sources/riser-viv.md#Results) -> [VIV](sources/riser-viv.md#Results)
wiki/catalogue.md:8:3: KB101 broken link: `[[Kestrel]]` matches no page or attachment, and shows `(../vehicles/Kestrel%20Rover.md)` after it as text
    hint: write the Markdown link `[Kestrel](../vehicles/Kestrel%20Rover.md)`
    fix: 8:3 [[Kestrel]](../vehicles/Kestrel%20Rover.md) -> [Kestrel](../vehicles/Kestrel%20Rover.md)
wiki/catalogue.md:9:3: KB101 broken link: `[[Nowhere]]` matches no page or attachment
wiki/catalogue.md:10:3: KB101 broken link: `[[Orion]]` matches no page or attachment
"""


def test_the_fix_is_the_markdown_link_meant(make_repo) -> None:
    report = lint_wiki(make_repo(VAULT), "KB101", "KB103")
    assert describe(report.diagnostics) == EXPECTED


def test_lint_fix_writes_the_markdown_links_and_the_pages_are_linked(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    root: Path = make_repo(VAULT)
    main(["--wiki", str(root), "lint", "--fix", "--select", "KB101,KB103"])
    text = (root / "wiki/catalogue.md").read_text(encoding="utf-8")
    assert text.splitlines()[4:8] == [
        "| [OMAE2014-24053.pdf](sources/omae2014-24053.md) | riser fatigue |",
        "| [VIV](sources/riser-viv.md#Results) | vortex shedding |",
        "",
        "- [Kestrel](../vehicles/Kestrel%20Rover.md) — the rover",
    ]
    capsys.readouterr()
    report = lint_wiki(root, "KB101", "KB102", "KB103", "KB201")
    assert [(d.code, d.location.line) for d in report.diagnostics] == [("KB101", 9), ("KB101", 10)]
