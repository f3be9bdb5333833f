"""Where answers live: `anticipate.store = "page"` or `"sidecar"`; ask, status, stale-generated
and undo work the same with both, and a sidecar is never a page."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.git import transaction
from kbsleep.ask import ask
from kbsleep.cli import main
from kbsleep.config import load_config
from kbsleep.errors import KbsleepError
from kbsleep.search.index import Index
from kbsleep.lint import lint
from kbsleep.llm import select_engine
from kbsleep.passes.anticipate import Options, anticipate
from kbsleep.state import ensure_state_dir
from kbsleep.status import status
from kbsleep.wiki import open_wiki
from tests.conftest import FIXTURES, git

PAGES = ("people/Dev Arunachalam.md", "places/Port Evra.md", "projects/Cobalt.md")
EVRA = "places/Port Evra.md"
SIDECAR = "_kbsleep/answers/places/Port Evra.md"
GOLDEN = FIXTURES / "anticipate" / "golden"


def run(root: Path, **options) -> object:
    wiki = open_wiki(root)
    return anticipate(wiki, select_engine(wiki.config.llm, "offline", state_dir=ensure_state_dir(root)), Options(**options))


def inside(text: str) -> str:
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("<!-- kbsleep:anticipate "))
    end = next(i for i, line in enumerate(lines) if line.startswith("<!-- /kbsleep:anticipate"))
    return "".join(lines[start + 1 : end])


def edit_evra(root: Path) -> None:
    page = root / EVRA
    page.write_text(page.read_text(encoding="utf-8").replace("1884", "1885", 1), encoding="utf-8")
    git(root, "commit", "-qam", "edit")


@pytest.fixture(params=["page", "sidecar"])
def store(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def repo(make_repo, store: str) -> Path:
    return make_repo({"kbsleep.toml": f'[anticipate]\nstore = "{store}"\n'}, fixture="anticipate/wiki")


@pytest.fixture
def sidecar_repo(make_repo) -> Path:
    return make_repo({"kbsleep.toml": '[anticipate]\nstore = "sidecar"\n'}, fixture="anticipate/wiki")


def holder(store: str, page: str) -> str:
    return page if store == "page" else f"_kbsleep/answers/{page}"


# -- the sidecar store ---------------------------------------------------------------------------


def test_sidecars_hold_the_same_answers_and_no_page_changes_by_a_byte(sidecar_repo: Path) -> None:
    before = {p: (sidecar_repo / p).read_bytes() for p in (*PAGES, "index.md")}
    outcome = run(sidecar_repo)
    assert sorted(w.path for w in outcome.written) == list(PAGES)
    assert {p: (sidecar_repo / p).read_bytes() for p in before} == before
    assert sorted(outcome.commit.paths) == [f"_kbsleep/answers/{p}" for p in PAGES]
    for path in PAGES:
        text = (sidecar_repo / "_kbsleep/answers" / path).read_text(encoding="utf-8")
        assert text.startswith("<!-- kbsleep:anticipate v=1 ") and text.endswith("<!-- /kbsleep:anticipate -->\n")
        assert inside(text) == (GOLDEN / Path(path).name).read_text(encoding="utf-8"), path


def test_a_sidecar_is_no_page_lint_judges_nothing_new_and_links_stay_unambiguous(sidecar_repo: Path) -> None:
    findings_before = sorted((d.code, d.path, d.line) for d in lint(open_wiki(sidecar_repo)).diagnostics)
    run(sidecar_repo)
    wiki = open_wiki(sidecar_repo)
    assert sorted(wiki.pages) == ["index.md", *PAGES]
    assert sorted(wiki.sidecars) == [f"_kbsleep/answers/{p}" for p in PAGES]
    assert sorted((d.code, d.path, d.line) for d in lint(wiki).diagnostics) == findings_before
    links = [link for link in wiki.outlinks["index.md"] if link.link.target == "Port Evra"]
    assert [(link.status, link.target) for link in links] == [("resolved", EVRA)]


def test_a_second_run_is_free_and_an_edit_redoes_only_its_page_and_the_pages_linking_to_it(sidecar_repo: Path) -> None:
    run(sidecar_repo)
    assert run(sidecar_repo).work.current == 3
    edit_evra(sidecar_repo)
    outcome = run(sidecar_repo)
    assert {t.path: t.reason for t in outcome.work.targets} == {EVRA: "page changed", "projects/Cobalt.md": "linked page changed"}
    assert "The railway arrived in 1885." in (sidecar_repo / SIDECAR).read_text(encoding="utf-8")


def test_what_a_person_wrote_in_a_sidecar_outside_its_section_is_kept(sidecar_repo: Path) -> None:
    run(sidecar_repo)
    sidecar = sidecar_repo / SIDECAR
    sidecar.write_bytes(b"Notes on Port Evra\xe2\x80\x99s answers.\r\n\r\n" + sidecar.read_bytes())
    git(sidecar_repo, "commit", "-qam", "a note")
    edit_evra(sidecar_repo)
    run(sidecar_repo, paths=(EVRA,))
    text = sidecar.read_bytes()
    assert text.startswith(b"Notes on Port Evra\xe2\x80\x99s answers.\r\n\r\n<!-- kbsleep:anticipate ") and b"1885" in text


def test_hand_edits_in_a_sidecar_are_kept_unless_forced(sidecar_repo: Path) -> None:
    run(sidecar_repo)
    sidecar = sidecar_repo / SIDECAR
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("in 1884.", "in 1884, by steam."), encoding="utf-8")
    git(sidecar_repo, "commit", "-qam", "hand edit")
    assert [k.path for k in run(sidecar_repo).work.kept] == [EVRA]
    assert "by steam" in sidecar.read_text(encoding="utf-8")
    run(sidecar_repo, force=True, paths=(EVRA,))
    assert "by steam" not in sidecar.read_text(encoding="utf-8")


def test_a_page_that_is_not_utf8_gets_no_sidecar_either(make_repo) -> None:
    root = make_repo({"kbsleep.toml": '[anticipate]\nstore = "sidecar"\n', "Caf\u00e9.md": b"# Caf\xe9\n\nThe Caf\xe9 is a caf\xe9.\n"})
    outcome = run(root)
    assert [(s.path, s.reason) for s in outcome.skipped] == [
        ("Caf\u00e9.md", "not valid UTF-8 (byte 0xe9 at line 1, column 6): kbsleep answers only pages it can read exactly")
    ]
    assert not (root / "_kbsleep").exists()


@pytest.mark.parametrize("folder", ["../answers", "/tmp/answers", ".git/answers", ".kbsleep/x", ""])
def test_a_sidecar_folder_outside_the_wiki_is_a_config_error(make_repo, folder: str) -> None:
    root = make_repo({"kbsleep.toml": f'[anticipate]\nsidecar-folder = "{folder}"\n'})
    with pytest.raises(KbsleepError, match="`anticipate.sidecar-folder` must be a folder inside the wiki"):
        load_config(root)


# -- ask, status, stale-generated and undo: the same with both stores ------------------------------


def test_ask_serves_the_precomputed_answer_once_as_the_page_s(repo: Path, store: str) -> None:
    run(repo)
    config = load_config(repo)
    got = ask(repo, config, "How many people live in Port Evra?", engine="offline", record=False)
    assert (got.path, got.matched) == ("precomputed", "How many people live in Port Evra?")
    assert got.text == "Port Evra is a harbour town of about 41,000 people on the Evra Coast. [[Port Evra]]"
    assert [c.path for c in got.citations] == [EVRA]
    with Index(repo, config) as index:
        found = index.anticipated(["people", "live", "port", "evra"])
        assert [(a.page, a.question) for a in found].count((EVRA, "How many people live in Port Evra?")) == 1
        assert {a.page for a in found} <= set(PAGES)
        assert index.stats()["pages"] == 3  # the three pages; never a sidecar (the index page answers nothing)


def test_ask_drops_the_answer_once_the_page_changes_and_serves_it_again_after_anticipate(repo: Path) -> None:
    run(repo)
    config = load_config(repo)
    edit_evra(repo)
    assert ask(repo, config, "When did the railway reach Port Evra?", engine="offline", record=False).path != "precomputed"
    run(repo)
    again = ask(repo, config, "How many people live in Port Evra?", engine="offline", record=False)
    assert again.path == "precomputed"


def test_status_counts_unanswered_and_stale_pages(repo: Path) -> None:
    assert sorted(status(open_wiki(repo)).unanswered) == list(PAGES)
    run(repo)
    found = status(open_wiki(repo))
    assert (found.unanswered, found.stale_answers) == ((), ())
    edit_evra(repo)
    assert status(open_wiki(repo)).stale_answers == (EVRA,)


def test_stale_generated_reports_the_page_once_its_answers_are_stale(repo: Path, store: str, capsys) -> None:
    run(repo)
    assert main(["--wiki", str(repo), "lint", "--select", "stale-generated"]) == 0  # and cached
    edit_evra(repo)
    capsys.readouterr()
    assert main(["--wiki", str(repo), "lint", "--select", "stale-generated", "--output-format", "concise", "--fail-on", "warning"]) == 1
    out = capsys.readouterr().out
    where = "in _kbsleep/answers/places/Port Evra.md " if store == "sidecar" else ""
    assert f"{EVRA}:" in out and f"generated `anticipate` section {where}is stale: the page changed since it was written" in out
    run(repo)  # only the sidecar changes in the sidecar store: the cached lint result must not be served
    assert main(["--wiki", str(repo), "lint", "--select", "stale-generated", "--fail-on", "warning"]) == 0


def test_undo_removes_the_answers_and_leaves_the_pages(repo: Path, store: str) -> None:
    before = {p: (repo / p).read_bytes() for p in PAGES}
    run(repo)
    assert all((repo / holder(store, p)).exists() for p in PAGES)
    undone = transaction.undo(repo)
    assert undone is not None and undone[0].passes == ("anticipate",)
    assert {p: (repo / p).read_bytes() for p in PAGES} == before
    assert not (repo / "_kbsleep").exists() or not any((repo / "_kbsleep").rglob("*.md"))
    assert sorted(status(open_wiki(repo)).unanswered) == list(PAGES)
    assert git(repo, "status", "--porcelain") == ""


def test_the_sidecar_folder_is_no_part_of_the_wiki_whatever_the_store(make_repo) -> None:
    root = make_repo({
        "Cobalt.md": "# Cobalt\n\nCobalt is a compiler.\n",
        "_kbsleep/answers/Cobalt.md": "<!-- kbsleep:anticipate v=1 source=x -->\n## Anticipated questions\n<!-- /kbsleep:anticipate -->\n",
        "_kbsleep/answers/diagram.png": b"\x89PNG\r\n",
    })  # fmt: skip
    wiki = open_wiki(root)
    assert (list(wiki.pages), sorted(wiki.attachments), list(wiki.sidecars)) == (["Cobalt.md"], [], ["_kbsleep/answers/Cobalt.md"])
    assert [d for d in lint(wiki).diagnostics if d.path.startswith("_kbsleep/")] == []
    with Index(root, load_config(root)) as index:
        index.refresh()
        assert index.stats()["pages"] == 1


def test_a_hidden_sidecar_folder_works_too(make_repo) -> None:
    # Obsidian shows no hidden folder: answers there stay out of the vault's view as well.
    root = make_repo({"kbsleep.toml": '[anticipate]\nstore = "sidecar"\nsidecar-folder = ".answers"\n'}, fixture="anticipate/wiki")
    run(root)
    assert sorted(open_wiki(root).sidecars) == [f".answers/{p}" for p in PAGES]
    assert run(root).work.current == 3
