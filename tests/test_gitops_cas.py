"""Compare-and-swap writes: a page is written only if it is still the bytes its edit was planned
from, checked under git's own index lock; a commit a user makes while a pass runs is never lost."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest

from kbsleep.git import transaction
from kbsleep.errors import KbsleepError
from kbsleep.git import journal
from kbsleep.git.transaction import ABSENT, Edit, Plan, Refused
from kbsleep.llm import select_engine
from kbsleep.passes import gate
from kbsleep.passes.anticipate import Options, anticipate
from kbsleep.passes.consolidate import consolidate
from kbsleep.sleep import SleepOptions, sleep
from kbsleep.state import ensure_state_dir
from kbsleep.testing import FakeAnthropic, Fault
from kbsleep.wiki import open_wiki
from kbsleep.wiki.content import blob_id
from tests.conftest import REPO, git

COBALT = "projects/Cobalt.md"
QUESTION = "**Who maintains Cobalt?**"
HAND = "**Who maintains Cobalt, and since when?**"


def offline(root: Path):  # type: ignore[no-untyped-def]
    wiki = open_wiki(root)
    return wiki, select_engine(wiki.config.llm, "offline", state_dir=ensure_state_dir(root))


def user_commits_during_the_gate(monkeypatch: pytest.MonkeyPatch, path: str, change: Callable[[str], str], root: Path) -> list[str]:
    """Make the user commit `change` to `path` once, while a pass checks a plan that writes it:
    after the pass read and checked the page, before it writes. Returns the commit, once made."""
    real = gate.check
    made: list[str] = []

    def check(wiki, edits, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not made and any(e.path == path for e in edits):
            page = root / path
            page.write_text(change(page.read_text(encoding="utf-8")), encoding="utf-8")
            git(root, "commit", "-qm", "my edit", "--", path)
            made.append(git(root, "rev-parse", "HEAD").strip())
        return real(wiki, edits, *args, **kwargs)

    monkeypatch.setattr(gate, "check", check)
    return made


def hand_edit(text: str) -> str:
    assert QUESTION in text
    return text.replace(QUESTION, HAND)


@pytest.fixture
def answered(make_repo) -> Path:
    """The anticipate fixture wiki with every page answered and committed."""
    root = make_repo(fixture="anticipate/wiki")
    wiki, model = offline(root)
    assert anticipate(wiki, model, Options()).commit is not None
    return root


def test_a_commit_made_while_anticipate_runs_is_kept_and_its_page_left_for_the_next_run(answered: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = user_commits_during_the_gate(monkeypatch, COBALT, hand_edit, answered)
    wiki, model = offline(answered)
    outcome = anticipate(wiki, model, Options(force=True))
    assert made, "the user's commit was not made"
    assert HAND in git(answered, "show", f"HEAD:{COBALT}")  # the user's edit is in HEAD...
    assert git(answered, "merge-base", "--is-ancestor", made[0], "HEAD") == ""  # ...and so is their commit
    assert (answered / COBALT).read_text(encoding="utf-8").count(HAND) == 1
    assert [(s.path, s.reason) for s in outcome.skipped] == [(COBALT, f"not written: {transaction.CHANGED}")]
    assert sorted(w.path for w in outcome.written) == ["people/Dev Arunachalam.md", "places/Port Evra.md"]
    assert outcome.commit is None  # the other pages' answers came out as they were: nothing to commit
    assert git(answered, "rev-parse", "HEAD").strip() == made[0]
    assert git(answered, "status", "--porcelain") == ""


def test_a_commit_made_while_consolidate_plans_is_kept_and_the_rest_of_the_run_left(make_repo, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo(fixture="consolidate/wiki")
    made = user_commits_during_the_gate(monkeypatch, "index.md", lambda text: text + "\nA line of my own.\n", root)
    wiki, model = offline(root)
    report = consolidate(wiki, model)
    assert made
    assert git(root, "show", "HEAD:index.md").endswith("\nA line of my own.\n")
    assert git(root, "merge-base", "--is-ancestor", made[0], "HEAD") == ""
    index = next(s for s in report.steps if s.outcome.task == "index")
    assert index.commit is None and [(left.path, left.reason) for left in index.outcome.left][-1] == ("index.md", f"not written: index.md {transaction.CHANGED}; run consolidate again")
    log = next(s for s in report.steps if s.outcome.task == "log")
    assert log.commit is None  # planned on top of the index task, which was not written
    assert git(root, "status", "--porcelain") == ""


def test_a_commit_made_while_sleep_runs_is_kept(answered: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Cobalt changes (committed), so the next sleep's anticipate step rewrites its answers.
    page = answered / COBALT
    page.write_text(page.read_text(encoding="utf-8").replace("unchanged steps.\n", "unchanged steps.\n- A web viewer.\n"), encoding="utf-8")
    git(answered, "commit", "-qam", "Cobalt: a roadmap item")
    made = user_commits_during_the_gate(monkeypatch, COBALT, hand_edit, answered)
    wiki, model = offline(answered)
    report = sleep(wiki, model, SleepOptions(force=True))
    assert made and report.commits
    assert HAND in git(answered, "show", f"HEAD:{COBALT}")
    assert git(answered, "merge-base", "--is-ancestor", made[0], "HEAD") == ""
    assert git(answered, "status", "--porcelain") == ""


# -- the transaction itself ---------------------------------------------------------------------


def plan(*edits: Edit, separable: bool = True) -> Plan:
    return Plan("anticipate", f"{len(edits)} pages", tuple(edits), separable=separable)


def test_an_edit_whose_file_changed_since_it_was_planned_is_left_out(make_repo) -> None:
    root = make_repo({"A.md": "# A\n", "B.md": "# B\n"})
    planned = blob_id(b"# A\n")
    (root / "A.md").write_text("# A, committed by its user\n")
    git(root, "commit", "-qam", "mine")
    done = transaction.apply(root, plan(Edit("A.md", "# A\n\nanswers\n", base=planned), Edit("B.md", "# B\n\nanswers\n", base=blob_id(b"# B\n"))), "run1")
    assert done.left_out == (Refused("A.md", transaction.CHANGED),)
    assert done.commit is not None and done.commit.paths == ("B.md",)
    assert (root / "A.md").read_text() == "# A, committed by its user\n"
    assert git(root, "status", "--porcelain") == ""


def test_a_plan_that_is_not_separable_is_left_out_whole(make_repo) -> None:
    root = make_repo({"A.md": "# A\n", "B.md": "# B\n"})
    head = git(root, "rev-parse", "HEAD")
    (root / "New.md").write_text("# New, by its user\n")  # where the plan would create a page
    done = transaction.apply(root, plan(Edit("B.md", "# B2\n", base=blob_id(b"# B\n")), Edit("New.md", "# New\n", base=ABSENT), separable=False), "run1")
    assert done.commit is None and done.left_out == (Refused("New.md", transaction.CHANGED),)
    assert git(root, "rev-parse", "HEAD") == head and (root / "B.md").read_text() == "# B\n"
    assert (root / "New.md").read_text() == "# New, by its user\n"


def test_a_page_changed_between_the_check_and_the_write_is_caught_under_the_lock(make_repo, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo({"A.md": "# A\n", "B.md": "# B\n"})
    real = journal.begin

    def journal_then_user_commits(*args, **kwargs):  # type: ignore[no-untyped-def]
        folder = real(*args, **kwargs)
        (root / "A.md").write_text("# A, committed just now\n")
        git(root, "commit", "-qam", "mine")
        return folder

    monkeypatch.setattr(journal, "begin", journal_then_user_commits)
    done = transaction.apply(root, plan(Edit("A.md", "# A2\n"), Edit("B.md", "# B2\n")), "run1")
    assert done.left_out == (Refused("A.md", transaction.CHANGED),) and done.commit is not None and done.commit.paths == ("B.md",)
    assert git(root, "show", "HEAD:A.md") == "# A, committed just now\n" and (root / "A.md").read_text() == "# A, committed just now\n"
    assert git(root, "show", "HEAD:B.md") == "# B2\n" and git(root, "status", "--porcelain") == ""


def test_a_user_commit_tried_while_kbsleep_writes_is_refused_by_git_not_mixed_in(make_repo, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo({"A.md": "# A\n", "B.md": "# B\n", "Mine.md": "# mine\n"})
    (root / "Mine.md").write_text("# mine, edited\n")
    tried: list[subprocess.CompletedProcess[str]] = []
    real = journal.place

    def place_then_user_commits(*args, **kwargs):  # type: ignore[no-untyped-def]
        real(*args, **kwargs)
        if not tried:  # one page written, the next not yet: the user runs `git commit -a`
            tried.append(subprocess.run(["git", "commit", "-qam", "mine"], cwd=root, capture_output=True, text=True))

    monkeypatch.setattr(journal, "place", place_then_user_commits)
    done = transaction.apply(root, plan(Edit("A.md", "# A2\n"), Edit("B.md", "# B2\n")), "run1")
    assert tried[0].returncode != 0 and "index.lock" in tried[0].stderr
    assert done.commit is not None and git(root, "show", "--name-only", "--format=", "HEAD").split() == ["A.md", "B.md"]
    assert git(root, "status", "--porcelain") == " M Mine.md\n"
    assert subprocess.run(["git", "commit", "-qam", "mine"], cwd=root).returncode == 0  # after the pass: as usual


# -- real processes -----------------------------------------------------------------------------


def reply_for(body: dict) -> str:  # type: ignore[type-arg]
    """A valid structured reply about the page the prompt names."""
    name = re.search(r"for the page \[\[([^\]]+)\]\]", body["messages"][0]["content"]).group(1)  # type: ignore[union-attr]
    return json.dumps({"questions": [{"question": f"What is {name}?", "answer": f"It is described on its page. [[{name}]]", "citations": [name]}]})


def test_a_commit_made_during_a_real_anticipate_run_stays_in_head(make_repo, tmp_path_factory: pytest.TempPathFactory) -> None:
    root = make_repo({"kbsleep.toml": "[llm]\ntimeout = 30.0\nmax-retries = 0\n"}, fixture="anticipate/wiki")
    env = {**os.environ, "ANTHROPIC_API_KEY": "sk-ant-test-dummy", "PYTHONPATH": str(REPO), "ANTHROPIC_CONFIG_DIR": str(tmp_path_factory.mktemp("anthropic"))}
    with FakeAnthropic(responder=lambda body: Fault.delay(0.5, reply_for(body))) as fake:
        env["ANTHROPIC_BASE_URL"] = fake.base_url
        process = subprocess.Popen([sys.executable, "-m", "kbsleep", "--wiki", str(root), "anticipate", "--engine", "anthropic"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while fake.in_flight == 0 and fake.count() == 0:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.02)
        page = root / COBALT
        page.write_text(page.read_text(encoding="utf-8") + "\nAdded while kbsleep ran.\n", encoding="utf-8")
        git(root, "commit", "-qam", "mine")
        mine = git(root, "rev-parse", "HEAD").strip()
        out, err = process.communicate(timeout=60)
    assert process.returncode == 1, err  # Cobalt was skipped: it changed while the run asked about it
    assert b"skipped projects/Cobalt.md: changed on disk while kbsleep ran" in err
    assert b"anticipate: wrote 2 pages" in out
    assert git(root, "merge-base", "--is-ancestor", mine, "HEAD") == ""
    assert git(root, "show", f"HEAD:{COBALT}").endswith("\nAdded while kbsleep ran.\n")
    assert git(root, "status", "--porcelain") == ""


def saving(monkeypatch: pytest.MonkeyPatch, root: Path, page: str, module: object, name: str) -> None:
    """An editor saves `page` (appends a line) just before kbsleep's first call of `module.name`."""
    real = getattr(module, name)
    saved: list[bool] = []

    def save_then(*args, **kwargs):  # type: ignore[no-untyped-def]
        if not saved:
            saved.append(True)
            with open(root / page, "a", encoding="utf-8") as out:
                out.write("saved by an editor\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, save_then)


def test_a_page_an_editor_saves_after_the_check_but_before_kbsleep_writes_it_is_left_out(make_repo, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo({"A.md": "# A\n", "B.md": "# B\n"})
    saving(monkeypatch, root, "B.md", journal, "place")  # as kbsleep writes A.md
    done = transaction.apply(root, plan(Edit("A.md", "# A2\n"), Edit("B.md", "# B2\n")), "run1")
    assert done.left_out == (Refused("B.md", transaction.CHANGED),) and done.commit is not None and done.commit.paths == ("A.md",)
    assert (root / "B.md").read_text() == "# B\nsaved by an editor\n"


def test_a_page_an_editor_saves_after_kbsleep_wrote_it_is_left_out_of_the_commit_with_the_save_kept(make_repo, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo({"A.md": "# A\n", "B.md": "# B\n"})
    saving(monkeypatch, root, "A.md", transaction, "commit")  # after kbsleep wrote every page
    done = transaction.apply(root, plan(Edit("A.md", "# A2\n"), Edit("B.md", "# B2\n")), "run1")
    assert done.left_out == (Refused("A.md", transaction.CHANGED),) and done.commit is not None and done.commit.paths == ("B.md",)
    assert git(root, "show", "--name-only", "--format=", "HEAD") == "B.md\n" and git(root, "show", "HEAD:A.md") == "# A\n"
    assert (root / "A.md").read_text() == "# A2\nsaved by an editor\n"  # the save is kept, uncommitted
    assert git(root, "status", "--porcelain") == " M A.md\n"


def test_a_plan_whose_edits_belong_together_writes_nothing_when_an_editor_saves_one_of_its_pages(make_repo, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo({"A.md": "# A\n", "B.md": "# B\n"})
    head = git(root, "rev-parse", "HEAD")
    saving(monkeypatch, root, "A.md", transaction, "commit")
    with pytest.raises(KbsleepError, match="A.md was written by something else while kbsleep committed it; nothing was written"):
        transaction.apply(root, plan(Edit("A.md", "# A2\n"), Edit("B.md", "# B2\n"), separable=False), "run1")
    assert git(root, "rev-parse", "HEAD") == head
    assert (root / "A.md").read_text() == "# A2\nsaved by an editor\n" and (root / "B.md").read_text() == "# B\n"
    assert git(root, "status", "--porcelain") == " M A.md\n"
