"""`kbsleep consolidate` with the offline engine: each task, the run as a whole, dry run, undo."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from kbsleep.git import transaction
from kbsleep.cli import main
from kbsleep.errors import KbsleepError
from kbsleep.lint import lint
from kbsleep.llm import select_engine
from kbsleep.passes.consolidate import Options, consolidate, parse_only
from kbsleep.wiki import open_wiki
from tests.conftest import git

TODAY = datetime.date(2026, 3, 20)


def run(root: Path, *only: str, dry_run: bool = False):  # type: ignore[no-untyped-def]
    wiki = open_wiki(root)
    model = select_engine(wiki.config.llm, "offline")
    return consolidate(wiki, model, Options(only=only, dry_run=dry_run, today=TODAY))


def read(root: Path, path: str) -> str:
    return (root / path).read_text(encoding="utf-8")


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and ".git" not in p.parts and ".kbsleep" not in p.parts}


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(make_repo):  # type: ignore[no-untyped-def]
    return make_repo(fixture="consolidate/wiki")


def test_links_repairs_alias_and_near_miss_links_in_one_commit(repo: Path) -> None:
    report = run(repo, "links")

    text = read(repo, "people/Liis Varte.md")
    assert "[[Kestrel Rover|Kestrel]] programme" in text
    assert "tested the [[Kestrel Rover]] in 2022" in text
    assert "[[tidal-mixing-notes|mixing notes]]" in text
    assert len(report.commits) == 1
    message = git(repo, "log", "-1", "--format=%B")
    assert "Kbsleep-Pass: consolidate" in message and "Kbsleep-Task: links" in message
    assert "Kbsleep-Model: none" in message and "Kbsleep-Tokens: 0" in message
    assert {d.name for d in lint(open_wiki(repo)).diagnostics} & {"broken-link", "alias-link"} == set()


def test_duplicates_merge_into_the_most_linked_page_without_repeating_paragraphs(repo: Path) -> None:
    run(repo, "links", "duplicates")

    assert not (repo / "concepts/tidal-mixing-notes.md").exists()
    merged = read(repo, "concepts/Tidal Mixing.md")
    assert merged.count("Tidal currents stir the water column from the seabed up.") == 1
    assert merged.count("The basin overturned on 2025-08-29") == 1
    assert "## Basic idea" in merged and "less than 15 m" in merged
    assert "aliases:\n  - mixing notes\n" in merged  # the other title folds to this one; its alias is kept
    assert "tags:\n  - concept\n  - notes\n" in merged
    liis = read(repo, "people/Liis Varte.md")
    assert "[[Tidal Mixing|mixing notes]]" in liis
    assert "[[Tidal Mixing#Basic idea|tidal-mixing-notes]]" in liis
    names = {d.name for d in lint(open_wiki(repo)).diagnostics}
    assert "duplicate-page" not in names and "broken-link" not in names and "broken-anchor" not in names


def test_inbox_folds_a_note_under_dated_notes_and_archives_it(repo: Path) -> None:
    report = run(repo, "inbox")

    rover = read(repo, "vehicles/Kestrel Rover.md")
    assert rover.endswith(
        "## Notes\n\n### 2026-03-14 — from [[cradle-2026-03-14]]\n\n"
        "The Kestrel Rover cradle weld cracked; the Kestrel cannot launch until it is fixed. 2 spares ordered, ask [[Liis Varte]].\n"
    )
    assert not (repo / "inbox/cradle-2026-03-14.md").exists()
    assert (repo / "inbox/archive/cradle-2026-03-14.md").exists()
    assert (repo / "inbox/both.md").exists()  # names two pages once each: left, with the reason
    [left] = report.left
    assert left.path == "inbox/both.md" and "equally often" in left.reason


def test_contradictions_get_a_callout_on_both_pages_once(repo: Path) -> None:
    run(repo, "contradictions")
    for path in ("people/Liis Varte.md", "places/Port Evra.md"):
        text = read(repo, path)
        assert text.count("> [!warning] Conflicting sources") == 1
        assert "`[[Port Evra]] population:: 39000`" in text and "`population: 41000`" in text
    after = lint(open_wiki(repo)).diagnostics
    assert [d.name for d in after if d.name in ("conflicting-facts", "contradicting-claims", "unused-suppression")] == ["conflicting-facts"]

    again = run(repo, "contradictions")  # the conflict is still there, but already flagged
    assert again.commits == ()


def test_index_keeps_the_hand_written_part_and_regenerates_its_fence(repo: Path) -> None:
    run(repo, "index")
    text = read(repo, "index.md")
    assert text.startswith("# Index\n\nHand-written introduction: this wiki follows the rover programme.\n\n- [[Kestrel Rover]] — the rover.\n- [[Tidal Mixing]] — tidal stirring.\n\n<!-- kbsleep:index v=1 source=")
    assert "### vehicles\n\n- [[Kestrel Rover]] — Tracked seabed rover built in 2023.\n" in text
    assert "- [[Liis Varte]] — Liis leads the Kestrel programme.\n" in text  # the first sentence, its links as the words they show
    assert text.count("<!-- kbsleep:index") == 1 and text.rstrip().endswith("<!-- /kbsleep:index -->")
    names = {d.name for d in lint(open_wiki(repo)).diagnostics}
    assert "missing-from-index" not in names and "stale-generated" not in names

    (repo / "index.md").write_text(text.replace("Hand-written introduction", "Edited introduction"), encoding="utf-8")
    git(repo, "commit", "-qam", "edit intro")
    run(repo, "index")
    text = read(repo, "index.md")
    assert "Edited introduction" in text and text.count("<!-- kbsleep:index") == 1
    assert "stale-generated" not in {d.name for d in lint(open_wiki(repo)).diagnostics}


def test_a_full_run_commits_each_task_with_one_run_id_and_logs_it(repo: Path) -> None:
    report = run(repo)

    assert [s.outcome.task for s in report.steps if s.commit] == ["links", "duplicates", "inbox", "contradictions", "index", "log"]
    [latest] = transaction.runs(repo)[:1]
    assert latest.run_id == report.run_id and len(latest.commits) == 6
    log = read(repo, "log.md")
    assert "## [2026-03-20] consolidate | links: repair 3 links in 1 page\n" in log
    # The notes add a section between the two the concept page has: the shingles across that
    # seam ("seabed up observations") are the concept page's alone, 2 of its 19.
    assert "- merged `concepts/tidal-mixing-notes.md` into [[Tidal Mixing]] (same file name `Tidal Mixing`, 89% of the shorter page's prose in the other)\n" in log
    assert "- folded [[cradle-2026-03-14]] into [[Kestrel Rover]]\n" in log
    assert "- left `inbox/both.md`: the note names" in log
    assert "## [2026-03-20] consolidate | log" not in log
    broken = [d for d in lint(open_wiki(repo)).diagnostics if d.name in ("broken-link", "broken-anchor", "alias-link", "duplicate-page")]
    assert broken == []
    assert git(repo, "status", "--porcelain") == ""


def test_a_second_run_changes_nothing(repo: Path) -> None:
    run(repo)
    before = head(repo)
    again = run(repo)
    assert again.commits == () and head(repo) == before


def test_dry_run_shows_every_task_and_writes_nothing(repo: Path) -> None:
    files, start = tree(repo), head(repo)
    report = run(repo, dry_run=True)

    assert tree(repo) == files and head(repo) == start
    diff = report.diff()
    assert "+The [[Kestrel Rover|Kestrel]]" not in diff  # the line is rewritten whole:
    assert "+Liis leads the [[Kestrel Rover|Kestrel]] programme." in diff
    assert "+++ /dev/null" in diff and "--- a/concepts/tidal-mixing-notes.md" in diff
    assert "+++ b/inbox/archive/cradle-2026-03-14.md" in diff
    assert "+> [!warning] Conflicting sources" in diff
    assert "+<!-- kbsleep:index v=1" in diff and "+## [2026-03-20] consolidate | links" in diff


def test_one_undo_reverts_the_whole_run(repo: Path) -> None:
    files = tree(repo)
    run(repo)
    assert tree(repo) != files
    assert main(["--wiki", str(repo), "undo"]) == 0
    assert tree(repo) == files


def test_refuses_when_a_file_it_would_touch_has_uncommitted_changes(repo: Path) -> None:
    (repo / "people/Liis Varte.md").write_text(read(repo, "people/Liis Varte.md") + "\nDraft.\n", encoding="utf-8")
    start, files = head(repo), tree(repo)
    with pytest.raises(KbsleepError, match="uncommitted changes in files consolidate would touch: people/Liis Varte.md"):
        run(repo)
    assert head(repo) == start and tree(repo) == files


def test_only_names_tasks_and_rejects_unknown_ones() -> None:
    assert parse_only("index, links") == ("links", "index")
    assert parse_only(None) == ("links", "duplicates", "inbox", "contradictions", "index", "log")
    with pytest.raises(KbsleepError, match="unknown consolidate task `linkz`"):
        parse_only("linkz")


def test_cli_dry_run_and_bad_task(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--wiki", str(repo), "consolidate", "--engine", "offline", "--dry-run", "--only", "links"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# links: repair 3 links in 1 page (diff against the result of the tasks before it)\n--- a/people/Liis Varte.md\n")
    assert main(["--wiki", str(repo), "consolidate", "--only", "nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown consolidate task `nope`" in err and "Traceback" not in err


def test_cli_run_reports_commits_and_items_left(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--wiki", str(repo), "consolidate", "--engine", "offline", "--only", "inbox"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("inbox: fold 1 inbox note (")
    assert "`kbsleep undo` reverts it" in captured.out
    assert "left inbox/both.md: inbox: the note names people/Liis Varte.md and places/Port Evra.md equally often" in captured.err


def test_index_groups_by_first_tag_when_configured(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"kbsleep.toml": '[consolidate]\nindex-group = "tag"\n'}, fixture="consolidate/wiki")
    run(repo, "index")
    text = read(repo, "index.md")
    assert "### concept\n\n- [[Tidal Mixing]] — Tidal currents stir the water column from the seabed up.\n" in text
    assert "### notes\n\n- [[tidal-mixing-notes]] — " in text
