"""A warm `ask`: git's status started before the imports (`changes.looking_ahead`), read once
and never outliving the command; one git call for the work tree's top; no git call at all for
the vault's settings when the wiki is its own vault; the modules only a model run needs left
unimported; numpy's BLAS threads told not to spin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kbsleep import changes
from kbsleep.ask import ask
from kbsleep.cli import main
from kbsleep.config import load_config
from kbsleep.git import reads
from kbsleep.search.index import Index
from tests.ask.support import wiki_files
from tests.conftest import git

ROOT = Path(__file__).resolve().parents[2]
ADA = "people/Ada Lovelace.md"


def mark(root: Path) -> str:
    status = changes.status(root, "settings")
    assert status is not None
    return status.mark


def answer(root: Path, question: str) -> str:
    return ask(root, load_config(root), question, engine="offline", record=False).text


# -- the status started ahead ------------------------------------------------------------------


def test_the_status_started_ahead_is_the_one_git_gives_and_is_read_without_running_git_again(make_repo, monkeypatch) -> None:
    root = make_repo(wiki_files())
    (root / ADA).write_text("# Ada Lovelace\n\nAda kept bees.\n", encoding="utf-8")  # dirty: its stats join the mark
    expected = mark(root)
    with changes.looking_ahead(root):
        monkeypatch.setattr(reads, "status", lambda root: pytest.fail("git status ran again"))
        assert mark(root) == expected


def test_an_ask_inside_the_block_answers_from_a_page_edited_before_it(make_repo) -> None:
    root = make_repo(wiki_files())
    assert "1815" in answer(root, "When was Ada Lovelace born?")
    (root / ADA).write_text("# Ada Lovelace\n\nAda Lovelace was born in 1816.\n", encoding="utf-8")
    with changes.looking_ahead(root):
        assert "1816" in answer(root, "When was Ada Lovelace born?")
    git(root, "checkout", "--", ADA)  # clean again
    with changes.looking_ahead(root):
        assert "1815" in answer(root, "When was Ada Lovelace born?")


def test_a_second_status_in_the_block_asks_git_again(make_repo) -> None:
    root = make_repo(wiki_files())
    with changes.looking_ahead(root):
        first = mark(root)
        (root / ADA).write_text("# Ada Lovelace\n\nAda kept goats.\n", encoding="utf-8")
        assert mark(root) != first


def test_a_status_nobody_read_ends_with_the_block_and_the_next_status_sees_later_edits(make_repo) -> None:
    root = make_repo(wiki_files())
    clean = mark(root)
    with changes.looking_ahead(root):
        started = changes._AHEAD[os.path.abspath(root)]
        assert started is not None
    assert changes._AHEAD == {} and started.process is not None and started.process.returncode == 0  # ended, not killed
    assert not (root / ".git" / "index.lock").exists()
    (root / ADA).write_text("# Ada Lovelace\n\nAda kept goats.\n", encoding="utf-8")
    assert mark(root) != clean


def test_the_cli_s_ask_reads_the_status_it_started(make_repo, monkeypatch, capsys) -> None:
    root = make_repo(wiki_files())
    assert main(["--wiki", str(root), "ask", "--no-log", "--engine", "offline", "When was Ada Lovelace born?"]) == 0  # builds the index
    (root / ADA).write_text("# Ada Lovelace\n\nAda Lovelace was born in 1816.\n", encoding="utf-8")
    monkeypatch.setattr(reads, "status", lambda root: pytest.fail("git status ran after the imports"))
    capsys.readouterr()
    assert main(["--wiki", str(root), "ask", "--no-log", "--engine", "offline", "--json", "When was Ada Lovelace born?"]) == 0
    assert "1816" in json.loads(capsys.readouterr().out)["answer"]
    assert changes._AHEAD == {} and changes._TOPS == {}


def test_outside_git_there_is_no_status_ahead_either(tmp_path: Path) -> None:
    (tmp_path / "A.md").write_text("# A\n", encoding="utf-8")
    with changes.looking_ahead(tmp_path):
        assert changes.status(tmp_path, "settings") is None


# -- the work tree's top -------------------------------------------------------------------------


def count_toplevel(monkeypatch) -> list[Path]:  # type: ignore[no-untyped-def]
    asked: list[Path] = []
    real = reads.toplevel

    def counted(path: Path) -> Path | None:
        asked.append(path)
        return real(path)

    monkeypatch.setattr(reads, "toplevel", counted)
    return asked


def test_inside_the_block_git_is_asked_for_the_top_once_and_outside_every_time(make_repo, monkeypatch) -> None:
    root = make_repo(wiki_files())
    asked = count_toplevel(monkeypatch)
    with changes.looking_ahead(root):
        assert changes.git_top(root) == changes.git_top(root / ".") == changes.git_top(root).resolve()
    assert len(asked) == 1
    changes.git_top(root)
    changes.git_top(root)
    assert len(asked) == 3


def test_a_wiki_that_is_its_own_vault_reads_its_settings_without_asking_git_for_the_top(make_repo, monkeypatch) -> None:
    root = make_repo({"A.md": "# A\n\nCobalt.\n", "Archive/Old.md": "# Old cobalt\n", ".obsidian/app.json": '{"userIgnoreFilters": ["Archive/"]}'})
    with Index(root, load_config(root)) as index:
        index.refresh()  # the first: the wiki model's snapshot asks for the top
    asked = count_toplevel(monkeypatch)
    with Index(root, load_config(root)) as index:
        assert index.refresh().updated == 0
        assert asked == []
        assert [row[0] for row in index.db.execute("SELECT path FROM pages")] == ["A.md"]


def test_a_vault_above_the_wiki_is_still_found_through_the_work_tree_s_top(make_repo) -> None:
    root = make_repo({"notes/A.md": "# A\n\nCobalt.\n", "notes/Archive/Old.md": "# Old cobalt\n", ".obsidian/app.json": '{"userIgnoreFilters": ["notes/Archive/"]}'})
    with Index(root / "notes", load_config(root / "notes")) as index:
        index.refresh()
        assert [row[0] for row in index.db.execute("SELECT path FROM pages")] == ["A.md"]
        assert (index._vault.prefix, index._vault.excluded) == ("notes/", ("notes/Archive/",))


# -- what an offline ask imports, and numpy's threads ---------------------------------------------


def test_an_offline_ask_through_the_cli_imports_no_model_run_module(make_repo) -> None:
    root = make_repo(wiki_files())
    code = (
        "import sys\n"
        "from kbsleep.cli import main\n"
        f"assert main(['--wiki', {str(root)!r}, 'ask', '--engine', 'offline', 'When was Ada Lovelace born?']) == 0\n"
        "names = ('pydantic', 'kbsleep.llm.anthropic_engine', 'kbsleep.llm.recorded', 'kbsleep.llm.prices', 'kbsleep.llm.cache',\n"
        "         'kbsleep.llm.ledger', 'kbsleep.llm.structured', 'kbsleep.llm.runner', 'kbsleep.search.sentences', 'concurrent.futures')\n"
        "print(sorted(m for m in names if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "[]"
    assert "1815" in done.stdout


def test_the_auto_engine_is_decided_without_importing_the_anthropic_engine(monkeypatch) -> None:
    code = "import sys\nfrom kbsleep.llm import engine_name\nfrom kbsleep.config import LLMConfig\nprint(engine_name(LLMConfig()), 'kbsleep.llm.anthropic_engine' in sys.modules)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env=env).stdout
    assert out.split() == ["offline", "False"]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env={**env, "ANTHROPIC_API_KEY": "k"}).stdout
    assert out.split() == ["anthropic", "False"]


@pytest.mark.parametrize(("given", "expected"), [(None, "4"), ("9", "9")])
def test_the_console_script_tells_openblas_threads_to_sleep_unless_the_user_said_otherwise(given: str | None, expected: str) -> None:
    code = (
        "import os, kbsleep.cli as cli\n"
        "cli.main = lambda: print(os.environ.get('OPENBLAS_THREAD_TIMEOUT')) or 0\n"
        "cli.entry()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_THREAD_TIMEOUT"}
    if given is not None:
        env["OPENBLAS_THREAD_TIMEOUT"] = given
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env=env).stdout
    assert out.strip() == expected


def test_the_console_script_runs_the_cyclic_collector_at_a_slower_pace_and_still_runs_it() -> None:
    code = (
        "import gc, kbsleep.cli as cli\n"
        "def main():\n"
        "    cycle = []\n"
        "    cycle.append(cycle)\n"
        "    del cycle\n"
        "    print(gc.get_threshold()[0] > 700, gc.isenabled(), gc.collect() >= 1)\n"
        "    return 0\n"
        "cli.main = main\n"
        "cli.entry()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.split() == ["True", "True", "True"]
