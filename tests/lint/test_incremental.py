"""Incremental lint: report on some pages (paths, staged, changed since a ref), judged against all.

The scope narrows what is reported, never what is known: an orphan in scope stays an orphan, a
link from a page in scope to an unchanged page resolves, and a commit that deletes or renames a
page reports the unchanged pages whose links it breaks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.cli import main
from tests.conftest import git

WIKI = {
    "index.md": "# Index\n\n- [[Kestrel Rover]]\n- [[Mara Ilves]]\n- [[places/Port Evra]]\n- [[Old problem]]\n",
    "Kestrel Rover.md": "# Kestrel Rover\n\nMaintained by [[Mara Ilves]].\n",
    "Mara Ilves.md": "# Mara Ilves\n\nDrives the [[Kestrel Rover]].\n",
    "places/Port Evra.md": "# Port Evra\n\nHome of the [[Kestrel Rover]].\n",
    "Orphan.md": "# Orphan\n\nNothing links here; it links to [[places/Port Evra]].\n",
    "Old problem.md": "# Old problem\n\nCommitted long ago with [[Nowhere]].\n",
}
WIKI_WIDE = ["KB101 Old problem.md:3", "KB201 Orphan.md:1", "KB203 Orphan.md:1"]


@pytest.fixture
def findings(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run `kbsleep lint ARGS` in ROOT; return (exit code, findings as "CODE path:line")."""

    def run(root: Path, *args: str) -> tuple[int, list[str]]:
        code = main(["--wiki", str(root), "lint", "--output-format", "concise", *args])
        out = []
        for line in capsys.readouterr().out.splitlines():
            where, _, rest = line.partition(": ")
            path, number, _column = where.rsplit(":", 2)
            out.append(f"{rest.split(' ', 1)[0]} {path}:{number}")
        return code, out

    return run


@pytest.fixture
def repo(make_repo, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_repo(WIKI)
    monkeypatch.chdir(root)  # command-line paths are relative to the current directory
    return root


def test_the_whole_wiki_has_three_old_problems(repo: Path, findings) -> None:
    assert findings(repo) == (1, WIKI_WIDE)


# -- paths ------------------------------------------------------------------------------------


def test_paths_report_only_those_pages(repo: Path, findings) -> None:
    assert findings(repo, "Kestrel Rover.md", "Mara Ilves.md") == (0, [])  # links to pages not named resolve


def test_an_orphan_named_on_the_command_line_is_still_an_orphan(repo: Path, findings) -> None:
    assert findings(repo, "Orphan.md") == (0, ["KB201 Orphan.md:1", "KB203 Orphan.md:1"])  # warnings: exit 0


def test_a_folder_path_means_the_pages_in_it(repo: Path, findings) -> None:
    (repo / "places" / "Port Evra.md").write_text("# Port Evra\n\nHome of the [[Kestrel Rovr]].\n", encoding="utf-8")
    assert findings(repo, "places") == (1, ["KB101 places/Port Evra.md:3"])


def test_paths_outside_the_wiki_are_ignored_and_missing_paths_are_errors(make_repo, findings, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo({"README.md": "# Repo\n", **{f"wiki/{k}": v for k, v in WIKI.items()}})
    monkeypatch.chdir(root)
    assert findings(root / "wiki", "README.md") == (0, [])  # pre-commit passes every staged .md file
    assert findings(root / "wiki", "wiki/Orphan.md") == (0, ["KB201 Orphan.md:1", "KB203 Orphan.md:1"])
    assert findings(root / "wiki", "wiki/No such page.md") == (2, [])


# -- staged and changed-since -----------------------------------------------------------------


def test_staged_reports_only_the_staged_pages(repo: Path, findings) -> None:
    (repo / "Mara Ilves.md").write_text("# Mara Ilves\n\nDrives the [[Kestrel Rover]] and the [[Orion Pmp]].\n", encoding="utf-8")
    (repo / "places" / "Port Evra.md").write_text("# Port Evra\n\nUnstaged [[Nowhere either]].\n", encoding="utf-8")
    git(repo, "add", "Mara Ilves.md")
    assert findings(repo, "--staged") == (1, ["KB101 Mara Ilves.md:3"])


def test_staged_with_nothing_staged_reports_nothing(repo: Path, findings) -> None:
    assert findings(repo, "--staged") == (0, [])


def test_a_staged_new_orphan_is_reported(repo: Path, findings) -> None:
    (repo / "New.md").write_text("# New\n\nLinks to [[Mara Ilves]], but nothing links here.\n", encoding="utf-8")
    git(repo, "add", "New.md")
    assert findings(repo, "--staged") == (0, ["KB201 New.md:1", "KB203 New.md:1"])


def test_changed_since_reports_pages_changed_in_later_commits_and_untracked_pages(repo: Path, findings) -> None:
    (repo / "places" / "Port Evra.md").write_text("# Port Evra\n\nHome of the [[Kestrel Rovr]].\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "edit Port Evra")
    (repo / "Untracked.md").write_text("# Untracked\n\nSee [[Mara Ilves]] and [[Nobody]].\n", encoding="utf-8")
    code, found = findings(repo, "--changed-since", "HEAD~1")
    assert (code, found) == (1, [
        "KB201 Untracked.md:1",
        "KB203 Untracked.md:1",
        "KB101 Untracked.md:3",
        "KB101 places/Port Evra.md:3",
    ])  # fmt: skip
    assert findings(repo, "--changed-since", "HEAD") == (1, ["KB201 Untracked.md:1", "KB203 Untracked.md:1", "KB101 Untracked.md:3"])


def test_changed_since_an_unknown_ref_is_an_error(repo: Path, findings) -> None:
    assert findings(repo, "--changed-since", "no-such-ref") == (2, [])


def test_staged_outside_git_is_an_error(tmp_path: Path, findings) -> None:
    (tmp_path / "Page.md").write_text("# Page\n", encoding="utf-8")
    assert findings(tmp_path, "--staged") == (2, [])


# -- deletes and renames break links on pages the commit does not touch ------------------------


def test_a_staged_delete_reports_the_pages_whose_links_it_breaks(repo: Path, findings) -> None:
    git(repo, "rm", "-q", "Mara Ilves.md")
    assert findings(repo, "--staged") == (1, ["KB101 Kestrel Rover.md:3", "KB101 index.md:4"])


def test_a_staged_rename_reports_the_pages_whose_links_it_breaks(repo: Path, findings) -> None:
    git(repo, "mv", "Mara Ilves.md", "Mara.md")
    (repo / "Mara.md").write_text("# Mara\n\nDrives the [[Kestrel Rover]].\n", encoding="utf-8")
    git(repo, "add", "Mara.md")
    assert findings(repo, "--staged") == (1, [
        "KB101 Kestrel Rover.md:3",
        "KB201 Mara.md:1",  # the renamed page is in scope, and nothing links to its new name
        "KB203 Mara.md:1",
        "KB101 index.md:4",
    ])  # fmt: skip


def test_a_rename_that_keeps_the_title_turns_links_into_title_links(repo: Path, findings) -> None:
    git(repo, "mv", "Kestrel Rover.md", "Kestrel.md")  # its H1 is still "Kestrel Rover"
    assert findings(repo, "--staged") == (1, [
        "KB201 Kestrel.md:1",  # Obsidian opens no link by title, so nothing links to it now
        "KB203 Kestrel.md:1",
        "KB103 Mara Ilves.md:3",
        "KB103 index.md:3",
        "KB103 places/Port Evra.md:3",
    ])  # fmt: skip


def test_a_rename_into_another_folder_breaks_no_name_links(repo: Path, findings) -> None:
    (repo / "vehicles").mkdir()
    git(repo, "mv", "Kestrel Rover.md", "vehicles/Kestrel Rover.md")
    assert findings(repo, "--staged") == (0, [])


def test_a_delete_breaks_path_links_too(repo: Path, findings) -> None:
    git(repo, "rm", "-q", "places/Port Evra.md")
    assert findings(repo, "--staged") == (1, ["KB201 Orphan.md:1", "KB203 Orphan.md:1", "KB101 Orphan.md:3", "KB101 index.md:5"])


def test_a_committed_delete_is_found_by_changed_since(repo: Path, findings) -> None:
    git(repo, "rm", "-q", "Mara Ilves.md")
    git(repo, "commit", "-q", "-m", "remove Mara")
    assert findings(repo, "--changed-since", "HEAD~1") == (1, ["KB101 Kestrel Rover.md:3", "KB101 index.md:4"])
