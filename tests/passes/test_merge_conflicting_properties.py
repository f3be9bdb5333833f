"""What a merge does with a property both pages set, to different values (`properties`).

Nothing is dropped without a word. Pages whose `type` (or `kind`) differs say they are two kinds
of thing: they are listed for a person, never merged. A bookkeeping date takes one rule: the
later `updated`, the earlier `created`, as the page that has it wrote it. Any other property
keeps the kept page's value, and the other value is written in the report (what the run left for
a person to look at, and log.md) and in the commit message body.
"""

from __future__ import annotations

from kbsleep.passes.consolidate.properties import conflicts, taken
from kbsleep.passes.consolidate.safety import parse
from tests.conftest import git
from tests.passes.test_merge_footer import LINKS, PROSE, run


def page(front: str) -> str:
    return f"---\ntitle: RV Tern\n{front}---\n\n" + PROSE


def merged(make_repo, kept: str, other: str):  # type: ignore[no-untyped-def]
    """The repo after consolidating `Tern.md` (`kept`, the page linked from the most pages) with `boats/RV Tern.md` (`other`), and its report."""
    root = make_repo({"Tern.md": kept, "boats/RV Tern.md": other, **LINKS})
    return root, run(root)


def test_pages_of_different_types_are_listed_not_merged(make_repo) -> None:  # type: ignore[no-untyped-def]
    root, report = merged(make_repo, page("type: source\n"), page("type: entity\n"))
    assert (root / "boats/RV Tern.md").exists() and report.summary == "nothing to do"
    [left] = report.left
    assert left.path == "Tern.md" and "a different `type` (source, entity): two kinds of thing, not merged" in left.reason


def test_a_kind_written_in_another_case_is_one_kind(make_repo) -> None:  # type: ignore[no-untyped-def]
    root, report = merged(make_repo, page("kind: Vessel\n"), page("kind: vessel\n"))
    assert not (root / "boats/RV Tern.md").exists()
    assert (root / "Tern.md").read_text().startswith("---\ntitle: RV Tern\nkind: Vessel\n")
    assert "kept `kind: Vessel`, `boats/RV Tern.md` had `vessel`" in report.steps[0].outcome.done[0]


def test_another_value_is_kept_page_s_and_written_in_the_report_and_the_commit(make_repo) -> None:  # type: ignore[no-untyped-def]
    # (one date written two ways is no conflict)
    root, report = merged(make_repo, page("status: draft\ndate: 2025-03-04\n"), page("status: final\ndate: '2025-03-04'\n"))
    assert (root / "Tern.md").read_text() == page("status: draft\ndate: 2025-03-04\n")
    assert report.steps[0].outcome.done[0].endswith("; properties: kept `status: draft`, `boats/RV Tern.md` had `final`")
    [left] = report.left  # shown where the terminal report shows what is left for a person
    assert left.path == "Tern.md" and left.reason == "merged boats/RV Tern.md; look at the properties they set differently: kept `status: draft`, `boats/RV Tern.md` had `final`"
    body = git(root, "log", "-1", "--format=%B")
    assert "- boats/RV Tern.md: merged into Tern.md; properties: kept `status: draft`, `boats/RV Tern.md` had `final`\n" in body


def test_updated_takes_the_later_date_as_its_page_wrote_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    root, report = merged(make_repo, page("updated: 2025-01-02\nstatus: ok\n"), page("updated: '2025-03-04'  # re-ingested\nstatus: ok\n"))
    assert (root / "Tern.md").read_text() == page("updated: '2025-03-04'  # re-ingested\nstatus: ok\n")
    assert "`updated: 2025-03-04` (the later date, from `boats/RV Tern.md`; was `2025-01-02`)" in report.steps[0].outcome.done[0]
    assert not report.left  # a rule decided it: nothing for a person to look at


def test_updated_already_the_later_stays_and_is_written_down(make_repo) -> None:  # type: ignore[no-untyped-def]
    root, report = merged(make_repo, page("updated: 2025-05-06\n"), page("updated: 2025-03-04\n"))
    assert (root / "Tern.md").read_text() == page("updated: 2025-05-06\n")
    assert "kept `updated: 2025-05-06` (the later date; `boats/RV Tern.md` had `2025-03-04`)" in report.steps[0].outcome.done[0]
    assert not report.left


def test_created_takes_the_earlier_date(make_repo) -> None:  # type: ignore[no-untyped-def]
    root, _ = merged(make_repo, page("created: 2025-02-01T10:00:00\ntags: [boat]\n"), page("created: 2024-12-31\ntags: [survey]\n"))
    assert (root / "Tern.md").read_text() == page("created: 2024-12-31\ntags: [boat, survey]\n")


def test_the_linter_plugin_s_timestamp_keys_take_the_same_rules(make_repo) -> None:  # type: ignore[no-untyped-def]
    kept = page("date created: 2025-02-01\ndate modified: 2025-02-01\n")
    root, _ = merged(make_repo, kept, page("date created: 2025-01-05\ndate modified: 2025-03-09\n"))
    assert (root / "Tern.md").read_text() == page("date created: 2025-01-05\ndate modified: 2025-03-09\n")


def test_a_date_that_is_not_a_date_keeps_the_kept_page_s(make_repo) -> None:  # type: ignore[no-untyped-def]
    root, report = merged(make_repo, page("updated: last spring\n"), page("updated: 2025-03-04\n"))
    assert (root / "Tern.md").read_text() == page("updated: last spring\n")
    assert "kept `updated: last spring`, `boats/RV Tern.md` had `2025-03-04`" in report.steps[0].outcome.done[0]




def test_a_date_whose_lines_cannot_be_swapped_exactly_keeps_the_kept_page_s() -> None:
    # (a quoted key: the report never says a value was taken that the page does not have)
    kept, other = parse("Tern.md", page('"updated": 2025-01-02\n')), parse("boats/RV Tern.md", page("updated: 2025-03-04\n"))
    assert [str(c) for c in conflicts(kept, [other])] == ["kept `updated: 2025-01-02`, `boats/RV Tern.md` had `2025-03-04`"]
    assert taken(kept, [other], "\n") == []


def test_in_a_group_of_three_each_page_s_value_is_written_against_the_value_kept(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Tern.md": page("updated: 2025-01-01\n"), "boats/RV Tern.md": page("updated: 2025-03-01\n"), "old/RV Tern.md": page("updated: 2025-02-01\n"), **LINKS})
    run(root)
    assert (root / "Tern.md").read_text() == page("updated: 2025-03-01\n")
    body = git(root, "log", "-1", "--format=%B")
    assert "- boats/RV Tern.md: merged into Tern.md; properties: `updated: 2025-03-01` (the later date, from `boats/RV Tern.md`; was `2025-01-01`)\n" in body
    assert "- old/RV Tern.md: merged into Tern.md; properties: kept `updated: 2025-03-01` (the later date; `old/RV Tern.md` had `2025-02-01`)\n" in body
