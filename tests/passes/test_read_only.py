"""Read-only pages (`read-only`, default `raw/` at any depth): kbsleep reads them, never writes them.

An LLM wiki keeps its sources under `raw/`: the model reads them and never edits them. They stay
pages (linted, searched, link targets), but no pass merges one away or into, repairs its links,
folds a note into it or writes questions into it, and `lint --fix` leaves it as it is. (A real
LLM wiki had its source `raw/papers/schema.md` merged into the page written from it, and deleted.)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import pytest

from kbsleep.cli import main
from kbsleep.errors import KbsleepError
from kbsleep.git import runner, transaction
from kbsleep.lint import Selection, lint
from kbsleep.llm import select_engine
from kbsleep.passes.anticipate import Options, anticipate
from kbsleep.passes.consolidate import Options as Tidy, consolidate
from kbsleep.wiki import Wiki, open_wiki
from tests.conftest import FIXTURES, git

TODAY = datetime.date(2026, 3, 20)
PROSE = (
    "The schema names every table of the survey database and the keys that join them. Each vessel "
    "row holds its call sign, its home port and the year it entered service. Each dive row holds "
    "the vessel, the date, the depth reached and the crew on board. Dives join vessels by call sign."
)
SOURCE = f"# Schema\n\n{PROSE}\n"
PAGES = {
    "raw/papers/schema.md": SOURCE,  # the source, as ingested
    "seeds/schema.md": SOURCE,  # the page written from it, word for word
    "raw/notes/harbour-log.md": "# Harbour log\n\nThe rover left [[Port Evar]] at dawn.\n",
    "team/raw/survey-notes.md": "# Survey notes\n\nSoundings off [[Port Evar]] at dusk.\n",
    "places/Port Evra.md": "# Port Evra\n\nA harbour town. See [[harbour-log]].\n",
    "places/Lighthouse.md": "# Lighthouse\n\nThe lighthouse of [[Port Evar]] was built in 1884 and stands 30 m tall.\n",
}
RAW = ("raw/papers/schema.md", "raw/notes/harbour-log.md", "team/raw/survey-notes.md")


def snapshot(root: Path, paths: tuple[str, ...] = RAW) -> dict[str, bytes]:
    return {path: (root / path).read_bytes() for path in paths}


def tidy(root: Path, *tasks: str):  # type: ignore[no-untyped-def]
    wiki = open_wiki(root)
    return consolidate(wiki, select_engine(wiki.config.llm, "offline"), Tidy(only=tasks, today=TODAY))


def test_the_default_reads_raw_folders_at_any_depth(make_repo) -> None:
    wiki = open_wiki(make_repo(PAGES))
    assert wiki.config.read_only == ("raw/",)
    assert [p for p in wiki.pages if wiki.read_only(p)] == sorted(RAW)
    assert not wiki.read_only("rawhide/x.md") and not wiki.read_only("notes/raw.md")


def test_a_duplicate_of_a_source_is_neither_merged_nor_listed(make_repo) -> None:
    root = make_repo(PAGES)
    report = tidy(root, "duplicates")

    assert snapshot(root) == snapshot(root) and (root / "raw/papers/schema.md").read_text(encoding="utf-8") == SOURCE
    assert (root / "seeds/schema.md").read_text(encoding="utf-8") == SOURCE
    assert not report.commits
    assert not [item for item in report.left if "schema" in item.path]  # written from its source: no duplicate


def test_with_no_read_only_pages_the_same_pages_merge(make_repo) -> None:
    root = make_repo({**PAGES, "kbsleep.toml": "read-only = []\n"})
    tidy(root, "duplicates")

    assert (root / "raw/papers/schema.md").exists() != (root / "seeds/schema.md").exists()


def test_links_inside_a_source_are_not_repaired(make_repo) -> None:
    root = make_repo(PAGES)
    before = snapshot(root)
    tidy(root, "links")

    assert snapshot(root) == before
    assert "of [[Port Evra]] was" in (root / "places/Lighthouse.md").read_text(encoding="utf-8")  # the task ran


def test_no_inbox_note_is_folded_into_a_source(make_repo) -> None:
    note = "The harbour log says the rover came back at noon.\n"
    root = make_repo({**PAGES, "inbox/rover.md": note, "kbsleep.toml": 'inbox = "inbox"\n'})
    before = snapshot(root)
    report = tidy(root, "inbox")

    assert snapshot(root) == before
    assert (root / "inbox/rover.md").read_text(encoding="utf-8") == note
    assert [item.path for item in report.left] == ["inbox/rover.md"]


def test_a_merge_that_would_relink_a_source_is_not_made_and_says_why(make_repo) -> None:
    files = {  # Port Evra, linked from two pages, survives; the source links to the page it would merge away
        "raw/notes/harbour-log.md": "# Harbour log\n\nThe rover left [[Port Evra 2]] at dawn.\n",
        "places/Lighthouse.md": "# Lighthouse\n\nThe lighthouse of [[Port Evra]].\n",
        "places/Quay.md": "# Quay\n\nThe quay of [[Port Evra]].\n",
        "places/Port Evra.md": "# Port Evra\n\n" + PROSE.replace("schema", "harbour") + "\n",
        "places/Port Evra 2.md": "---\ntitle: Port Evra\n---\n# Port Evra\n\n" + PROSE.replace("schema", "harbour") + "\n",
    }
    root = make_repo(files)
    before = snapshot(root, ("raw/notes/harbour-log.md",))
    report = tidy(root, "duplicates")

    assert snapshot(root, ("raw/notes/harbour-log.md",)) == before
    assert (root / "places/Port Evra 2.md").exists() and (root / "places/Port Evra.md").exists()
    [item] = [item for item in report.left if "not made" in item.reason]
    assert "raw/notes/harbour-log.md: read-only" in item.reason


GAZETTEER = "raw/articles/Evra gazetteer.md"  # a source the offline engine finds questions in


def run_anticipate(make_repo, config: str = "", **options):  # type: ignore[no-untyped-def]
    article = (FIXTURES / "anticipate/wiki/places/Port Evra.md").read_text(encoding="utf-8").replace("title: Port Evra", "title: Evra gazetteer")
    root = make_repo({GAZETTEER: article, "kbsleep.toml": config}, fixture="anticipate/wiki")
    before = snapshot(root, (GAZETTEER,))
    wiki = open_wiki(root)
    outcome = anticipate(wiki, select_engine(wiki.config.llm, "offline"), Options(**options))
    assert snapshot(root, (GAZETTEER,)) == before
    return root, {w.path for w in outcome.written}


def test_anticipate_writes_no_questions_into_a_source(make_repo) -> None:
    _, written = run_anticipate(make_repo)
    assert "places/Port Evra.md" in written and GAZETTEER not in written


def test_anticipate_refuses_a_source_named_outright(make_repo) -> None:
    with pytest.raises(KbsleepError, match=f"{GAZETTEER} is read-only"):
        run_anticipate(make_repo, paths=(GAZETTEER,))


def test_a_sidecar_keeps_a_sources_answers_and_leaves_the_source(make_repo) -> None:
    root, written = run_anticipate(make_repo, '[anticipate]\nstore = "sidecar"\n')
    assert GAZETTEER in written and (root / "_kbsleep/answers" / GAZETTEER).is_file()


def test_lint_reports_a_sources_findings_and_fix_leaves_it(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(PAGES)
    before = snapshot(root)
    main(["--wiki", str(root), "lint", "--fix", "--select", "broken-link"])

    assert snapshot(root) == before
    assert "of [[Port Evra]] was" in (root / "places/Lighthouse.md").read_text(encoding="utf-8")
    assert "Left 2 read-only pages as they are" in capsys.readouterr().err
    found = lint(open_wiki(root), Selection(select=("broken-link",))).diagnostics
    assert {d.path for d in found} == {"raw/notes/harbour-log.md", "team/raw/survey-notes.md"}


@dataclass(frozen=True)
class Careless:
    """A pass that plans to write a source whatever the gate says (a bug the runner must stop)."""

    name: str = "careless"
    commits: bool = True

    def plan(self, wiki: Wiki, context: runner.Context) -> runner.Planned[str]:
        edit = transaction.Edit("raw/notes/harbour-log.md", "# Harbour log\n\nRewritten.\n")
        return runner.Planned("planned", (transaction.Plan("careless", "rewrite a source", (edit,)),))

    def finish(self, wiki: Wiki, planned: runner.Planned[str], done: runner.Done) -> str:
        return "finished"


def test_the_runner_refuses_any_plan_that_writes_a_source(make_repo) -> None:
    root = make_repo(PAGES)
    before, head = snapshot(root), git(root, "rev-parse", "HEAD")
    with pytest.raises(KbsleepError, match=r"careless planned to write read-only pages .*raw/notes/harbour-log.md; nothing was written"):
        runner.run(Careless(), open_wiki(root), runner.Context())

    assert snapshot(root) == before and git(root, "rev-parse", "HEAD") == head


def test_the_index_lists_a_source_its_entry_is_written_elsewhere(make_repo) -> None:
    root = make_repo({**PAGES, "index.md": "# Index\n", "kbsleep.toml": 'index-page = "index.md"\n'})
    before = snapshot(root)
    tidy(root, "index")

    assert snapshot(root) == before
    index = (root / "index.md").read_text(encoding="utf-8")
    assert "[[harbour-log]]" in index and "[[survey-notes]]" in index
