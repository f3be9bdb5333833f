"""The index catalogue's one-line summaries on a course vault's pages (shapes from a real vault):
a formula, a Dataview query in a code span, a callout's title, a breadcrumb of links, tags and inline fields are
no summary; a task's box and leading tags are not shown; a Kanban board's first card and an
Excalidraw drawing's notice do not describe the page."""

from __future__ import annotations

import datetime

from kbsleep.llm import select_engine
from kbsleep.passes.consolidate import Options, consolidate
from kbsleep.wiki import open_wiki

PAGES = {
    "Econometrics/Matrix form.md": "# Matrix form\n\n$$ Y=X\\beta+u $$\n\nThe model in matrix form. It stacks the observations.\n",
    "Econometrics/Reading.md": "- [ ] Read chapter 3 of the textbook\n- [x] Read chapter 2\n",
    "Econometrics/Board.md": "---\n\nkanban-plugin: basic\n\n---\n\n## To do\n\n- [ ] 01 Introduction\n",
    "Campaign/Strahd.md": (
        "---\ntags: [character]\n---\n\n`$= await dv.view('Views/characterHeader')`\n\n> [!info]- What do they look like?\n>\n\n"
        "Watches over all of [[Barovia]]. Has spies everywhere.\n"
    ),
    "Algebra/Matrices.md": "[[Algebra]][[Vectors]][[Linear maps]]\n### Introduction\n#algebra-l3 A matrix is a table of numbers.\n",
    "Daily/2024-07-19.md": "[coding::true] [paper-review::false]\n\nRead the Runge-Kutta paper.\n",
    "Drawings/Triangle.md": (
        "---\nexcalidraw-plugin: parsed\ntags: [excalidraw]\n---\n==⚠  Switch to EXCALIDRAW VIEW in the MORE OPTIONS menu of this document. ⚠==\n\n"
        "# Excalidraw Data\n\n## Text Elements\nside a ^X9LLfNi6\n"
    ),
    "Campaign/Gadolf.md": "> [!info]- What do they look like?\n> A tall man with a grey beard.\n",
    "Algebra.md": "Vectors and matrices.\n", "Vectors.md": "Arrows.\n", "Linear maps.md": "Maps.\n", "Barovia.md": "A land.\n",
}


def test_summaries_are_sentences(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(PAGES)
    wiki = open_wiki(root)
    consolidate(wiki, select_engine(wiki.config.llm, "offline"), Options(only=("index",), today=datetime.date(2026, 3, 20)))
    catalogue = [line for line in (root / "index.md").read_text(encoding="utf-8").splitlines() if line.startswith("- [[")]
    assert catalogue == [
        "- [[Matrices]] — A matrix is a table of numbers.",
        "- [[Gadolf]] — A tall man with a grey beard.",
        "- [[Strahd]] — Watches over all of Barovia.",
        "- [[2024-07-19]] — Read the Runge-Kutta paper.",
        "- [[Triangle]]",
        "- [[Board]]",
        "- [[Matrix form]] — The model in matrix form.",
        "- [[Reading]] — Read chapter 3 of the textbook",
        "- [[Algebra]] — Vectors and matrices.",
        "- [[Barovia]] — A land.",
        "- [[Linear maps]] — Maps.",
        "- [[Vectors]] — Arrows.",
    ]
