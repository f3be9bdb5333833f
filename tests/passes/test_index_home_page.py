"""An `index.md` without kbsleep's fence that links under half of the pages, in a vault where the
catalogue would add many, is a home page (Quartz's, a digital garden's), not a catalogue:
consolidate appends none to it unless asked by name (the config's `index-page`, or `--only index`).
An index that already catalogues the pages, or one kbsleep fenced, is kept up to date as before."""

from __future__ import annotations

import datetime
from pathlib import Path

from kbsleep.llm import select_engine
from kbsleep.passes.consolidate import Options, consolidate
from kbsleep.wiki import open_wiki

TODAY = datetime.date(2026, 3, 20)
NOTES = {f"notes/Note {i:02}.md": f"# Note {i:02}\n\nThe note number {i} of the garden.\n" for i in range(60)}
HOME = "# Welcome\n\nStart with [[Note 00]], [[Note 01]] or [[Note 02]].\n"


def run(root: Path, *only: str):  # type: ignore[no-untyped-def]
    wiki = open_wiki(root)
    return consolidate(wiki, select_engine(wiki.config.llm, "offline"), Options(only=only, today=TODAY))


def index_step(report):  # type: ignore[no-untyped-def]
    return next(step.outcome for step in report.steps if step.outcome.task == "index")


def test_a_home_page_gets_no_catalogue(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({**NOTES, "index.md": HOME})
    outcome = index_step(run(root))
    assert (root / "index.md").read_text(encoding="utf-8") == HOME
    assert outcome.summary == (
        'not run: index.md links 3 of the 60 pages, a home page rather than a catalogue; '
        'set index-page = "index.md" in kbsleep.toml (or run `consolidate --only index`) to add one to it'
    )


def test_asked_by_name_in_the_config_it_gets_one(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({**NOTES, "index.md": HOME, "kbsleep.toml": 'index-page = "index.md"\n'})
    run(root)
    assert (root / "index.md").read_text(encoding="utf-8").startswith(HOME + "\n<!-- kbsleep:index v=1 ")


def test_asked_by_name_on_the_command_line_it_gets_one(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({**NOTES, "index.md": HOME})
    run(root, "index")
    assert (root / "index.md").read_text(encoding="utf-8").startswith(HOME + "\n<!-- kbsleep:index v=1 ")


def test_an_index_that_catalogues_most_pages_is_kept_up_to_date(make_repo) -> None:  # type: ignore[no-untyped-def]
    catalogue = "# Index\n\n" + "".join(f"- [[Note {i:02}]]\n" for i in range(40))
    root = make_repo({**NOTES, "index.md": catalogue})
    run(root)
    text = (root / "index.md").read_text(encoding="utf-8")
    assert text.startswith(catalogue) and "- [[Note 59]]" in text
