"""`kbsleep mcp --allow-writes`: the passes as tools (dry runs unless a call says otherwise, undoable
commits), and a wiki that changes between calls: the next call sees it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from kbsleep.lock import hold
from tests.ask.support import ADA
from tests.mcp.support import DEV, Session, environment, files, make_wiki, serve


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    # (a page the index does not link yet: consolidate's index task has one to add)
    root = make_wiki(tmp_path_factory.mktemp("mcp-writes") / "wiki", {**files(), "topics/Compilers.md": "# Compilers\n\nA compiler turns source code into machine code; [[Cobalt]] is one, and this page collects how the wiki uses the word.\n"})
    with serve(root, "--allow-writes", "--engine", "offline") as session:
        yield session


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env=environment(root.parent / "home"), check=True)
    return done.stdout


def kbsleep(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kbsleep", "--wiki", str(root), *args], capture_output=True, text=True, env=environment(root.parent / "home"))


def test_the_write_tools_are_listed_as_writes(server: Session) -> None:
    tools = server.tools()
    assert sorted(tools) == ["anticipate", "ask", "consolidate", "lint", "read", "search", "status"]
    for name in ("anticipate", "consolidate"):
        annotations = tools[name].annotations
        assert annotations is not None and annotations.read_only_hint is False
        assert tools[name].input_schema["properties"]["dry_run"]["default"] is True
    assert "`dry_run` first" in (server.client.instructions or "")


def test_anticipate_is_a_dry_run_unless_the_call_says_otherwise(server: Session) -> None:
    head = git(server.root, "rev-parse", "HEAD")
    got = server.data("anticipate", paths=["people/Ada Lovelace.md"])
    assert (got["dry_run"], got["commit"], got["run_id"], got["undo"]) == (True, None, None, None)
    assert [w["page"] for w in got["written"]] == ["people/Ada Lovelace.md"]
    assert "+<!-- kbsleep:anticipate v=1 " in got["diff"] and "+## Anticipated questions" in got["diff"]
    assert git(server.root, "rev-parse", "HEAD") == head
    assert git(server.root, "status", "--porcelain") == ""


@pytest.mark.parametrize("name", ["Ada Lovelace", "[[Ada Lovelace]]"])
def test_anticipate_takes_a_page_by_the_name_read_takes(server: Session, name: str) -> None:
    got = server.data("anticipate", paths=[name])
    assert [w["page"] for w in got["written"]] == ["people/Ada Lovelace.md"]
    assert "no page `Ada Lovelance`" in server.error("anticipate", paths=["Ada Lovelance"])


def test_anticipate_commits_once_with_trailers_and_undo_reverts_it(server: Session) -> None:
    got = server.data("anticipate", paths=["people/Ada Lovelace.md"], dry_run=False)
    assert got["dry_run"] is False and got["undo"] == "kbsleep undo"
    assert git(server.root, "rev-parse", "HEAD").strip() == got["commit"]
    trailers = git(server.root, "log", "-1", "--format=%(trailers:only,unfold)")
    assert "Kbsleep-Pass: anticipate\n" in trailers and f"Kbsleep-Run: {got['run_id']}\n" in trailers
    assert git(server.root, "show", "--name-only", "--format=", "HEAD").splitlines() == ["people/Ada Lovelace.md"]
    written = server.data("read", page="Ada Lovelace")  # the kept model is reloaded after the write
    assert "<!-- kbsleep:anticipate v=1 " in written["text"]
    undone = kbsleep(server.root, "undo")
    assert undone.returncode == 0, undone.stderr
    assert server.data("read", page="Ada Lovelace")["text"] == ADA.rstrip("\n")


def test_consolidate_plans_as_a_dry_run_then_commits_a_task(server: Session) -> None:
    head = git(server.root, "rev-parse", "HEAD")
    planned = server.data("consolidate", only=["index"])
    assert planned["dry_run"] is True and planned["commits"] == []
    assert [step["task"] for step in planned["steps"]] == ["index"]
    assert "+<!-- kbsleep:index " in planned["steps"][0]["diff"]
    assert git(server.root, "rev-parse", "HEAD") == head
    done = server.data("consolidate", only=["index"], dry_run=False)
    assert len(done["commits"]) == 1 and done["steps"][0]["commit"] == done["commits"][0]
    assert "Kbsleep-Pass: consolidate\n" in git(server.root, "log", "-1", "--format=%(trailers:only,unfold)")
    assert kbsleep(server.root, "undo").returncode == 0


def test_an_unknown_consolidate_task_is_an_error(server: Session) -> None:
    assert "unknown consolidate task `tidy`" in server.error("consolidate", only=["tidy"])


def test_a_write_while_another_kbsleep_writes_is_refused(server: Session) -> None:
    with hold(server.root, "sleep"):
        text = server.error("anticipate", dry_run=False)
    assert "kbsleep is already running on this wiki" in text and "`kbsleep sleep`" in text
    assert git(server.root, "status", "--porcelain") == ""


def test_a_file_edited_between_two_calls_is_seen_by_the_next(server: Session) -> None:
    page = server.root / "people" / "Ada Lovelace.md"
    assert server.data("read", page="Ada Lovelace")["text"] == ADA.rstrip("\n")
    page.write_text(ADA + "\nShe died in London in 1852, aged thirty-six.\n", encoding="utf-8")
    try:
        assert server.data("read", page="Ada Lovelace")["text"].endswith("She died in London in 1852, aged thirty-six.")
        found = server.data("search", query="1852")["results"]
        assert found[0]["page"] == "people/Ada Lovelace.md" and "1852" in found[0]["snippet"]
        assert "1852" in server.data("ask", question="When did Ada Lovelace die?")["answer"]
    finally:
        git(server.root, "checkout", "--", "people/Ada Lovelace.md")
    assert server.data("read", page="Ada Lovelace")["text"] == ADA.rstrip("\n")


def test_a_page_added_between_two_calls_mends_a_broken_link(server: Session) -> None:
    assert [f["code"] for f in server.data("lint", paths=["people"])["findings"]] == ["KB101"]
    added = server.root / "people" / "Mara Ilves.md"
    added.write_text("# Mara Ilves\n\nStudied with [[Dev Arunachalam]].\n", encoding="utf-8")
    try:
        assert server.data("lint", paths=["people/Dev Arunachalam.md"])["findings"] == []
        links = server.data("read", page="Dev Arunachalam")["links"]
        assert links[1] == {"link": "[[Mara Ilves]]", "line": 4, "target": "people/Mara Ilves.md", "status": "resolved"}
    finally:
        added.unlink()
    assert server.data("read", page=DEV.splitlines()[0][2:])["links"][1]["status"] == "missing"
