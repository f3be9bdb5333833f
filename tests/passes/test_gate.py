"""The gate of every pass: the wiki as a plan would leave it, in memory, and no new error-tier finding."""

from __future__ import annotations

import dataclasses

import datetime
from pathlib import Path

import pytest

from kbsleep.config import Config
from kbsleep.git.transaction import Edit
from kbsleep.llm import select_engine
from kbsleep.passes import gate
from kbsleep.passes.consolidate import Options, TASKS, consolidate
from kbsleep.passes.consolidate.records import Outcome
from kbsleep.wiki import load_wiki, open_wiki, with_texts
from tests.conftest import git, write_files

FILES = {
    "Alpha.md": "---\naliases:\n  - First\n---\n# Alpha\n\nSee [[Beta]] and [[Beta#Details]].\n\n## Notes\n\nA note. ^n1\n",
    "Beta.md": "# Beta\n\nBack to [[Alpha#Notes]] and [[First]].\n\n## Details\n\nMore.\n",
    "Gamma.md": "# Gamma\n\nAn old broken link: [[Nowhere]]. And [beta](Beta.md#details).\n",
    "sub/Delta.md": "# Delta\n\n![[Alpha#^n1]] and [[Gamma]].\n",
}


@pytest.fixture
def wiki(tmp_path: Path):  # type: ignore[no-untyped-def]
    write_files(tmp_path, FILES)
    return load_wiki(tmp_path, Config(), use_cache=False)


def outcomes(wiki) -> dict[str, tuple]:  # type: ignore[no-untyped-def]
    return {path: wiki.outlinks.outcomes(path) for path in wiki.pages}


# -- the planned wiki ------------------------------------------------------------------------------


PLANS = [
    {"Beta.md": None},  # a removed page: its links break, its name frees
    {"Beta.md": "# Beta\n\nNo details any more.\n"},  # a heading gone: anchors to it break
    {"Alpha.md": "# Alpha\n\nNo aliases, no block.\n"},  # an alias and a block id gone
    {"Epsilon.md": "---\naliases:\n  - Nowhere\n---\n# Epsilon\n"},  # a new page claims a missing name
    {"sub/Beta.md": "# Beta two\n"},  # a second page of the same file name
]


@pytest.mark.parametrize("plan", PLANS)
def test_the_planned_wiki_is_the_wiki_loaded_from_those_files(tmp_path: Path, wiki, plan: dict[str, str | None]) -> None:  # type: ignore[no-untyped-def]
    planned = with_texts(wiki, plan)
    for path, text in plan.items():
        if text is None:
            (tmp_path / path).unlink()
        else:
            write_files(tmp_path, {path: text})
    fresh = load_wiki(tmp_path, Config(), use_cache=False)

    assert list(planned.pages) == list(fresh.pages)
    assert outcomes(planned) == outcomes(fresh)
    assert {p: planned.backlinks.linking([p]) for p in fresh.pages} == {p: fresh.backlinks.linking([p]) for p in fresh.pages}
    assert planned.pages["Gamma.md"] is wiki.pages["Gamma.md"]  # unchanged pages are not parsed again


def test_the_planned_wiki_writes_nothing(tmp_path: Path, wiki) -> None:  # type: ignore[no-untyped-def]
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with_texts(wiki, {"Beta.md": None, "New.md": "# New\n"})
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


# -- new error-tier findings ---------------------------------------------------------------------


def test_removing_a_linked_page_is_new_broken_links_on_the_pages_linking_to_it(wiki) -> None:  # type: ignore[no-untyped-def]
    verdict = gate.check(wiki, [Edit("Beta.md", None)])

    assert [(d.path, d.location.line, d.name) for d in verdict.new] == [
        ("Alpha.md", 7, "broken-link"), ("Alpha.md", 7, "broken-link"), ("Gamma.md", 3, "broken-link"),
    ]  # fmt: skip
    assert not verdict.ok and verdict.checked == 3  # Beta, and the two pages linking to it
    assert verdict.reason().startswith("it would add 3 error-tier lint findings: Alpha.md:7 broken-link: broken link: `[[Beta]]`")


def test_a_heading_removed_is_a_new_broken_anchor(wiki) -> None:  # type: ignore[no-untyped-def]
    verdict = gate.check(wiki, [Edit("Alpha.md", FILES["Alpha.md"].replace("## Notes", "## Remarks"))])
    assert [(d.path, d.name, d.message) for d in verdict.new] == [("Beta.md", "broken-anchor", "heading `Notes` not found in Alpha.md")]


def test_a_finding_the_page_had_before_is_not_new_even_when_it_moved_down(wiki) -> None:  # type: ignore[no-untyped-def]
    verdict = gate.check(wiki, [Edit("Gamma.md", "# Gamma\n\nThree new lines.\n\nOf text.\n\n" + FILES["Gamma.md"].split("\n", 2)[2])])
    assert verdict.ok and verdict.new == ()


def test_a_finding_carried_by_a_merge_to_the_survivor_is_not_new(wiki) -> None:  # type: ignore[no-untyped-def]
    merged = FILES["Beta.md"] + "\nAn old broken link: [[Nowhere]]. And [beta](Beta.md#details).\n"
    edits = [Edit("Beta.md", merged), Edit("Gamma.md", None), Edit("sub/Delta.md", "# Delta\n\n![[Alpha#^n1]] and [[Beta]].\n")]

    assert gate.check(wiki, edits).new != ()  # as a new page's finding it would be new...
    assert gate.check(wiki, edits, {"Gamma.md": "Beta.md"}).ok  # ...but it came with Gamma's text


def test_only_error_tier_findings_count(wiki) -> None:  # type: ignore[no-untyped-def]
    verdict = gate.check(wiki, [Edit("Orphan.md", "# Orphan\n\n## Empty section\n")])  # orphan-page, empty-section: warnings
    assert verdict.ok


def test_rules_the_config_ignores_do_not_count(tmp_path: Path) -> None:
    write_files(tmp_path, {**FILES, "kbsleep.toml": '[lint]\nignore = ["broken-link"]\n'})
    wiki = open_wiki(tmp_path)
    assert gate.check(wiki, [Edit("Beta.md", None)]).ok


# -- only pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, why",
    [
        ("Alpha.md", None),
        ("New page.md", None),  # no file yet: a page may be created
        (".github/pull_request_template.md", "hidden"),
        ("sub/.hidden/y.md", "hidden"),
        ("drafts/d.md", "excluded by the config"),
        ("notes.txt", "not a Markdown page"),
        ("../outside.md", "outside the wiki"),
        ("ignored.md", "not a page of the wiki"),  # a file git ignores
    ],
)
def test_a_pass_writes_only_pages(make_repo, path: str, why: str | None) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({**FILES, "kbsleep.toml": 'exclude = ["drafts/**"]\n', "drafts/d.md": "# D\n", ".gitignore": "ignored.md\n", "ignored.md": "# Ignored\n"})
    refused = gate.refused(open_wiki(repo), path)

    assert refused is None if why is None else refused is not None and refused.startswith(why)


# -- consolidate: a task that would add a finding is dropped, the rest goes on -------------------------


def test_a_consolidate_task_that_would_break_a_link_is_dropped_and_reported(make_repo, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(FILES)

    def breaking(wiki, context):  # type: ignore[no-untyped-def]
        return Outcome("links", "rename a heading", (Edit("Beta.md", FILES["Beta.md"].replace("## Details", "## Particulars")),), done=("renamed",))

    monkeypatch.setitem(TASKS, "links", breaking)
    wiki = open_wiki(repo)
    report = consolidate(wiki, select_engine(wiki.config.llm, "offline"), Options(only=("links", "index"), today=datetime.date(2026, 3, 20)))

    [links, index] = report.steps
    assert links.commit is None and links.outcome.edits == () and links.outcome.done == ()
    [left] = links.outcome.left
    assert left.path == "Alpha.md" and left.reason.startswith("refused: it would add 2 error-tier lint findings: Alpha.md:7 broken-anchor: heading `Details` not found in Beta.md")
    assert index.commit is not None and "## Details" in (repo / "Beta.md").read_text(encoding="utf-8")
    assert git(repo, "status", "--porcelain") == ""


def test_a_planned_page_once_written_is_not_parsed_again(tmp_path: Path, wiki) -> None:  # type: ignore[no-untyped-def]
    text = "# Beta\n\nRewritten by a plan.\n"
    planned = with_texts(wiki, {"Beta.md": text})
    write_files(tmp_path, {"Beta.md": text})
    loaded = load_wiki(tmp_path, Config(), use_cache=False)

    assert planned.stats == {"parsed": 1, "cached": 3}
    assert loaded.stats["parsed"] == 3  # every page but the planned one: no cache here
    assert loaded.pages["Beta.md"].headings == planned.pages["Beta.md"].headings and loaded.pages["Beta.md"].text == text


def test_anticipate_skips_a_page_whose_answers_would_add_a_finding_and_writes_the_rest(make_repo, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from kbsleep.passes import anticipate as module

    repo = make_repo(fixture="merges/scoped")
    edit = module.edit

    def breaking_port_evra(wiki, page, qas, result, today, reason):  # type: ignore[no-untyped-def]
        # A broken link inside the section: the byte check lets it through (it changes nothing
        # outside the section), the lint gate does not.
        planned = edit(wiki, page, qas, result, today, reason)
        if page.path != "places/Port Evra.md":
            return planned
        return dataclasses.replace(planned, text=planned.text.replace("<!-- /kbsleep:anticipate -->", "See the [[Kestrel Rovers]].\n<!-- /kbsleep:anticipate -->"))

    monkeypatch.setattr(module, "edit", breaking_port_evra)
    wiki = open_wiki(repo)
    outcome = module.anticipate(wiki, select_engine(wiki.config.llm, "offline"), module.Options())

    assert {w.path for w in outcome.written} == {"vehicles/Kestrel Rover.md"}
    [skip] = outcome.skipped
    assert skip.path == "places/Port Evra.md"
    assert skip.reason == "not written: it would add 1 error-tier lint finding: places/Port Evra.md:18 broken-link: broken link: `[[Kestrel Rovers]]` matches no page or attachment"
    assert outcome.commit is not None and outcome.commit.paths == ("vehicles/Kestrel Rover.md",)
    assert "Kestrel Rovers" not in (repo / "places/Port Evra.md").read_text(encoding="utf-8")
