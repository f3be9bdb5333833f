"""Per-section summaries: written at index time, kept by the section's hash, short, and data."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.config import load_config
from kbsleep.search import summaries, summarise
from kbsleep.search.index import Index
from kbsleep.state import STATE_DIR
from tests.ask.summary_wiki import CONFLICTS, SYNC, files
from tests.conftest import git


def kept(root: Path) -> dict[str, tuple[str, str]]:
    """Section target -> (kind, summary) of every section of the index."""
    with Index(root, load_config(root)) as index:
        index.refresh()
        rows = index.db.execute("SELECT page, heading, hash FROM docs ORDER BY id").fetchall()
    found = summaries.lookup(root / STATE_DIR, [h for *_, h in rows])
    return {f"{page.removesuffix('.md')}#{heading}": found[h] for page, heading, h in rows if h in found}


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the extractive summariser was given, in order (it still runs)."""
    calls: list[str] = []
    real = summaries.summarise

    def spy(text: str) -> str:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(summaries, "summarise", spy)
    return calls


def test_every_section_gets_a_summary_and_a_long_one_is_shorter_and_keeps_its_facts(make_repo) -> None:
    root = make_repo(files())
    got = kept(root)
    assert set(got) == {"Sync#Sync", "Sync#Conflicts", "Sync#Prices", "File recovery#File recovery"}
    assert {kind for kind, _ in got.values()} == {"extractive"}
    conflicts = got["Sync#Conflicts"][1]
    assert len(conflicts.split()) <= summarise.MAX_WORDS + 5 < len(CONFLICTS.split())
    # the first sentence, and the sentence with a version in it, are the ones kept
    assert conflicts == (
        "Sync merges edited Markdown notes. "
        "Starting in version 1.9.7 you can pick how conflicts are handled."
    )
    # a short section is its own summary, its list kept as a list
    assert got["Sync#Prices"][1] == "- Standard: $4 a month\n- Plus: $8 a month"


def test_a_summary_is_computed_again_only_when_its_section_changes(make_repo, counted: list[str]) -> None:
    root = make_repo(files())
    before = kept(root)
    assert len(counted) == 4
    counted.clear()
    assert kept(root) == before and counted == []  # nothing changed: nothing summarised
    edited = SYNC.replace("7 days", "x").replace("on the device that uploads second", "on the device that uploads last")
    (root / "Sync.md").write_text(edited, encoding="utf-8")
    git(root, "commit", "-qam", "edit one section")
    after = kept(root)
    assert len(counted) == 1 and "uploads last" in counted[0]
    assert {k: v for k, v in after.items() if k != "Sync#Conflicts"} == {k: v for k, v in before.items() if k != "Sync#Conflicts"}
    counted.clear()
    assert kept(root) == after and counted == []


def test_a_rebuilt_index_keeps_the_summaries_it_already_has(make_repo, counted: list[str]) -> None:
    root = make_repo(files())
    before = kept(root)
    counted.clear()
    for name in ("index.sqlite", "index.sqlite-wal", "index.sqlite-shm"):
        (root / STATE_DIR / name).unlink(missing_ok=True)
    assert kept(root) == before and counted == []


def test_a_lost_or_corrupt_summaries_file_is_written_again(make_repo) -> None:
    root = make_repo(files())
    before = kept(root)
    (root / STATE_DIR / summaries.NAME).write_bytes(b"not a database" * 100)
    for suffix in ("-wal", "-shm"):
        (root / STATE_DIR / f"{summaries.NAME}{suffix}").unlink(missing_ok=True)
    (root / "Sync.md").write_text(SYNC + "\nOne more line.\n", encoding="utf-8")  # the index must sync again
    git(root, "commit", "-qam", "edit")
    after = kept(root)
    assert after["Sync#Conflicts"] == before["Sync#Conflicts"] and len(after) == 4


def test_summaries_off_writes_none(make_repo) -> None:
    root = make_repo({**files(), "kbsleep.toml": '[summaries]\nmethod = "off"\n'})
    with Index(root, load_config(root)) as index:
        index.refresh()
    assert not (root / STATE_DIR / summaries.NAME).exists()


@pytest.mark.parametrize(
    ("text", "summary"),
    [
        ("", ""),
        ("```\ncode only\n```\n", ""),
        ("### Install Obsidian on Windows\n\n**Install Obsidian on Windows**\n\n1. Open your browser.\n2. Run the installer.\n",
         "1. Open your browser.\n2. Run the installer."),  # a line that repeats the heading says nothing
        ("| Tier | Price |\n|-|-|\n| Insider | $25 |\n| VIP | $100 |\n", "Insider: $25\n\nVIP: $100"),  # a row stays a unit of its own
        (  # a sentence that introduces a list is never kept without it: the list's first item comes with it
            "Raft keeps a replicated log consistent across a cluster of servers that may fail. Two properties are essential:\n\n"
            "- every committed entry survives the loss of a minority of the servers in the cluster\n"
            "- a leader never overwrites or deletes entries in its own log while it leads the cluster\n\n"
            "Elections use randomized timeouts of 150 to 300 ms, so split votes are rare in practice.\n\n"
            "Clients send all requests to the leader, which appends them to its log before replying.\n",
            "Two properties are essential:\n- every committed entry survives the loss of a minority of the servers in the cluster\n\n"
            "Elections use randomized timeouts of 150 to 300 ms, so split votes are rare in practice.",
        ),
    ],
)
def test_what_the_extractive_summary_keeps(text: str, summary: str) -> None:
    assert summarise.summarise(text) == summary
