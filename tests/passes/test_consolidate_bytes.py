"""`consolidate` writes only pages it read exactly, and changes no byte outside the edit it planned.

Each page here is a way real vaults differ from what kbsleep writes itself: Latin-1 bytes, a
byte order mark, CRLF or mixed line endings, a last line without a newline. Every task is
tried on them: links, duplicates (the survivor and the pages it relinks), inbox (the topic page
and the archived note), contradictions, index and log.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Callable

import pytest

from kbsleep.git.transaction import Edit
from kbsleep.llm import select_engine
from kbsleep.passes import consolidate as consolidate_module
from kbsleep.passes.consolidate import Options, consolidate
from kbsleep.passes.consolidate.records import Outcome
from kbsleep.wiki import open_wiki
from kbsleep.wiki.fences import OutsideFence
from kbsleep.wiki.spans import OutsideSpans
from tests.conftest import git

TODAY = datetime.date(2026, 3, 20)
BOM = b"\xef\xbb\xbf"
FIXTURE = Path(__file__).parent.parent / "fixtures" / "consolidate" / "wiki"
LATIN1_REASON = "not valid UTF-8 (byte 0xe9 at line {line}, column {column}): kbsleep rewrites only pages it can read exactly"


def run(root: Path, *only: str):  # type: ignore[no-untyped-def]
    wiki = open_wiki(root)
    return consolidate(wiki, select_engine(wiki.config.llm, "offline"), Options(only=only, today=TODAY))


def original(path: str) -> bytes:
    return (FIXTURE / path).read_bytes()


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.md")) if ".git" not in p.parts and ".kbsleep" not in p.parts}


def endings(data: bytes) -> set[bytes]:
    return set(re.findall(rb"\r\n|\r|\n", data))


def insertion(old: bytes, new: bytes) -> bytes:
    """What `new` inserts into `old` at one point, asserting that is all it does."""
    head = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    tail = len(old) - head
    assert len(new) >= len(old) and new[:head] == old[:head] and new[len(new) - tail :] == old[head:], "more than one insertion"
    return new[head : len(new) - tail]


def crlf(data: bytes) -> bytes:
    return data.replace(b"\n", b"\r\n")


def bom(data: bytes) -> bytes:
    return BOM + data


def bom_crlf(data: bytes) -> bytes:
    return BOM + crlf(data)


# -- the whole run ---------------------------------------------------------------------------------


@pytest.mark.parametrize("form", [crlf, bom, bom_crlf], ids=["CRLF", "BOM", "BOM and CRLF"])
def test_a_run_on_pages_with_a_bom_or_crlf_writes_what_it_writes_on_plain_pages_in_their_form(make_repo, form: Callable[[bytes], bytes]) -> None:
    plain = make_repo(fixture="consolidate/wiki", name="plain")
    formed = make_repo({p.relative_to(FIXTURE).as_posix(): form(p.read_bytes()) for p in FIXTURE.rglob("*.md")}, name="formed")
    assert [s.outcome.task for s in run(plain).steps if s.commit] == ["links", "duplicates", "inbox", "contradictions", "index", "log"]
    report = run(formed)
    assert [s.outcome.task for s in report.steps if s.commit] == ["links", "duplicates", "inbox", "contradictions", "index", "log"]
    assert [(item.task, item.path) for item in report.left] == [("inbox", "inbox/both.md")]
    written, expected = files(formed), {path: form(data) for path, data in files(plain).items()}
    assert written.keys() == expected.keys()
    for path in written:
        assert written[path] == expected[path], path


# -- links ----------------------------------------------------------------------------------------

TARGET = b"---\naliases:\n  - Tgt\n---\n\n# Target\n\nThe Target page is where the links go.\n"


def test_links_changes_only_the_links_it_repairs_on_a_page_with_a_bom_mixed_endings_and_no_final_newline(make_repo) -> None:
    page = BOM + b"# Mixed\r\n\r\nSee [[Tgt]] here.\n\r\nAnd [[Targte]] there."
    repo = make_repo({"Target.md": TARGET, "Mixed.md": page})
    report = run(repo, "links")
    assert report.left == ()
    assert (repo / "Mixed.md").read_bytes() == BOM + b"# Mixed\r\n\r\nSee [[Target|Tgt]] here.\n\r\nAnd [[Target]] there."


def test_links_leaves_a_page_that_is_not_utf8_with_its_reason(make_repo) -> None:
    page = b"# Caf\xe9\n\nSee [[Tgt]] here.\n"
    repo = make_repo({"Target.md": TARGET, "Latin.md": page})
    report = run(repo, "links")
    assert [(item.task, item.path, item.reason) for item in report.left] == [("links", "Latin.md", LATIN1_REASON.format(line=1, column=6))]
    assert report.commits == () and (repo / "Latin.md").read_bytes() == page


# -- duplicates -----------------------------------------------------------------------------------


def test_a_merge_survivor_keeps_its_bom_line_endings_and_frontmatter_but_the_keys_it_unions(make_repo) -> None:
    repo = make_repo({"concepts/Tidal Mixing.md": bom_crlf(original("concepts/Tidal Mixing.md"))}, fixture="consolidate/wiki")
    run(repo, "duplicates")
    merged = (repo / "concepts/Tidal Mixing.md").read_bytes()
    assert merged.startswith(BOM + b"---\r\ntitle: Tidal Mixing\r\ntags:\r\n  - concept\r\n  - notes\r\naliases:\r\n  - mixing notes\r\n---\r\n\r\n# Tidal Mixing\r\n")
    assert endings(merged) == {b"\r\n"} and merged.count(BOM) == 1
    assert b"## Basic idea\r\n\r\nStirring competes with heating" in merged


def test_a_page_linking_to_a_merged_page_changes_only_in_those_links(make_repo) -> None:
    liis = BOM + crlf(original("people/Liis Varte.md")).replace(b"for the team.\r\n", b"for the team.\n").rstrip(b"\r\n")
    repo = make_repo({"people/Liis Varte.md": liis}, fixture="consolidate/wiki")
    run(repo, "duplicates")
    assert (repo / "people/Liis Varte.md").read_bytes() == (
        liis.replace(b"[[mixing notes]]", b"[[Tidal Mixing|mixing notes]]").replace(b"[[tidal-mixing-notes#Basic idea]]", b"[[Tidal Mixing#Basic idea|tidal-mixing-notes]]")
    )


def test_a_merge_with_a_page_that_is_not_utf8_is_not_made(make_repo) -> None:
    notes = original("concepts/tidal-mixing-notes.md").replace(b"Stirring competes", b"Stirring (m\xe9lange) competes")
    repo = make_repo({"concepts/tidal-mixing-notes.md": notes}, fixture="consolidate/wiki")
    report = run(repo, "duplicates")
    reason = "merge of concepts/tidal-mixing-notes.md not made: concepts/tidal-mixing-notes.md: " + LATIN1_REASON.format(line=15, column=12)
    assert [(item.path, item.reason) for item in report.left] == [("concepts/Tidal Mixing.md", reason)]
    assert report.commits == () and (repo / "concepts/tidal-mixing-notes.md").read_bytes() == notes


def test_a_merge_whose_linking_page_is_not_utf8_is_not_made(make_repo) -> None:
    liis = original("people/Liis Varte.md").replace(b"for the team.", b"for the \xe9quipe.")
    repo = make_repo({"people/Liis Varte.md": liis}, fixture="consolidate/wiki")
    report = run(repo, "duplicates")
    reason = f"merge of concepts/tidal-mixing-notes.md not made: people/Liis Varte.md: {LATIN1_REASON.format(line=8, column=78)} (it links to a page the merge removes)"
    assert [(item.path, item.reason) for item in report.left] == [("concepts/Tidal Mixing.md", reason)]
    assert report.commits == () and (repo / "people/Liis Varte.md").read_bytes() == liis


# -- inbox ----------------------------------------------------------------------------------------

NOTE = "inbox/cradle-2026-03-14.md"
ROVER = "vehicles/Kestrel Rover.md"


def test_a_note_is_appended_to_a_crlf_page_without_final_newline_in_crlf_and_nothing_else_changes(make_repo) -> None:
    rover = crlf(original(ROVER)).rstrip(b"\r\n")
    repo = make_repo({ROVER: rover}, fixture="consolidate/wiki")
    run(repo, "inbox")
    assert (repo / ROVER).read_bytes() == rover + (
        b"\r\n\r\n## Notes\r\n\r\n### 2026-03-14 \xe2\x80\x94 from [[cradle-2026-03-14]]\r\n\r\n"
        b"The Kestrel Rover cradle weld cracked; the Kestrel cannot launch until it is fixed. 2 spares ordered, ask [[Liis Varte]].\r\n"
    )


def test_a_note_goes_at_the_end_of_an_existing_notes_section_and_the_blank_lines_after_it_stay(make_repo) -> None:
    rover = original(ROVER).replace(b"## Known issues", b"## Notes\n\n### 2026-01-02 \xe2\x80\x94 from [[first]]\n\nFirst note.\n\n\n## Known issues")
    repo = make_repo({ROVER: rover}, fixture="consolidate/wiki")
    run(repo, "inbox")
    entry = (
        b"\n### 2026-03-14 \xe2\x80\x94 from [[cradle-2026-03-14]]\n\n"
        b"The Kestrel Rover cradle weld cracked; the Kestrel cannot launch until it is fixed. 2 spares ordered, ask [[Liis Varte]].\n"
    )
    assert (repo / ROVER).read_bytes() == rover.replace(b"First note.\n", b"First note.\n" + entry)


def test_an_archived_note_keeps_its_exact_bytes(make_repo) -> None:
    note = bom_crlf(original(NOTE))
    repo = make_repo({NOTE: note}, fixture="consolidate/wiki")
    run(repo, "inbox")
    assert (repo / "inbox/archive/cradle-2026-03-14.md").read_bytes() == note
    assert endings((repo / ROVER).read_bytes()) == {b"\n"}  # the note's text takes the page's line ending


def test_a_note_that_is_not_utf8_stays_in_the_inbox_with_its_reason(make_repo) -> None:
    note = original(NOTE).replace(b"2 spares ordered", b"2 spares ordered (r\xe9f. 12)")
    repo = make_repo({NOTE: note}, fixture="consolidate/wiki")
    report = run(repo, "inbox")
    assert (NOTE, LATIN1_REASON.format(line=1, column=104)) in [(item.path, item.reason) for item in report.left]
    assert (repo / NOTE).read_bytes() == note and (repo / ROVER).read_bytes() == original(ROVER)


def test_a_note_is_not_folded_into_a_page_that_is_not_utf8(make_repo) -> None:
    rover = original(ROVER).replace(b"soft mud.", b"soft mud (vase, d\xe9p\xf4t).")
    repo = make_repo({ROVER: rover}, fixture="consolidate/wiki")
    report = run(repo, "inbox")
    reason = f"fold into {ROVER} not made: " + LATIN1_REASON.format(line=14, column=42)
    assert (NOTE, reason) in [(item.path, item.reason) for item in report.left]
    assert (repo / ROVER).read_bytes() == rover and (repo / NOTE).read_bytes() == original(NOTE)


# -- contradictions -------------------------------------------------------------------------------

LIIS = "people/Liis Varte.md"
EVRA = "places/Port Evra.md"


def test_a_callout_goes_into_crlf_pages_in_crlf_and_is_all_that_changes(make_repo) -> None:
    pages = {LIIS: crlf(original(LIIS)), EVRA: BOM + crlf(original(EVRA)).rstrip(b"\r\n")}
    repo = make_repo(pages, fixture="consolidate/wiki")
    run(repo, "contradictions")
    for path, old in pages.items():
        added = insertion(old, (repo / path).read_bytes())
        assert b"> [!warning] Conflicting sources\r\n" in added and endings(added) == {b"\r\n"}, path
        assert added.startswith(b"\r\n<!-- kbsleep:conflict -->\r\n") or added.startswith(b"<!-- kbsleep:conflict -->"), path


def test_a_conflict_with_a_page_that_is_not_utf8_is_left_with_its_reason(make_repo) -> None:
    evra = original(EVRA).replace(b"A harbour town.", b"A harbour town (le port, \xe0 l'est).")
    repo = make_repo({EVRA: evra}, fixture="consolidate/wiki")
    report = run(repo, "contradictions")
    reason = f"conflicting-facts with {EVRA} not flagged: {EVRA}: " + LATIN1_REASON.format(line=8, column=26).replace("0xe9", "0xe0")
    assert [(item.path, item.reason) for item in report.left] == [(LIIS, reason)]
    assert report.commits == () and (repo / EVRA).read_bytes() == evra


# -- index ----------------------------------------------------------------------------------------


def test_the_catalogue_is_appended_to_a_bom_crlf_index_after_its_blank_lines_in_crlf(make_repo) -> None:
    index = bom_crlf(original("index.md")) + b"\r\n\r\n"
    repo = make_repo({"index.md": index}, fixture="consolidate/wiki")
    run(repo, "index")
    added = insertion(index, (repo / "index.md").read_bytes())
    assert added.startswith(b"<!-- kbsleep:index v=1 source=") and added.endswith(b"<!-- /kbsleep:index -->\r\n")
    assert endings(added) == {b"\r\n"}


def test_a_catalogue_in_a_crlf_index_is_replaced_in_crlf_and_nothing_around_it_changes(make_repo) -> None:
    repo = make_repo({"index.md": crlf(original("index.md"))}, fixture="consolidate/wiki")
    run(repo, "index")
    old = (repo / "index.md").read_bytes().replace(b"# Index", b"# Index of the programme") + b"\r\nSee also the log.\r\n"
    (repo / "index.md").write_bytes(old)
    (repo / "places/Harbour.md").write_text("# Harbour\n\nThe harbour of Port Evra.\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a new page, a retitled index")
    run(repo, "index")
    new = (repo / "index.md").read_bytes()
    assert OutsideFence("index").check(old, new) is None
    assert b"- [[Harbour]] \xe2\x80\x94 The harbour of Port Evra.\r\n" in new and endings(new) == {b"\r\n"}


def test_an_index_that_is_not_utf8_is_left_with_its_reason(make_repo) -> None:
    index = original("index.md").replace(b"Hand-written", b"Hand-written (r\xe9sum\xe9)")
    repo = make_repo({"index.md": index}, fixture="consolidate/wiki")
    report = run(repo, "index")
    assert [(item.task, item.path, item.reason) for item in report.left] == [("index", "index.md", LATIN1_REASON.format(line=3, column=16))]
    assert report.commits == () and (repo / "index.md").read_bytes() == index


# -- log ------------------------------------------------------------------------------------------


def test_log_entries_are_appended_to_a_bom_crlf_log_without_final_newline_in_crlf(make_repo) -> None:
    log = bom_crlf(original("log.md")).rstrip(b"\r\n")
    repo = make_repo({"log.md": log}, fixture="consolidate/wiki")
    run(repo, "links", "log")
    new = (repo / "log.md").read_bytes()
    assert new.startswith(log + b"\r\n\r\n## [2026-03-20] consolidate | links: repair 3 links in 1 page\r\n\r\n- [[Liis Varte]]: ")
    assert endings(new) == {b"\r\n"}


def test_a_log_that_is_not_utf8_is_left_with_its_reason(make_repo) -> None:
    log = original("log.md").replace(b"Started the wiki.", b"Started the wiki (cr\xe9\xe9).")
    repo = make_repo({"log.md": log}, fixture="consolidate/wiki")
    report = run(repo, "links", "log")
    assert [(item.task, item.path, item.reason) for item in report.left] == [("log", "log.md", LATIN1_REASON.format(line=5, column=21))]
    assert (repo / "log.md").read_bytes() == log and len(report.commits) == 1  # the links, not the log


# -- the check of every plan ----------------------------------------------------------------------


def test_a_task_whose_edit_changes_bytes_it_did_not_plan_to_is_dropped_and_reported(make_repo, monkeypatch: pytest.MonkeyPatch) -> None:
    page = BOM + b"# Page\r\n\r\nText.\r\n"
    repo = make_repo({"Page.md": page})

    def careless(wiki, context) -> Outcome:  # type: ignore[no-untyped-def]
        # Reads the page as lint does (no BOM) and appends in LF: two bytes it did not plan to change.
        text = wiki.pages["Page.md"].text + "\nMore.\n"
        keep = OutsideSpans("the line it appends", ((len(page), len(page)),))
        return Outcome("links", "append a line", (Edit("Page.md", text, "appended", keep=keep),), done=("appended",))

    monkeypatch.setitem(consolidate_module.TASKS, "links", careless)
    report = run(repo, "links")
    [left] = report.left
    assert left.path == "Page.md" and left.reason == (
        "refused: the plan would write Page.md, but its bytes outside the line it appends would change (first at line 1, column 1); nothing of it was written"
    )
    assert report.commits == () and (repo / "Page.md").read_bytes() == page
