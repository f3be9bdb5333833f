"""Consolidate's safety net: the rewrite checks, interrupts and kills, crash recovery."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kbsleep.git import chain, transaction
from kbsleep.git.runner import recover
from kbsleep.llm import select_engine
from kbsleep.passes.consolidate import Options, consolidate
from kbsleep.passes.consolidate.safety import problems, safe_relpath
from kbsleep.testing import Fault, FakeAnthropic
from kbsleep.wiki import open_wiki
from tests.conftest import REPO, git

PAGE = """---
title: Kestrel
aliases: [rover]
---
# Kestrel

Built in 2023 by [[Liis Varte]]; see ![[map.png]] and [the log](logs/trial.md) or <https://example.org/k>.

## Dives

It dives to 40 m on 2025-06-14.
"""


@pytest.mark.parametrize(
    "new, reason",
    [
        (PAGE.replace("aliases: [rover]", "aliases: [rover"), "frontmatter no longer parses"),
        (PAGE.replace("[[Liis Varte]]", "Liis Varte"), "loses the link `liis varte`"),
        (PAGE.replace("![[map.png]] and ", ""), "loses the link `map.png`"),
        (PAGE.replace("[the log](logs/trial.md)", "the log"), "loses the link `trial`"),
        (PAGE.replace("<https://example.org/k>", "the site"), "loses the link `https://example.org/k`"),
        (PAGE.replace("## Dives", "Dives:"), "loses the heading `dives`"),
        (PAGE.replace("40 m", "forty metres"), "loses the number 40"),
        (PAGE.replace("2025-06-14", "mid-June"), "loses the date 2025-06-14"),
        ("---\ntitle: Kestrel\n---\n# Kestrel\n\n## Dives\n", "shrinks the text"),
    ],
)
def test_a_rewrite_that_loses_anything_is_rejected(new: str, reason: str) -> None:
    found = problems("Kestrel.md", [PAGE], new, max_shrink=0.5)
    assert any(reason in p for p in found), found


def test_a_rewrite_may_move_things_and_add_to_them() -> None:
    moved = PAGE.replace("## Dives\n\nIt dives to 40 m on 2025-06-14.\n", "") + "\nMore on [[Liis Varte]].\n\n## Dives\n\nIt dives to 40 m on 2025-06-14.\n"
    assert problems("Kestrel.md", [PAGE], moved, max_shrink=0.5) == []


def test_a_rewrite_of_two_pages_must_keep_what_both_hold() -> None:
    found = problems("Kestrel.md", [PAGE, "# Kestrel\n\nNote of 2026-03-01, see [[Orion]].\n"], PAGE, max_shrink=0.5)
    assert "loses the link `orion`" in found and "loses the date 2026-03-01" in found


@pytest.mark.parametrize("path", ["../x.md", "/etc/passwd", ".git/config", ".kbsleep/journal/x", "a\\..\\b.md", ""])
def test_paths_out_of_the_wiki_are_never_safe(path: str) -> None:
    assert not safe_relpath(path)


# -- interrupts, kills, recovery -------------------------------------------------------------------


@pytest.fixture
def repo(make_repo):  # type: ignore[no-untyped-def]
    return make_repo({"kbsleep.toml": "[llm]\ntimeout = 30.0\nmax-retries = 0\n"}, fixture="consolidate/wiki")


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and not {".git", ".kbsleep"} & set(p.parts)}


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def test_an_interrupt_while_committing_unwinds_the_whole_run(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before, start = snapshot(repo), head(repo)
    real_commit = chain.chain_commit
    calls = []

    def commit_then_interrupt(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args[-1].read_text(encoding="utf-8").split("\n", 1)[0])
        if len(calls) == 3:
            raise KeyboardInterrupt  # Ctrl-C once two tasks' commits were built
        return real_commit(*args, **kwargs)

    monkeypatch.setattr(chain, "chain_commit", commit_then_interrupt)
    wiki = open_wiki(repo)
    with pytest.raises(KeyboardInterrupt):
        consolidate(wiki, select_engine(wiki.config.llm, "offline"))

    assert len(calls) == 3 and all(subject.startswith("kbsleep consolidate: ") for subject in calls)
    assert head(repo) == start and snapshot(repo) == before
    assert git(repo, "status", "--porcelain") == ""
    assert not (repo / ".kbsleep" / "consolidate-run.json").exists() and not (repo / ".kbsleep" / "journal").exists()


KILLED = """
import os, signal, sys
from pathlib import Path
from kbsleep.git import chain
from kbsleep.llm import select_engine
from kbsleep.passes.consolidate import Options, consolidate
from kbsleep.wiki import open_wiki
real = chain.chain_commit
def commit_then_die(*args, **kwargs):
    real(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)  # the first task's commit built, the second not yet
chain.chain_commit = commit_then_die
wiki = open_wiki(Path(sys.argv[1]))
consolidate(wiki, select_engine(wiki.config.llm, "offline"), Options(only=["links", "index"]))
"""


def test_the_next_run_undoes_a_run_that_was_killed_between_commits(repo: Path) -> None:
    start, before = head(repo), snapshot(repo)
    killed = subprocess.run([sys.executable, "-c", KILLED, str(repo)], env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True)
    assert killed.returncode == -9, killed.stderr.decode()
    assert snapshot(repo) != before  # every page of the run written, HEAD not moved yet

    assert recover(repo)[0].startswith("restored ")
    assert head(repo) == start and snapshot(repo) == before
    assert git(repo, "status", "--porcelain") == ""


def test_recovery_never_drops_commits_it_did_not_make(repo: Path) -> None:
    wiki = open_wiki(repo)
    report = consolidate(wiki, select_engine(wiki.config.llm, "offline"), Options(only=["links", "index"]))
    assert len(report.commits) == 2
    (repo / "notes.md").write_text("mine\n", encoding="utf-8")
    git(repo, "add", "notes.md")
    git(repo, "commit", "-qm", "a human commit")
    human = head(repo)

    assert recover(repo) == ()
    assert head(repo) == human
    undone, _ = transaction.undo(repo) or (None, "")  # one undo reverts the whole run
    assert undone is not None and undone.run_id == report.run_id and undone.commits == tuple(reversed(report.commits))
    assert git(repo, "merge-base", "--is-ancestor", human, "HEAD") == "" and (repo / "notes.md").read_text(encoding="utf-8") == "mine\n"
    assert transaction.runs(repo) == []


def _start_consolidate(repo: Path, fake: FakeAnthropic) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ANTHROPIC_API_KEY": "sk-ant-test-dummy", "ANTHROPIC_BASE_URL": fake.base_url, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "kbsleep", "--wiki", str(repo), "consolidate", "--engine", "anthropic"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for_a_model_call(fake: FakeAnthropic, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while fake.in_flight == 0 and fake.count() == 0:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the run never called the model"
        time.sleep(0.02)


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 130), (signal.SIGKILL, -9)])
def test_a_run_killed_mid_way_leaves_tree_and_head_as_they_were(repo: Path, sig: signal.Signals, code: int, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    monkeypatch.setenv("ANTHROPIC_CONFIG_DIR", str(tmp_path_factory.mktemp("anthropic-config")))
    before, start = snapshot(repo), head(repo)
    # The reply comes late enough to signal mid-call; after SIGTERM/SIGINT the process still waits
    # for that in-flight call (the model layer's thread pool) before it exits, so keep it short.
    with FakeAnthropic(responder=lambda body: Fault.delay(2, '{"body": "late"}')) as fake:
        process = _start_consolidate(repo, fake)
        try:
            _wait_for_a_model_call(fake, process)
            process.send_signal(sig)
            out, err = process.communicate(timeout=20)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == code, err
    assert head(repo) == start and snapshot(repo) == before
    assert git(repo, "status", "--porcelain") == ""
