"""The inbox: consolidate folds its notes only when asked, as it creates the index and log pages.

In an LLM wiki `inbox/` is where raw notes wait to be filed; in a vault written by hand it is
the owner's own capture folder (a common one in Obsidian vaults), and moving its notes into
topic pages and then into `inbox/archive/` is a rewrite nobody asked for. The signs of an LLM
wiki are those of the index and log pages: one of them exists, or the config names one. Other
ways to ask: `inbox` (or `consolidate.archive`) set in the config, or `--only inbox`.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from kbsleep.cli import main
from kbsleep.llm import select_engine
from kbsleep.passes.consolidate import Options, consolidate
from kbsleep.passes.consolidate.asked import note
from kbsleep.sleep import SleepOptions, sleep
from kbsleep.wiki import open_wiki
from tests.conftest import git

TODAY = datetime.date(2026, 3, 20)
KESTREL = "# Kestrel Rover\n\nA survey rover built in 2021.\n"
NOTE = "The Kestrel Rover was driven along the quay.\nThe Kestrel Rover needs new tyres.\n"
# A hand-written vault with its own capture folder; the note names one page, so the offline engine would file it.
HAND = {
    "Kestrel Rover.md": KESTREL,
    "Field trials.md": "# Field trials\n\nThe rover was tested at the harbour.\n",
    "inbox/2026-03-14 quay.md": NOTE,
}
PAGES = 'index, log: not run: the wiki has no index.md or log.md, and its config names neither; to have consolidate create and keep them, set index-page = "index.md" and log-page = "log.md" in kbsleep.toml'
INBOX = 'inbox: not run either, so the notes in inbox/ stay where they are; to have consolidate fold them into topic pages, set inbox = "inbox" too'
FOLDED = "# Kestrel Rover\n\nA survey rover built in 2021.\n\n## Notes\n\n### 2026-03-14 — from [[2026-03-14 quay]]\n\n" + NOTE.rstrip("\n") + "\n"


def run(root: Path, *only: str):  # type: ignore[no-untyped-def]
    wiki = open_wiki(root)
    return consolidate(wiki, select_engine(wiki.config.llm, "offline"), Options(only=only, today=TODAY))


def files(root: Path) -> dict[str, bytes]:
    """Every file of the work tree but git's and kbsleep's own, as bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and ".git" not in p.parts and ".kbsleep" not in p.parts}


def assert_folded(root: Path) -> None:
    """The note is under the topic page's `## Notes`, and archived with its exact bytes."""
    assert (root / "Kestrel Rover.md").read_bytes() == FOLDED.encode("utf-8")
    assert not (root / "inbox/2026-03-14 quay.md").exists()
    assert (root / "inbox/archive/2026-03-14 quay.md").read_bytes() == NOTE.encode("utf-8")


# -- a vault written by hand ------------------------------------------------------------------------


def test_a_hand_written_vault_keeps_its_inbox_byte_for_byte(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(HAND)
    before, start = files(root), git(root, "rev-parse", "HEAD")
    report = run(root)

    assert files(root) == before
    assert git(root, "rev-parse", "HEAD") == start  # nothing else to do: no commit at all
    assert report.unasked == ("inbox", "index", "log")
    assert report.note == PAGES + "; " + INBOX
    assert [s.outcome.summary for s in report.steps if s.outcome.task == "inbox"] == ["not run: 1 notes in inbox/ not asked for"]


def test_the_cli_says_it_in_the_same_one_line(make_repo, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(HAND)
    assert main(["--wiki", str(root), "consolidate", "--engine", "offline"]) == 0
    lines = capsys.readouterr().out.splitlines()

    assert lines == ["links: repair 0 links in 0 pages", "duplicates: merge 0 duplicate page groups", "contradictions: handle 0 conflicting claims", PAGES + "; " + INBOX, "nothing to change"]


def test_sleep_leaves_the_inbox_and_its_report_says_why(make_repo, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(HAND)
    before = files(root)
    assert main(["--wiki", str(root), "sleep", "--engine", "offline", "--yes"]) == 0

    after = files(root)
    assert {p: after[p] for p in ("inbox/2026-03-14 quay.md", "Field trials.md")} == {p: before[p] for p in ("inbox/2026-03-14 quay.md", "Field trials.md")}
    assert not any(p.startswith("inbox/archive/") for p in after)
    assert "## Notes" not in (root / "Kestrel Rover.md").read_text(encoding="utf-8")  # anticipate may add its section; no fold
    assert "consolidate: " + PAGES + "; " + INBOX in capsys.readouterr().out.splitlines()


def test_an_empty_inbox_is_no_news(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({p: t for p, t in HAND.items() if not p.startswith("inbox/")})
    report = run(root)

    assert report.note == PAGES and "inbox" not in report.unasked
    assert [s.outcome.summary for s in report.steps if s.outcome.task == "inbox"] == ["fold 0 inbox notes"]


def test_an_inbox_under_another_name_is_not_the_inbox(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({**{p: t for p, t in HAND.items() if not p.startswith("inbox/")}, "Inbox/quay.md": NOTE, "index.md": "# Index\n"})
    report = run(root)

    assert (root / "Inbox/quay.md").read_bytes() == NOTE.encode("utf-8") and (root / "Kestrel Rover.md").read_text(encoding="utf-8") == KESTREL
    assert "inbox" not in report.unasked


# -- an LLM wiki, or a wiki that asks ----------------------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [
        {"index.md": "# Index\n"},
        {"log.md": "# Log\n"},
        {"kbsleep.toml": 'index-page = "index.md"\n'},
        {"kbsleep.toml": 'log-page = "Changes.md"\n'},
        {"kbsleep.toml": 'inbox = "inbox"\n'},
        {"kbsleep.toml": '[consolidate]\narchive = "inbox/archive"\n'},
    ],
    ids=["an index page", "a log page", "index-page set", "log-page set to another page", "inbox set", "consolidate.archive set"],
)
def test_an_llm_wiki_or_a_config_that_asks_folds_it(make_repo, extra: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({**HAND, **extra})
    before = files(root)
    report = run(root)

    assert_folded(root)
    assert "inbox" not in report.unasked and "inbox" not in report.note
    assert [s.outcome.summary for s in report.steps if s.outcome.task == "inbox"] == ["fold 1 inbox note"]
    assert files(root)["Field trials.md"] == before["Field trials.md"]


def test_a_config_that_names_only_the_inbox_folds_it_and_creates_no_index_or_log(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({**HAND, "kbsleep.toml": 'inbox = "inbox"\n'})
    report = run(root)

    assert_folded(root)
    assert not (root / "index.md").exists() and not (root / "log.md").exists()
    assert report.unasked == ("index", "log") and report.note == PAGES


def test_a_config_may_name_another_inbox(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({**{p: t for p, t in HAND.items() if not p.startswith("inbox/")}, "Capture/2026-03-14 quay.md": NOTE, "kbsleep.toml": 'inbox = "Capture"\n[consolidate]\narchive = "Capture/Done"\n'})
    run(root)

    assert (root / "Capture/Done/2026-03-14 quay.md").read_bytes() == NOTE.encode("utf-8")
    assert (root / "Kestrel Rover.md").read_bytes() == FOLDED.encode("utf-8")


def test_naming_the_task_outright_folds_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(HAND)
    report = run(root, "inbox")

    assert_folded(root)
    assert not (root / "index.md").exists() and report.note == "" and report.unasked == ()


def test_the_cli_only_inbox_folds_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(HAND)
    assert main(["--wiki", str(root), "consolidate", "--engine", "offline", "--only", "inbox"]) == 0
    assert (root / "inbox/archive/2026-03-14 quay.md").exists()


def test_the_sample_wiki_files_its_inbox(sample_repo: Path) -> None:
    """It has an index and a log: the task runs on both notes (the offline engine leaves them, on a tie)."""
    git(sample_repo, "add", "-A")
    git(sample_repo, "commit", "-q", "-m", "sample")
    report = run(sample_repo)

    assert "inbox" not in report.unasked and report.note == ""
    assert [(left.path, left.reason.split(" names ")[0]) for left in report.left if left.task == "inbox"] == [
        ("inbox/dock-call-2026-03-14.md", "the note"),
        ("inbox/voice-memo-orion.md", "the note"),
    ]


# -- the note ---------------------------------------------------------------------------------------


def test_the_inbox_note_alone_says_why_and_how() -> None:
    assert note([("inbox", "Capture")], Path("/w/pyproject.toml")) == (
        "inbox: not run: the notes in Capture/ stay where they are, as the wiki has no index or log page and its config names none, nor its inbox; "
        'to have consolidate fold them into topic pages, set inbox = "Capture" in [tool.kbsleep] in pyproject.toml'
    )


def test_the_inbox_note_after_the_pages_note_does_not_repeat_the_reason() -> None:
    assert note([("inbox", "inbox"), ("log", "log.md")], None) == (
        'log: not run: the wiki has no log.md, and its config does not name it; to have consolidate create and keep it, set log-page = "log.md" in kbsleep.toml; '
        + INBOX
    )
