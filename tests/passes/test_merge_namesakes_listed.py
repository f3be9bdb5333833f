"""Which namesakes `consolidate` merges or lists for a person to look at. One file name in two
folders is normal in Obsidian: a student vault's daily notes of one date in each course's folder,
its `Documents.md` and `Deadlines.md` per university, its `Overview.md` per project (shapes
from a real vault). Listed: only pages that share at least half of their prose (what lint's
duplicate-page warns about). Never merged nor listed: a page of each of two parallel folders
(folders that share other page names, and are not copies of each other), however alike."""

from __future__ import annotations

import datetime
from pathlib import Path

from kbsleep.llm import select_engine
from kbsleep.passes.consolidate import ConsolidateReport, Options, consolidate, evidence
from kbsleep.wiki import open_wiki

CHECKLIST = "- [x] Motivational letter\n- [x] CV\n- [x] English Language Proficiency Document\n- [x] Preliminary Learning Plan\n- [x] Previous Year's Results\n"
VAULT = {
    # one date, two courses: nothing in common
    "Statistics/2024-09-09.md": "# Sampling\n\nA sample is a subset of a population drawn to estimate its parameters.\n",
    "Graph Algorithms/2024-09-09.md": "# Shortest paths\n\nDijkstra's algorithm finds shortest paths from one source when no weight is negative.\n",
    # one checklist per university: most of it the same, the universities' other pages not
    "Aalto/Documents.md": CHECKLIST,
    "Tampere/Documents.md": CHECKLIST.replace("Motivational letter", "Motivational letter - REVIEW"),
    "Aalto/Deadlines.md": "- 2025-01-27 Application opens at Aalto University for the spring term\n",
    "Tampere/Deadlines.md": "- 2025-02-24 Nomination closes at Tampere University for exchange students\n",
    # one checklist in two folders that share no other page name: listed
    "Erasmus/Checklist.md": CHECKLIST,
    "Archive/Checklist.md": CHECKLIST.replace("Motivational letter", "Motivational letter - REVIEW").replace("- [x] CV\n", "").replace("Previous Year's Results", "Transcript of Records"),
    # too little prose to measure, and nothing of it shared
    "Internship/Overview.md": "# Overview\n\nSonar work.\n",
    "Semester/Overview.md": "# Overview\n\nFive courses.\n",
    # too little prose to measure, all of it shared
    "a/Beacon.md": "# Beacon\n\nAlpha bravo charlie delta.\n",
    "b/Beacon.md": "# Beacon\n\nAlpha bravo charlie delta.\n",
}


def test_only_namesakes_that_share_much_of_their_prose_and_not_each_their_folders_are_listed(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(VAULT)
    found = evidence.candidates(open_wiki(root))

    assert found.groups == ()
    assert found.look_at == (
        (("Archive/Checklist.md", "Erasmus/Checklist.md"), "same file name `Checklist`, but the pages not merged share at most 60% of their prose (a merge needs 80%): not merged"),
        (("a/Beacon.md", "b/Beacon.md"), "same file name `Beacon`, but too little prose to compare (a merge needs 10 three-word runs on each page, besides text many pages share): not merged"),
    )


def test_consolidate_reports_those_and_writes_nothing(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo(VAULT)
    wiki = open_wiki(root)
    report: ConsolidateReport = consolidate(wiki, select_engine(wiki.config.llm, "offline"), Options(only=("duplicates",), today=datetime.date(2026, 3, 20)))

    assert report.commits == ()
    assert [left.path for left in report.left] == ["Archive/Checklist.md", "a/Beacon.md"]
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("Documents.md")) == ["Aalto/Documents.md", "Tampere/Documents.md"]
