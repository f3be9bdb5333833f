"""The writing passes touch the Wiki's pages only: never a hidden file, never a template's content.

Each hidden file below would be written by one pass if it were a page (a near-miss link for
`links`, a duplicate title for `duplicates`, an inbox note for `inbox`, a conflicting fact for
`contradictions`, a catalogue entry for `index`, questions for `anticipate`). The templates
folder holds pages that are the same cases: a template's links are repaired like any page's, but
it gets no merge, no fold, no callout, no catalogue entry and no questions.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from kbsleep.errors import KbsleepError
from kbsleep.llm import select_engine
from kbsleep.passes.anticipate import Options, anticipate
from kbsleep.passes.consolidate import Options as Tidy, consolidate
from kbsleep.state import ensure_state_dir
from kbsleep.wiki import open_wiki
from tests.conftest import git

TODAY = datetime.date(2026, 3, 20)
HIDDEN = {
    ".drafts/Kestrel draft.md": "---\ntitle: Kestrel Rover\n---\n# Kestrel draft\n\nTested the [[Kestrel Rovr]] and the [[Kestrel]].\n",
    "people/.Liis notes.md": "# Liis notes\n\n- [[Port Evra]] population:: 12000\n",
    "inbox/.raw/pending.md": "The Kestrel Rover needs new tracks.\n",
    ".draft.md": "# Draft\n\nAbout the Kestrel Rover, which dives to 40 m.\n",
}
TEMPLATES = {
    ".obsidian/templates.json": '{"folder": "Templates"}',
    "Templates/Rover.md": "---\ntitle: Kestrel Rover\naliases: [Kestrel]\n---\n# {{title}}\n\nSee the [[Kestrel Rovr]].\n\n- [[Port Evra]] population:: 12000\n",
}


@pytest.fixture
def repo(make_repo) -> Path:
    return make_repo({**HIDDEN, **TEMPLATES}, fixture="consolidate/wiki")


def contents(root: Path, paths) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    return {path: (root / path).read_bytes() for path in paths}


@pytest.mark.parametrize("task", ["links", "duplicates", "inbox", "contradictions", "index"])
def test_consolidate_never_writes_a_hidden_file(repo: Path, task: str) -> None:
    before = contents(repo, HIDDEN)
    wiki = open_wiki(repo)
    report = consolidate(wiki, select_engine(wiki.config.llm, "offline"), Tidy(only=(task, "log"), today=TODAY))
    assert contents(repo, HIDDEN) == before
    written = {path for step in report.steps for path in (e.path for e in step.outcome.edits)}
    assert "log.md" in written and not [path for path in written if path.startswith(".") or "/." in path]
    assert git(repo, "status", "--porcelain") == ""


def test_consolidate_treats_a_template_as_no_content_but_repairs_its_links(repo: Path) -> None:
    template = "Templates/Rover.md"
    wiki = open_wiki(repo)
    report = consolidate(wiki, select_engine(wiki.config.llm, "offline"), Tidy(today=TODAY))
    edits = {e.path: e for step in report.steps for e in step.outcome.edits}
    text = (repo / template).read_text()
    assert "[[Kestrel Rover]]" in text and "[[Kestrel Rovr]]" not in text  # links: repaired
    assert "[!warning]" not in text and "## Notes" not in text  # no callout, no folded note
    assert edits[template].reason.startswith("repaired")
    assert "Rover]]" not in (repo / "index.md").read_text().split("kbsleep:index", 1)[1].replace("[[Kestrel Rover]]", "")
    assert "Templates" not in (repo / "index.md").read_text().split("kbsleep:index", 1)[1]


def test_an_index_page_configured_under_a_hidden_name_is_refused(repo: Path) -> None:
    (repo / "kbsleep.toml").write_text('index-page = ".index.md"\n')
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "config")
    wiki = open_wiki(repo)
    report = consolidate(wiki, select_engine(wiki.config.llm, "offline"), Tidy(only=("index",), today=TODAY))
    assert not (repo / ".index.md").exists()
    assert [left.reason for step in report.steps for left in step.outcome.left] == [
        "refused: the plan would write .index.md, hidden (a file or folder name starting with `.`, which Obsidian does not show); nothing of it was written"
    ]


def test_anticipate_never_writes_a_hidden_file_or_a_template(repo: Path) -> None:
    before = contents(repo, [*HIDDEN, "Templates/Rover.md"])
    wiki = open_wiki(repo)
    outcome = anticipate(wiki, select_engine(wiki.config.llm, "offline", state_dir=ensure_state_dir(repo)), Options())
    assert outcome.written and contents(repo, [*HIDDEN, "Templates/Rover.md"]) == before
    assert not [w.path for w in outcome.written if w.path.startswith((".", "Templates/")) or "/." in w.path]


def test_anticipate_refuses_a_template_named_outright(repo: Path) -> None:
    wiki = open_wiki(repo)
    model = select_engine(wiki.config.llm, "offline", state_dir=ensure_state_dir(repo))
    with pytest.raises(KbsleepError, match="Templates/Rover.md is a template: anticipate writes no questions into it"):
        anticipate(wiki, model, Options(paths=("Templates/Rover.md",)))
    with pytest.raises(KbsleepError, match="no page or folder `.drafts/Kestrel draft.md`"):
        anticipate(wiki, model, Options(paths=(".drafts/Kestrel draft.md",)))
