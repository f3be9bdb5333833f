"""Preview before a big write, for consolidate: over `max-pages-per-run`, a terminal is asked;
anything else gets the first batch: whole pieces of work in run order, never half a merge.

The fixture's full run writes 9 pages: links repairs 1 (Liis Varte); the merge changes 3
(its survivor, the page it removes, Liis Varte relinked); the inbox fold 3 (the topic page, the
note, its archived copy); the conflict's callouts 2 (Liis Varte, Port Evra); the index 1; the
log 1. The log always runs, to record what the run wrote: the other tasks leave it its page.
"""

from __future__ import annotations

import datetime
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kbsleep.llm import select_engine
from kbsleep.passes.consolidate import Options, consolidate
from kbsleep.sleep import SleepOptions, sleep
from kbsleep.wiki import open_wiki
from tests.conftest import git

TODAY = datetime.date(2026, 3, 20)
ALL = ["links", "duplicates", "inbox", "contradictions", "index", "log"]


def config(limit: int) -> str:
    return f'max-pages-per-run = {limit}\n[llm]\nengine = "offline"\n'


def run(root: Path, *, yes: bool = False, dry_run: bool = False, **options):  # type: ignore[no-untyped-def]
    wiki = open_wiki(root)
    return consolidate(wiki, select_engine(wiki.config.llm, "offline"), Options(dry_run=dry_run, yes=yes, today=TODAY), **options)


def committed_tasks(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.outcome.task for s in report.steps if s.commit]


def pages(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.md")) if ".git" not in p.parts and ".kbsleep" not in p.parts}


def cli(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`kbsleep` as a hook or a pipe runs it: no terminal anywhere."""
    command = [sys.executable, "-m", "kbsleep", "--wiki", str(repo), *args]
    return subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)


def test_with_no_terminal_the_first_batch_is_written_and_what_is_left_is_said(make_repo) -> None:
    repo = make_repo({"kbsleep.toml": config(2)}, fixture="consolidate/wiki")
    done = cli(repo, "consolidate")
    assert done.returncode == 0, done.stderr
    assert git(repo, "log", "-2", "--format=%s") == "kbsleep consolidate: log: log 2 tasks in log.md\nkbsleep consolidate: links: repair 3 links in 1 page\n"
    assert git(repo, "diff", "--name-only", "HEAD~2") == "log.md\npeople/Liis Varte.md\n"
    assert (repo / "log.md").read_text(encoding="utf-8").endswith(
        "] consolidate | duplicates: left for a later run\n\n"
        "- 1 more piece of work left for a later run (max-pages-per-run), from `concepts/Tidal Mixing.md`\n"
    )
    assert done.stderr == (
        "consolidate: over max-pages-per-run (2) a run writes whole pieces of work (a page's repairs, a merge with every page "
        "it relinks, a note's fold) up to that many pages; left for later runs: 1 piece of duplicates (next: concepts/Tidal Mixing.md); "
        "the tasks inbox, contradictions, index. Run it again for the next batch, or with --yes for all\n"
    )


def test_a_merge_is_never_cut_and_one_larger_than_the_limit_is_a_run_of_its_own(make_repo) -> None:
    repo = make_repo({"kbsleep.toml": config(2)}, fixture="consolidate/wiki")
    first = run(repo)
    assert committed_tasks(first) == ["links", "log"] and first.deferred == ("concepts/Tidal Mixing.md",)
    assert (repo / "concepts/tidal-mixing-notes.md").exists()  # no room for 2 more pages: the merge waits, whole
    second = run(repo)
    assert committed_tasks(second) == ["duplicates", "log"] and second.not_run == ("contradictions", "index")
    assert sorted(second.pages) == ["concepts/Tidal Mixing.md", "concepts/tidal-mixing-notes.md", "log.md", "people/Liis Varte.md"]
    assert second.deferred == ("inbox/cradle-2026-03-14.md",)


def test_batch_after_batch_ends_where_one_run_with_yes_ends(make_repo) -> None:
    whole = make_repo({"kbsleep.toml": config(4)}, fixture="consolidate/wiki", name="whole")
    assert committed_tasks(run(whole, yes=True)) == ALL
    batched = make_repo({"kbsleep.toml": config(4)}, fixture="consolidate/wiki", name="batched")
    reports = [run(batched)]
    while reports[-1].deferred or reports[-1].not_run:
        reports.append(run(batched))
    assert [committed_tasks(r) for r in reports] == [["links", "duplicates", "log"], ["inbox", "log"], ["contradictions", "index", "log"]]
    assert [len(r.pages) for r in reports] == [4, 4, 4]
    expected, written = pages(whole), pages(batched)
    assert written.keys() == expected.keys()
    assert {p for p in written if written[p] != expected[p]} == {"log.md"}  # one entry per run instead of one run's


def test_yes_writes_everything_without_asking(make_repo) -> None:
    repo = make_repo({"kbsleep.toml": config(2)}, fixture="consolidate/wiki")
    done = cli(repo, "consolidate", "--yes")
    assert done.returncode == 0 and done.stderr.startswith("left inbox/both.md: inbox: ") and "max-pages-per-run" not in done.stderr
    assert len(git(repo, "log", "--format=%s").splitlines()) == 1 + len(ALL)


def test_a_dry_run_shows_every_task(make_repo) -> None:
    repo = make_repo({"kbsleep.toml": config(2)}, fixture="consolidate/wiki")
    report = run(repo, dry_run=True)
    assert [s.outcome.task for s in report.steps if s.outcome.edits] == ALL and report.deferred == ()


@pytest.mark.parametrize(("answer", "tasks"), [(True, ALL), (False, ["links", "log"])])
def test_the_run_asks_its_confirm_callback_with_the_count_and_the_limit(make_repo, answer: bool, tasks: list[str]) -> None:
    repo = make_repo({"kbsleep.toml": config(2)}, fixture="consolidate/wiki")
    asked: list[tuple[int, int]] = []
    report = run(repo, confirm=lambda count, limit: asked.append((count, limit)) is None and answer)
    assert asked == [(9, 2)] and committed_tasks(report) == tasks


def test_under_the_limit_nothing_is_asked(make_repo) -> None:
    repo = make_repo({"kbsleep.toml": config(9)}, fixture="consolidate/wiki")
    report = run(repo, confirm=lambda count, limit: pytest.fail("asked"))
    assert committed_tasks(report) == ALL


def test_on_a_terminal_it_asks_and_yes_writes_everything(make_repo) -> None:
    repo = make_repo({"kbsleep.toml": config(2)}, fixture="consolidate/wiki")
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "kbsleep", "--wiki", str(repo), "consolidate"], stdin=follower, stdout=follower, stderr=follower, close_fds=True)
    os.close(follower)
    seen, answered, deadline = b"", False, time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:  # the terminal closed: the process is done
                    break
                if not chunk:
                    break
                seen += chunk
            if not answered and b"[y/N]: " in seen:
                os.write(leader, b"y\n")
                answered = True
            if proc.poll() is not None and not ready:
                break
        code = proc.wait(timeout=30)
    finally:
        os.close(leader)
    shown = seen.decode("utf-8", "replace").replace("\r\n", "\n")
    assert code == 0, shown
    assert "consolidate would write 9 pages, more than max-pages-per-run (2). Write all of them? (no: the first 2 now, the rest in later runs) [y/N]: y\n" in shown
    assert len(git(repo, "log", "--format=%s").splitlines()) == 1 + len(ALL)


def test_sleep_consolidates_a_batch_a_night_and_the_next_sleep_goes_on(make_repo) -> None:
    repo = make_repo({"kbsleep.toml": config(2)}, fixture="consolidate/wiki")

    def night():  # type: ignore[no-untyped-def]
        wiki = open_wiki(repo)
        return sleep(wiki, select_engine(wiki.config.llm, "offline"), SleepOptions())

    first = night()
    step = next(s for s in first.steps if s.name == "consolidate")
    assert step.detail == "links, log; 1 pieces of work and 3 tasks left for the next sleep (max-pages-per-run)"
    assert first.consolidate_left == 4
    second = night()  # nothing changed by hand, but work is left: not skipped
    assert second.skipped == "" and next(s for s in second.steps if s.name == "consolidate").detail.startswith("duplicates, log; ")
    assert not (repo / "concepts/tidal-mixing-notes.md").exists()
