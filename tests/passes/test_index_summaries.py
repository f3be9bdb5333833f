"""The index catalogue's one-line summaries on a course vault's pages (shapes from a real vault):
a formula is no summary, a task's box is not shown, and a Kanban board's first card does not
describe the board."""

from __future__ import annotations

import datetime

from kbsleep.llm import select_engine
from kbsleep.passes.consolidate import Options, consolidate
from kbsleep.wiki import open_wiki

PAGES = {
    "Econometrics/Matrix form.md": "# Matrix form\n\n$$ Y=X\\beta+u $$\n\nThe model in matrix form. It stacks the observations.\n",
    "Econometrics/Reading.md": "- [ ] Read chapter 3 of the textbook\n- [x] Read chapter 2\n",
    "Econometrics/Board.md": "---\n\nkanban-plugin: basic\n\n---\n\n## To do\n\n- [ ] 01 Introduction\n",
}


def test_summaries_are_sentences(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(PAGES)
    wiki = open_wiki(root)
    consolidate(wiki, select_engine(wiki.config.llm, "offline"), Options(only=("index",), today=datetime.date(2026, 3, 20)))
    catalogue = [line for line in (root / "index.md").read_text(encoding="utf-8").splitlines() if line.startswith("- [[")]
    assert catalogue == [
        "- [[Board]]",
        "- [[Matrix form]] — The model in matrix form.",
        "- [[Reading]] — Read chapter 3 of the textbook",
    ]
