"""No false positives: on wikis whose only problems are deliberate, lint reports exactly those."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.cli import main
from tests.conftest import FIXTURES, git
from tests.lint.support import REPO, copy_wiki, lint_wiki

# tests/fixtures/links_wiki/Home.md holds every valid link form and a few deliberately bad
# links at known places (see tests/wiki/test_resolution.py); nothing else may be reported.
LINKS_WIKI_FINDINGS = {
    ("KB101", "Home.md", 4, 37),  # [[Nowhere In Frontmatter]], in a quoted frontmatter value
    ("KB101", "Home.md", 13, 8),  # [[Nobody]]
    ("KB103", "Home.md", 13, 26),  # [[Kestrel]], an alias
    ("KB103", "Home.md", 13, 45),  # [[Kestrel the Rover]], a frontmatter title
    ("KB102", "Home.md", 13, 84),  # [[Mara Ilves#Later life]]
    ("KB102", "Home.md", 14, 15),  # [[Mara Ilves#^nope]]
    ("KB102", "Home.md", 14, 48),  # [[Mara Ilves#School#Early life]], wrong nesting
    ("KB104", "Home.md", 15, 10),  # [[Notes]], shared by a/Notes.md and b/Notes.md
    ("KB101", "Home.md", 15, 76),  # [bad](people/Nobody.md)
    ("KB201", "b/Notes.md", 1, 1),  # it links only to itself, and self-links do not count
}

# sample_wiki/ is the README's demo wiki: nine planted problems, one of each kind.
SAMPLE_WIKI_FINDINGS = {
    ("KB201", "concepts/Internal Waves.md", 1),
    ("KB203", "concepts/Internal Waves.md", 1),
    ("KB202", "concepts/tidal-mixing-notes.md", 2),
    ("KB102", "organisations/Evra Harbour Board.md", 34),
    ("KB103", "people/Liis Varte.md", 30),
    ("KB402", "people/Tomas Reinholt.md", 26),
    ("KB101", "projects/Greywater Expedition 2025.md", 46),
    ("KB401", "sources/Annual Report 2025.md", 33),
    ("KB205", "vehicles/Orion Pump.md", 45),
}


def test_links_wiki_reports_only_its_deliberate_bad_links(make_repo) -> None:
    report = lint_wiki(make_repo(fixture="links_wiki"))
    assert {(d.code, d.path, d.location.line, d.location.column) for d in report.diagnostics} == LINKS_WIKI_FINDINGS


@pytest.fixture
def sample_repo(make_repo) -> Path:
    """sample_wiki/ in a fresh git repository, as a user would have it."""
    root = make_repo(commit=False)
    copy_wiki(REPO / "sample_wiki", root / "sample_wiki")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "sample wiki")
    return root


def test_sample_wiki_reports_exactly_its_planted_problems(sample_repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(sample_repo)
    code = main(["--wiki", "sample_wiki", "lint", "--output-format", "concise"])
    lines = capsys.readouterr().out.splitlines()
    found = set()
    for line in lines:
        where, _, rest = line.partition(": ")
        path, number, _column = where.rsplit(":", 2)
        found.add((rest.split(" ", 1)[0], path, int(number)))
    assert found == SAMPLE_WIKI_FINDINGS
    assert len(lines) == len(SAMPLE_WIKI_FINDINGS)
    assert code == 1  # five of the nine are errors


def test_every_fixture_page_of_valid_links_is_clean(make_repo) -> None:
    """The `must not` half of the broken-link fixture, checked by every rule at once."""
    root = make_repo(commit=False)
    copy_wiki(FIXTURES / "lint" / "broken-link" / "wiki", root)
    valid = [d for d in lint_wiki(root, "KB1").diagnostics if d.path == "Valid links.md"]
    assert valid == []
