"""The pass runner: every pass planned as data, then refused, shown or committed the same way."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kbsleep import sleep as sleep_module
from kbsleep.errors import KbsleepError
from kbsleep.git import runner, transaction
from kbsleep.git.transaction import Edit, Plan
from kbsleep.llm import select_engine
from kbsleep.wiki import Wiki, open_wiki
from tests.conftest import git


@dataclass(frozen=True)
class Stamped:
    """The report of `Stamp`: what it planned, and what the runner did with it."""

    planned: tuple[str, ...]
    done: runner.Done | None = None

    # what every pass's report says (`runner.Result`), for `sleep`
    run_id = property(lambda self: self.done.run_id if self.done else "")
    commits = property(lambda self: tuple(a.commit.sha for a in self.done.applied if a.commit) if self.done else ())
    pages = property(lambda self: self.planned)
    tokens, cost_usd, halted, failed, postponed = 0, 0.0, "", (), 0
    summary = property(lambda self: f"{len(self.planned)} pages stamped")


@dataclass
class Stamp:
    """A pass of this test's own: appends `line` to each page of each group, one commit per group."""

    groups: tuple[tuple[str, ...], ...]
    line: str = "stamped"
    name: str = "stamp"
    commits: bool = True
    spent: list[str] = field(default_factory=list)  # the pages it "asked a model" about

    def plan(self, wiki: Wiki, context: runner.Context) -> runner.Planned[Stamped]:
        pages = [p for group in self.groups for p in group]
        if not context.dry_run:
            runner.refuse_dirty(wiki.root, pages, self.name)  # before spending anything
        self.spent += pages
        texts: dict[str, str] = {}
        plans = []
        for number, group in enumerate(self.groups):
            edits = []
            for path in group:
                before = texts.get(path, wiki.pages[path].text if path in wiki.pages else "")
                texts[path] = f"{before}{self.line} {number}\n"
                edits.append(Edit(path, texts[path], f"stamp {number}"))
            plans.append(Plan(self.name, f"group {number}", tuple(edits), {"Kbsleep-Group": str(number)}))
        return runner.Planned(Stamped(tuple(pages)), tuple(plans))

    def finish(self, wiki: Wiki, planned: runner.Planned[Stamped], done: runner.Done) -> Stamped:
        return Stamped(planned.report.planned, done)


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and not {".git", ".kbsleep"} & set(p.parts)}


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(make_repo) -> Path:  # type: ignore[no-untyped-def]
    return make_repo({"A.md": "# A\n", "B.md": "# B\n", "C.md": "# C\n"})


def test_a_pass_lands_as_one_commit_per_plan_with_its_trailers_under_one_run(repo: Path) -> None:
    start = head(repo)
    done = runner.run(Stamp((("A.md", "B.md"),)), open_wiki(repo), runner.Context(run_id="run-1")).done

    assert done is not None and not done.dry_run and len(done.applied) == 1
    commit = done.applied[0].commit
    assert commit is not None and sorted(commit.paths) == ["A.md", "B.md"]
    assert git(repo, "rev-list", f"{start}..HEAD").split() == [commit.sha]
    assert git(repo, "log", "-1", "--format=%B") == (
        "kbsleep stamp: group 0\n\n- A.md: stamp 0\n- B.md: stamp 0\n\nKbsleep-Pass: stamp\nKbsleep-Run: run-1\nKbsleep-Group: 0\n\n"
    )
    assert (repo / "A.md").read_text() == "# A\nstamped 0\n" and git(repo, "status", "--porcelain") == ""


def test_each_plan_is_a_commit_in_order_and_one_undo_reverts_the_run(repo: Path) -> None:
    before, start = snapshot(repo), head(repo)
    runner.run(Stamp((("A.md",), ("A.md", "C.md"))), open_wiki(repo), runner.Context(run_id="run-2"))

    assert git(repo, "log", "--format=%s", f"{start}..HEAD").splitlines() == ["kbsleep stamp: group 1", "kbsleep stamp: group 0"]
    assert (repo / "A.md").read_text() == "# A\nstamped 0\nstamped 1\n"
    undone = transaction.undo(repo)
    assert undone is not None and undone[0].run_id == "run-2" and len(undone[0].commits) == 2
    assert snapshot(repo) == before and git(repo, "status", "--porcelain") == ""


def test_a_dry_run_writes_nothing_and_diffs_each_plan_on_the_ones_before(repo: Path) -> None:
    before, start = snapshot(repo), head(repo)
    done = runner.run(Stamp((("A.md",), ("A.md",))), open_wiki(repo), runner.Context(dry_run=True)).done

    assert done is not None and done.dry_run and done.applied == ()
    assert done.diffs[0] == "--- a/A.md\n+++ b/A.md\n@@ -1 +1,2 @@\n # A\n+stamped 0\n"
    assert done.diffs[1] == "--- a/A.md\n+++ b/A.md\n@@ -1,2 +1,3 @@\n # A\n stamped 0\n+stamped 1\n"
    assert snapshot(repo) == before and head(repo) == start and git(repo, "status", "--porcelain") == ""
    assert not (repo / ".kbsleep" / "journal").exists()


def test_a_dry_run_is_refused_nothing_over_uncommitted_changes(repo: Path) -> None:
    (repo / "A.md").write_text("# A\n\nmy draft\n")
    done = runner.run(Stamp((("A.md",),)), open_wiki(repo), runner.Context(dry_run=True)).done
    assert done is not None and "+stamped 0" in done.diffs[0]
    assert (repo / "A.md").read_text() == "# A\n\nmy draft\n"


@pytest.mark.parametrize("change", ["edited", "staged", "untracked"])
def test_uncommitted_changes_in_a_file_the_pass_would_touch_are_refused_by_name_before_it_spends(repo: Path, change: str) -> None:
    start = head(repo)
    target = "New.md" if change == "untracked" else "B.md"
    (repo / target).write_text("# mine\n")
    if change == "staged":
        git(repo, "add", target)
    stamp = Stamp((("A.md", target),))
    with pytest.raises(KbsleepError, match=f"^uncommitted changes in files stamp would touch: {target}$") as raised:
        runner.run(stamp, open_wiki(repo), runner.Context())
    assert raised.value.hint == "commit or stash them first; nothing was written"
    assert stamp.spent == [] and head(repo) == start and (repo / "A.md").read_text() == "# A\n"


def test_the_runner_refuses_a_plan_over_uncommitted_changes_even_when_the_pass_did_not_ask(repo: Path) -> None:
    @dataclass
    class Careless(Stamp):
        def plan(self, wiki: Wiki, context: runner.Context) -> runner.Planned[Stamped]:
            return super().plan(wiki, runner.Context(dry_run=True))  # skips its own check

    (repo / "C.md").write_text("# C, my draft\n")
    with pytest.raises(KbsleepError, match="^uncommitted changes in files stamp would touch: C.md$"):
        runner.run(Careless((("A.md", "C.md"),)), open_wiki(repo), runner.Context())
    assert (repo / "A.md").read_text() == "# A\n" and git(repo, "status", "--porcelain") == " M C.md\n"


def test_a_failure_mid_apply_leaves_the_tree_and_head_as_they_were_before_the_pass(make_repo) -> None:
    root = make_repo({"A.md": "# A\n", "blocker": "a file, so blocker/x.md cannot be written"})
    start = head(root)
    with pytest.raises(OSError):  # the second plan fails while its files are written
        runner.run(Stamp((("A.md",), ("A.md", "blocker/x.md"))), open_wiki(root), runner.Context(run_id="run-3"))

    assert head(root) == start  # the pass's commits land together or not at all
    assert (root / "A.md").read_text() == "# A\n"
    assert git(root, "status", "--porcelain") == "" and not (root / ".kbsleep" / "journal").exists()


KILLED = """
import sys
from pathlib import Path
from kbsleep.git import transaction
root = Path(sys.argv[1])
edits = tuple(transaction.Edit(f"p{i}.md", "x" * 400_000 + str(i)) for i in range(300))
transaction.apply(root, transaction.Plan("stamp", "300 pages", edits), "run-killed")
"""


def _git_holds(lock: Path) -> bool:
    """Whether git itself (not the lock kbsleep's killed pass left, which the next pass takes over) holds `lock`."""
    try:
        return not lock.read_bytes().startswith(b"kbsleep ")
    except OSError:
        return False


def test_a_pass_killed_mid_apply_is_undone_before_the_next_pass_reads_a_page(make_repo) -> None:
    root = make_repo({f"p{i}.md": f"# {i}\n" for i in range(300)})
    start = head(root)
    proc = subprocess.Popen([sys.executable, "-c", KILLED, str(root)], stderr=subprocess.PIPE)
    journal = root / ".kbsleep" / "journal" / "journal.json"
    deadline = time.monotonic() + 30
    while not journal.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.kill()
    proc.wait(timeout=60)
    lock = root / ".git" / "index.lock"
    deadline = time.monotonic() + 30
    while _git_holds(lock) and time.monotonic() < deadline:
        time.sleep(0.01)  # a git command the killed pass had started runs to its end (kill -9 reaches the parent only)
    if head(root) != start:
        pytest.skip("the kill came after the commit landed")

    stamp = Stamp((("p7.md",),))
    done = runner.run(stamp, open_wiki(root), runner.Context()).done
    assert (root / "p7.md").read_text() == "# 7\nstamped 0\n"  # planned on the page as it was, not half written
    assert done is not None and all(line.startswith("restored ") for line in done.recovered)
    assert git(root, "status", "--porcelain") == ""


def test_a_pass_that_commits_nothing_runs_outside_git_and_its_dry_run_leaves_the_index_alone(tmp_path: Path) -> None:
    from kbsleep.passes.search_index import SearchIndex

    (tmp_path / "A.md").write_text("# A\n\nAlpha.\n")
    wiki = open_wiki(tmp_path)
    assert runner.run(SearchIndex(), wiki, runner.Context(dry_run=True)).summary == "not re-indexed (dry run)"
    assert not (tmp_path / ".kbsleep" / "index.sqlite").exists()
    refreshed = runner.run(SearchIndex(), wiki, runner.Context())
    assert (refreshed.summary, refreshed.commits) == ("1 of 1 pages re-indexed", ())


def test_a_pass_that_commits_refuses_a_folder_outside_git(tmp_path: Path) -> None:
    (tmp_path / "A.md").write_text("# A\n")
    with pytest.raises(KbsleepError, match="is not in a git work tree; stamp commits what it writes"):
        runner.run(Stamp((("A.md",),)), open_wiki(tmp_path), runner.Context())


def test_a_pass_added_to_the_sleep_table_runs_in_the_cycle_under_its_one_run_id(make_repo, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo({"A.md": "# A\n\nAlpha, see [[B]].\n", "B.md": "# B\n\nBeta.\n", "kbsleep.toml": '[llm]\nengine = "offline"\n'})
    before = snapshot(root)
    monkeypatch.setitem(sleep_module.PASSES, "stamp", lambda options, config: Stamp((("A.md",),)))
    wiki = open_wiki(root)
    report = sleep_module.sleep(wiki, select_engine(wiki.config.llm, "offline"))

    assert [step.name for step in report.steps] == ["consolidate", "lint", "anticipate", "index", "stamp"]
    assert report.steps[-1].commits and (root / "A.md").read_text().endswith("stamped 0\n")
    [run] = transaction.runs(root)
    assert run.run_id == report.run_id and "stamp" in run.passes and len(run.commits) == len(report.commits)
    transaction.undo(root)
    assert snapshot(root) == before
