"""`kbsleep sleep`, `status` and `demo` end to end, offline, in a temporary git copy of sample_wiki."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kbsleep.cli import main
from kbsleep.demo import make_copy
from tests.conftest import git


@pytest.fixture
def wiki(tmp_path: Path) -> Path:
    root = tmp_path / "wiki"
    root.mkdir()
    return make_copy(root)


def concise(root: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    capsys.readouterr()
    main(["--wiki", str(root), "lint", "--output-format", "concise"])
    return capsys.readouterr().out.splitlines()


def test_sleep_repairs_precomputes_and_is_one_undoable_run(wiki: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = concise(wiki, capsys)
    assert main(["--wiki", str(wiki), "sleep"]) == 0
    out = capsys.readouterr().out
    assert "kbsleep sleep (run " in out and "`kbsleep undo` reverts this whole sleep" in out
    after = concise(wiki, capsys)
    assert len(after) < len(before)
    assert not [line for line in after if "KB101" in line or "KB103" in line]  # links repaired
    runs = {line.strip() for line in git(wiki, "log", "--format=%(trailers:key=Kbsleep-Run,valueonly)").split("\n") if line.strip()}
    assert len(runs) == 1  # consolidate's and anticipate's commits share the sleep's run
    record = json.loads((wiki / ".kbsleep" / "last-sleep.json").read_text())
    assert record["questions"] > 0 and len(record["commits"]) == len(git(wiki, "log", "--format=%H").split()) - 1
    assert main(["--wiki", str(wiki), "undo"]) == 0
    first = git(wiki, "rev-list", "--max-parents=0", "HEAD").strip()
    assert git(wiki, "diff", first, "--stat") == ""  # the undo commit restores the sample exactly
    assert concise(wiki, capsys) == before


def test_a_second_sleep_with_nothing_changed_does_nothing(wiki: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--wiki", str(wiki), "sleep"])
    head = git(wiki, "rev-parse", "HEAD")
    capsys.readouterr()
    assert main(["--wiki", str(wiki), "sleep"]) == 0
    assert "nothing changed since the last sleep" in capsys.readouterr().out
    assert git(wiki, "rev-parse", "HEAD") == head


def test_edit_commit_sleep_refreshes_the_stale_answers_and_ask_hits_them(wiki: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--wiki", str(wiki), "sleep"])
    page = wiki / "places" / "Port Evra.md"
    text = page.read_text().replace("population: 41,000", "population: 42,500", 1)
    page.write_text(text.replace("about 41,000 people", "about 42,500 people", 1))  # the page, not its answers
    git(wiki, "commit", "-qam", "census update")
    capsys.readouterr()
    main(["--wiki", str(wiki), "status", "--json"])
    status = json.loads(capsys.readouterr().out)
    assert "places/Port Evra.md" in status["stale_answers"]
    assert any("KB501" in line and "Port Evra" in line for line in concise(wiki, capsys))
    main(["--wiki", str(wiki), "sleep"])
    assert not any("KB501" in line for line in concise(wiki, capsys))
    capsys.readouterr()
    assert main(["--wiki", str(wiki), "ask", "--json", "How many people live in Port Evra?"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["path"] == "precomputed" and "42,500" in answer["answer"]


def test_status_reports_what_is_waiting(wiki: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--wiki", str(wiki), "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["last_sleep"] is None and status["pages"] == 34
    assert status["findings"]["error"] == 4 and len(status["inbox"]) == 2
    assert main(["--wiki", str(wiki), "status"]) == 0
    assert "last sleep" in capsys.readouterr().out


SLEEPER = """
import sys
from kbsleep.cli import main
sys.exit(main(["--wiki", sys.argv[1], "sleep"]))
"""


def test_two_concurrent_sleeps_one_runs_the_other_is_refused(wiki: Path) -> None:
    procs = [subprocess.Popen([sys.executable, "-c", SLEEPER, str(wiki)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    codes = sorted(code for code, _ in results)
    if codes == [0, 0]:
        pytest.skip("the two sleeps did not overlap on this machine")  # the first finished before the second started
    assert codes == [0, 2]
    assert any("already running on this wiki" in err for _, err in results)
    assert git(wiki, "status", "--porcelain") == ""


# Killed mid-write, at the same point every time: the first page of a transaction in place and
# nothing committed, with a child it forked (as a cold parse forks its workers, and as every git
# command starts) alive after it, sharing every file it had open.
KILLED_SLEEPER = """
import os, signal, sys
from kbsleep import forked
from kbsleep.cli import main
from kbsleep.git import journal

def place(*args, **kwargs):
    placed(*args, **kwargs)
    forked.start(sys.stdin.read)  # lives on until the test closes its stdin
    os.kill(os.getpid(), signal.SIGKILL)

placed, journal.place = journal.place, place
sys.exit(main(["--wiki", sys.argv[1], "sleep"]))
"""


def test_a_sleep_killed_mid_run_leaves_a_clean_tree_and_the_next_sleep_completes(wiki: Path, capsys: pytest.CaptureFixture[str]) -> None:
    head = git(wiki, "rev-parse", "HEAD")
    proc = subprocess.Popen([sys.executable, "-c", KILLED_SLEEPER, str(wiki)], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert proc.stdin is not None
    try:
        assert proc.wait(timeout=120) == -signal.SIGKILL
        assert git(wiki, "status", "--porcelain") != ""  # a page written, not committed
        assert main(["--wiki", str(wiki), "sleep"]) == 0  # recovers whatever was left, then sleeps; the child lives on
    finally:
        proc.stdin.close()  # the child reads the end of its input and exits
    assert git(wiki, "status", "--porcelain") == ""
    assert git(wiki, "rev-parse", "HEAD") != head
    assert not [line for line in concise(wiki, capsys) if "KB101" in line]


def test_demo_runs_the_cycle_on_a_private_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "demo"
    target.mkdir()
    assert main(["demo", "--into", str(target)]) == 0
    out = capsys.readouterr().out
    assert f"A copy of sample_wiki/ in a new git repository: {target}" in out
    assert "Q: How many people live in Port Evra?" in out and "41,000" in out
    assert "precomputed answer, no model call" in out
    assert git(Path(__file__).parent.parent, "status", "--porcelain", "--", "sample_wiki") == ""


def test_the_post_commit_hook_sleeps_in_the_background_without_waking_itself(wiki: Path) -> None:
    assert main(["--wiki", str(wiki), "hook", "install", "--post-commit"]) == 0
    page = wiki / "people" / "Henrik Saar.md"
    page.write_text(page.read_text() + "\nHe retired in 2026.\n")
    started = time.monotonic()
    git(wiki, "commit", "-qam", "a human edit")
    assert time.monotonic() - started < 5  # the commit does not wait for the sleep
    record = wiki / ".kbsleep" / "last-sleep.json"
    deadline = time.monotonic() + 90
    while not record.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert record.exists(), (wiki / ".kbsleep" / "sleep.log").read_text()
    time.sleep(1.5)  # any sleep woken by kbsleep's own commits would have started by now
    log = (wiki / ".kbsleep" / "sleep.log").read_text()
    assert "already running" not in log and "error" not in log
    assert "kbsleep anticipate" in git(wiki, "log", "--oneline")


def test_a_sleep_over_its_budget_does_the_rest_and_says_what_the_budget_left(make_repo, fake, capsys: pytest.CaptureFixture[str]) -> None:
    # A nightly budget a note's or a page's worst case outgrows is no error: the offline steps
    # run, and what no model was asked about is listed (one line for many), exit 1 as anticipate.
    root = make_repo(fixture="consolidate/wiki")
    assert main(["--wiki", str(root), "sleep", "--engine", "anthropic", "--max-tokens", "10"]) == 1
    out, err = capsys.readouterr()
    assert fake.count() == 0 and "kbsleep sleep (run " in out
    skipped = err.splitlines()
    assert "skipped inbox/cradle-2026-03-14.md: not asked: budget: 0 tokens used of 10; the next item could use " in err
    assert any(line.startswith("skipped ") and " pages: budget: 0 tokens used of 10; " in line for line in skipped)  # anticipate's pages
    assert "Traceback" not in err and "error:" not in err
