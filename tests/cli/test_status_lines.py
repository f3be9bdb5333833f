"""What a person at a terminal sees while kbsleep works: a status line while the search index
is built, progress bars with the time left that end as one line; none of it in output a
program reads (a pipe, `--json`)."""

from __future__ import annotations

import re

import pytest

from kbsleep.report import progress, status
from tests.cli.terminal import run_on_a_terminal

WIKI = {"index.md": "# Index\n\n- [[A]]\n", "A.md": "# A\n\nBack to [[index]].\n\nThe moon has craters.\n"}


def test_the_first_ask_on_a_terminal_says_it_builds_the_search_index_but_not_in_json(make_repo) -> None:
    root = make_repo(WIKI)
    code, out, shown = run_on_a_terminal("--wiki", str(root), "ask", "--json", "--no-log", "What has craters?")
    assert code == 0 and '"found": true' in out
    assert "search index" not in shown and "search index" not in out  # --json: a program reads it
    for leftover in (root / ".kbsleep").glob("index.sqlite*"):
        leftover.unlink()
    code, out, shown = run_on_a_terminal("--wiki", str(root), "ask", "--no-log", "What has craters?")
    assert code == 0 and "craters" in out
    assert "Building the search index (the first time on this wiki; later runs reuse it)…\r\x1b[K" in shown
    code, out, shown = run_on_a_terminal("--wiki", str(root), "ask", "--no-log", "What has craters?")
    assert code == 0 and "search index" not in shown  # built: the second ask says nothing of it


def test_no_status_line_when_stderr_is_not_a_terminal(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    from kbsleep.cli import main

    root = make_repo(WIKI)
    assert main(["--wiki", str(root), "ask", "--no-log", "What has craters?"]) == 0
    assert "search index" not in capsys.readouterr().err


def test_a_status_line_is_erased_when_quick_and_replaced_by_its_summary_when_slow(capsys: pytest.CaptureFixture[str]) -> None:
    with status("Building", enabled=True) as line:
        line.after = "Built 3 pages"
    assert capsys.readouterr().err == "Building…\r\x1b[K"  # under a second: nothing is left
    with status("Building", enabled=True, quick=0.0) as line:
        line.after = "Built 3 pages"
    assert capsys.readouterr().err == "Building…\r\x1b[KBuilt 3 pages\n"
    with status("Building", enabled=False) as line:
        line.after = "Built 3 pages"
    assert capsys.readouterr().err == ""


def test_a_progress_bar_ends_as_one_line_saying_what_was_done_and_how_long_it_took(capsys: pytest.CaptureFixture[str]) -> None:
    with progress("Parsing pages", enabled=True, unit="page") as tick:
        assert tick is not None
        for done in range(1, 4):
            tick(done, 3)
    assert re.fullmatch(r"\n?Parsing pages: 3 pages in 0\.\d\d s\n", capsys.readouterr().err)
    with pytest.raises(KeyboardInterrupt):
        with progress("Anticipating", enabled=True, unit="page") as tick:
            assert tick is not None
            tick(1, 1)
            tick(1, 1200)
            raise KeyboardInterrupt
    assert re.fullmatch(r"\n?Anticipating: stopped after 1 of 1,200 pages \(0\.\d\d s\)\n", capsys.readouterr().err)


def test_a_progress_bar_that_never_started_leaves_no_line(capsys: pytest.CaptureFixture[str]) -> None:
    with progress("Parsing pages", enabled=True, unit="page"):
        pass
    assert capsys.readouterr().err == ""


def test_the_progress_bar_on_a_terminal_shows_the_time_left() -> None:
    code = (
        "import time\nfrom kbsleep.report import progress\n"
        "with progress('Parsing pages', enabled=True, unit='page') as tick:\n"
        "    for done in range(1, 21):\n        tick(done, 20)\n        time.sleep(0.03)\n"
    )
    status_, _, shown = run_on_a_terminal(code=code)
    assert status_ == 0
    bars = [part for part in shown.split("\r") if "Parsing pages" in part and "/20" in part]
    assert any("0:00:0" in bar.split("/20", 1)[1].split()[-1] for bar in bars), bars  # the last column: time left
    assert shown.rstrip().endswith("Parsing pages: 20 pages in " + shown.rstrip().rsplit(" in ", 1)[1])
