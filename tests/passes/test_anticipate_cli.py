"""`kbsleep anticipate` on the command line: output, exit codes, interrupts, undo."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kbsleep.cli import main
from kbsleep.testing import FakeAnthropic, Fault
from tests.conftest import git


@pytest.fixture
def repo(make_repo) -> Path:
    return make_repo(fixture="anticipate/wiki")


def kbsleep(repo: Path, *args: str) -> int:
    return main(["--wiki", str(repo), *args])


def test_dry_run_prints_the_diff_and_leaves_the_tree_alone(repo: Path, capsys) -> None:
    assert kbsleep(repo, "anticipate", "--dry-run") == 0
    out, err = capsys.readouterr()
    assert out.startswith("--- a/") and "+## Anticipated questions" in out
    assert "would write 3 pages (dry run)" in err
    assert git(repo, "status", "--porcelain") == "" and git(repo, "rev-list", "--count", "HEAD") == "1\n"


def test_a_run_then_a_rerun_says_what_it_did(repo: Path, capsys) -> None:
    assert kbsleep(repo, "anticipate") == 0
    out, _ = capsys.readouterr()
    sha = git(repo, "rev-parse", "HEAD").strip()
    assert out.startswith(f"anticipate: wrote 3 pages in {sha[:10]}; 3 answered, 0 tokens, $0.0000\n")
    assert kbsleep(repo, "anticipate") == 0
    out, _ = capsys.readouterr()
    assert out == "anticipate: nothing to write\n3 pages already up to date, 0 kept, 0 skipped\n"


def test_kept_hand_edits_are_reported_on_stderr(repo: Path, capsys) -> None:
    kbsleep(repo, "anticipate")
    page = repo / "places/Port Evra.md"
    page.write_text(page.read_text(encoding="utf-8").replace("small fishing boats. [[", "small boats. [["), encoding="utf-8")
    git(repo, "commit", "-qam", "hand edit")
    capsys.readouterr()
    assert kbsleep(repo, "anticipate") == 0
    _, err = capsys.readouterr()
    assert err == "kept places/Port Evra.md: answers edited by hand, kept (--force replaces them)\n"


def test_uncommitted_pages_are_refused_with_one_line(repo: Path, capsys) -> None:
    (repo / "projects/Cobalt.md").write_text("# Cobalt\n\nDraft.\n", encoding="utf-8")
    assert kbsleep(repo, "anticipate") == 2
    _, err = capsys.readouterr()
    assert err.splitlines()[0] == "error: uncommitted changes in files anticipate would touch: projects/Cobalt.md"


def test_an_unknown_page_is_a_one_line_error(repo: Path, capsys) -> None:
    assert kbsleep(repo, "anticipate", "nowhere.md") == 2
    _, err = capsys.readouterr()
    assert err.startswith("error: no page or folder `nowhere.md`") and "Traceback" not in err


def test_undo_after_anticipate_restores_every_page(repo: Path, capsys) -> None:
    before = {p: p.read_bytes() for p in repo.rglob("*.md")}
    kbsleep(repo, "anticipate")
    assert kbsleep(repo, "undo") == 0
    assert {p: p.read_bytes() for p in repo.rglob("*.md")} == before
    assert git(repo, "log", "-1", "--format=%s").startswith("kbsleep undo: revert run ")
    capsys.readouterr()
    assert kbsleep(repo, "undo") == 0
    assert capsys.readouterr().out == "nothing to undo: no kbsleep run on this branch\n"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_a_process_killed_mid_run_leaves_the_tree_clean(make_repo, sig: signal.Signals) -> None:
    # A long timeout: after Ctrl-C kbsleep must exit at once, not wait for calls in flight.
    repo = make_repo({"kbsleep.toml": "[llm]\ntimeout = 60.0\nmax-retries = 0\n"}, fixture="anticipate/wiki")
    head = git(repo, "rev-parse", "HEAD")
    with FakeAnthropic(responder=lambda body: Fault.delay(20)) as fake:
        env = {**os.environ, "ANTHROPIC_API_KEY": "sk-ant-test-dummy", "ANTHROPIC_BASE_URL": fake.base_url, "PYTHONFAULTHANDLER": "1"}
        # A background job of a script ignores Ctrl-C, and so would its children: the child gets Python's own handler
        previous = signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "kbsleep", "--wiki", str(repo), "anticipate", "--engine", "anthropic"],
                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            )  # fmt: skip
        finally:
            signal.signal(signal.SIGINT, previous)
        deadline = time.monotonic() + 20
        while fake.in_flight == 0 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)  # until a model call is under way
        assert fake.in_flight > 0, proc.communicate(timeout=5)
        proc.send_signal(sig)
        try:
            code = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # where it hangs: each thread's stack (faulthandler, on SIGABRT)
            proc.send_signal(signal.SIGABRT)
            raise AssertionError(proc.communicate(timeout=10)[1].decode()[-6000:]) from None
    expected = {signal.SIGINT: 130, signal.SIGTERM: -signal.SIGTERM, signal.SIGKILL: -signal.SIGKILL}[sig]
    assert code == expected
    if sig == signal.SIGINT:  # what the user sees: one word, no traceback
        err = proc.communicate(timeout=10)[1].decode()
        assert err.strip().splitlines()[-1] == "interrupted" and "Traceback" not in err
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""
    assert git(repo, "rev-parse", "HEAD") == head


def test_a_batch_left_running_is_said_once_as_what_to_do_not_as_a_stop(repo: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeAnthropic(batch_polls=2) as fake:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-dummy")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.base_url)
        for _ in range(2):  # submitted, then still running: no second batch
            assert kbsleep(repo, "anticipate", "--engine", "anthropic", "--batch") == 0
            out, err = capsys.readouterr()
            batch = out.split()[2]
            assert out.startswith(f"anticipate: batch {batch} is still running; run `kbsleep anticipate --batch` again to collect it (or add --wait)\n")
            assert "stopped" not in err and fake.count("/v1/messages/batches") == 1


def test_pages_skipped_for_one_reason_share_one_line(make_repo, fake, capsys) -> None:
    # Over a budget, every page left is skipped for the same reason: a vault of hundreds would
    # print hundreds of identical lines.
    pages = {f"Topic {n}.md": f"# Topic {n}\n\nTopic {n} is the {n}th topic; see [[Topic {(n + 1) % 6}]].\n" for n in range(6)}
    repo = make_repo(pages)
    assert kbsleep(repo, "anticipate", "--engine", "anthropic", "--max-tokens", "10") == 1
    err = capsys.readouterr().err
    skipped = [line for line in err.splitlines() if line.startswith("skipped")]
    assert len(skipped) == 1 and fake.count() == 0
    assert skipped[0].startswith("skipped 6 pages: budget: 0 tokens used of 10; the next item could use ")
    assert skipped[0].endswith(" (Topic 0.md, Topic 1.md, Topic 2.md and 3 more)")
