"""No Markdown page found is said, never passed off as "All checks passed".

As ruff does with no Python file (a warning, exit 0), not as eslint does (exit 2): a wiki just set
up has no pages yet, and its pre-commit hook must not block the commit. A folder or file that does
not exist is an error (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.cli import main

WIKI = {"index.md": "# Index\n\n- [[A]]\n", "A.md": "# A\n\nBack to [[index]].\n", "attachments/readme.txt": "not a page\n"}


def test_an_empty_wiki_says_no_markdown_page_was_found_under_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--wiki", str(tmp_path), "lint"]) == 0
    assert capsys.readouterr().out == f"No Markdown page found under {tmp_path}: nothing was checked.\n"
    assert main(["--wiki", str(tmp_path), "lint", "--output-format", "concise"]) == 0
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"warning: no Markdown page found under {tmp_path}: nothing was checked\n")


def test_the_full_format_written_to_a_file_says_it_in_the_file_and_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "wiki").mkdir()
    out = tmp_path / "report.txt"
    assert main(["--wiki", str(tmp_path / "wiki"), "lint", "-o", str(out)]) == 0
    assert out.read_text() == f"No Markdown page found under {tmp_path / 'wiki'}: nothing was checked.\n"
    assert capsys.readouterr().err == f"warning: no Markdown page found under {tmp_path / 'wiki'}: nothing was checked\n"


def test_paths_that_hold_no_page_of_the_wiki_say_so(make_repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo(WIKI)
    monkeypatch.chdir(root)
    assert main(["lint", "attachments"]) == 0
    assert capsys.readouterr().out == "No page of the wiki (.) found in attachments: nothing was checked.\n"
    assert main(["lint", "--output-format", "json", "attachments"]) == 0
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("[]\n", "warning: no page of the wiki (.) found in attachments: nothing was checked\n")


def test_quiet_says_nothing_of_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--quiet", "--wiki", str(tmp_path), "lint", "--output-format", "concise"]) == 0
    assert capsys.readouterr() == ("", "")


def test_a_staged_run_with_nothing_staged_is_a_normal_commit_and_says_nothing(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(WIKI)
    assert main(["--wiki", str(root), "lint", "--staged", "--output-format", "concise"]) == 0
    assert capsys.readouterr() == ("", "")


def test_a_path_that_does_not_exist_is_an_error(make_repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(make_repo(WIKI))
    assert main(["lint", "Nowhere.md"]) == 2
    assert capsys.readouterr().err == "error: no such file: Nowhere.md\n"


def test_a_wiki_with_pages_still_passes_as_before(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--wiki", str(make_repo(WIKI)), "lint"]) == 0
    assert capsys.readouterr().out == "All checks passed.\n"
