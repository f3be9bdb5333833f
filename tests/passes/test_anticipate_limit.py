"""Preview before a big write: over `max-pages-per-run`, a terminal is asked; anything else gets the first batch."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kbsleep import __version__
from kbsleep.llm import select_engine
from kbsleep.passes.anticipate import Options, anticipate
from kbsleep.passes.anticipate_plan import asked_by, empty_key, plan
from kbsleep.sleep import SleepOptions, sleep
from kbsleep.state import ensure_state_dir
from kbsleep.wiki import open_wiki
from tests.conftest import git

FIRST_TWO = ["people/Dev Arunachalam.md", "places/Port Evra.md"]  # path order
CONFIG = "max-pages-per-run = 2\n[llm]\nengine = \"offline\"\n"


@pytest.fixture
def repo(make_repo) -> Path:
    return make_repo({"kbsleep.toml": CONFIG}, fixture="anticipate/wiki")


def cli(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`kbsleep` as a hook or a pipe runs it: no terminal anywhere."""
    command = [sys.executable, "-m", "kbsleep", "--wiki", str(repo), *args]
    return subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)


def committed(repo: Path) -> list[str]:
    return sorted(p for p in git(repo, "show", "--name-only", "--format=", "HEAD").split("\n") if p)


def test_with_no_terminal_the_first_batch_is_written_and_what_is_left_is_said(repo: Path) -> None:
    done = cli(repo, "anticipate")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("anticipate: wrote 2 pages in ")
    assert committed(repo) == FIRST_TWO
    assert done.stderr == (
        "anticipate: 1 more page needs it: over max-pages-per-run (2) a run writes the first ones only; "
        "run it again for the next 2, or with --yes for all (next: projects/Cobalt.md)\n"
    )
    again = cli(repo, "anticipate")
    assert again.returncode == 0 and again.stderr == ""
    assert committed(repo) == ["projects/Cobalt.md"]


def test_yes_writes_every_page_without_asking(repo: Path) -> None:
    done = cli(repo, "anticipate", "--yes")
    assert done.returncode == 0 and done.stderr == ""
    assert committed(repo) == [*FIRST_TWO, "projects/Cobalt.md"]


def test_a_dry_run_shows_every_page(repo: Path) -> None:
    done = cli(repo, "anticipate", "--dry-run")
    assert done.stderr.startswith("anticipate: would write 3 pages (dry run)")


def on_a_terminal(repo: Path, answer: bytes) -> tuple[str, int]:
    """Run `kbsleep anticipate` with a pseudo-terminal for stdin, stdout and stderr; answer its question."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "kbsleep", "--wiki", str(repo), "anticipate"], stdin=follower, stdout=follower, stderr=follower, close_fds=True)
    os.close(follower)
    seen = b""
    answered = False
    deadline = time.monotonic() + 60
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
                os.write(leader, answer)
                answered = True
            if proc.poll() is not None and not ready:
                break
        code = proc.wait(timeout=30)
    finally:
        os.close(leader)
    return seen.decode("utf-8", "replace").replace("\r\n", "\n"), code


def test_on_a_terminal_it_asks_and_yes_writes_every_page(repo: Path) -> None:
    shown, code = on_a_terminal(repo, b"y\n")
    assert code == 0, shown
    assert (
        "anticipate would write 3 pages, more than max-pages-per-run (2). "
        "Write all of them? (no: the first 2 now, the rest in later runs) [y/N]: y\n"
    ) in shown
    assert committed(repo) == [*FIRST_TWO, "projects/Cobalt.md"]


def test_on_a_terminal_no_writes_the_first_batch(repo: Path) -> None:
    shown, code = on_a_terminal(repo, b"n\n")
    assert code == 0, shown
    assert "anticipate: 1 more page needs it" in shown
    assert committed(repo) == FIRST_TWO


def test_the_pass_asks_its_confirm_callback_with_the_count_and_the_limit(repo: Path) -> None:
    wiki = open_wiki(repo)
    asked: list[tuple[int, int]] = []
    model = select_engine(wiki.config.llm, "offline", state_dir=ensure_state_dir(repo))
    outcome = anticipate(wiki, model, Options(), confirm=lambda count, limit: asked.append((count, limit)) is None)
    assert asked == [(3, 2)] and len(outcome.written) == 3 and outcome.left == ()


def test_sleep_writes_a_batch_a_night_until_every_page_is_done(repo: Path) -> None:
    def night() -> object:
        wiki = open_wiki(repo)
        return sleep(wiki, select_engine(wiki.config.llm, "offline", state_dir=ensure_state_dir(repo)), SleepOptions())

    first = night()
    assert first.left == 1 and "1 left for the next sleep (max-pages-per-run)" in next(s.detail for s in first.steps if s.name == "anticipate")
    second = night()  # nothing changed by hand, but pages are left: not skipped
    assert second.skipped == "" and second.left == 0
    assert "kbsleep:anticipate" in (repo / "projects/Cobalt.md").read_text(encoding="utf-8")
    assert night().skipped == "nothing changed since the last sleep"


def test_pages_with_nothing_to_ask_about_are_not_asked_again_so_batches_move_on(make_repo) -> None:
    empties = {f"{name}.md": f"# {name}\n" for name in ("Aa", "Ab", "Ac")}  # nothing to ask: first in path order
    repo = make_repo({"kbsleep.toml": CONFIG, **empties}, fixture="anticipate/wiki")

    def once() -> object:
        wiki = open_wiki(repo)
        return anticipate(wiki, select_engine(wiki.config.llm, "offline", state_dir=ensure_state_dir(repo)), Options())

    first = once()
    assert (first.empty, first.written, len(first.left)) == (("Aa.md", "Ab.md"), (), 4)
    second = once()
    assert [t.path for t in second.work.targets] == ["Ac.md", FIRST_TWO[0]] and second.work.current == 2
    assert [w.path for w in second.written] == [FIRST_TWO[0]]
    once()
    assert once().left == () and once().work.targets == ()
    (repo / "Aa.md").write_text("# Aa\n\nAa is a page that now says something.\n", encoding="utf-8")
    git(repo, "commit", "-qam", "Aa grows")
    assert [t.path for t in once().work.targets] == ["Aa.md"]  # changed: asked again


def test_a_page_the_offline_engine_found_nothing_in_is_asked_again_by_a_model_or_a_new_version(make_repo) -> None:
    repo = make_repo({"kbsleep.toml": CONFIG, "Aa.md": "# Aa\n"}, fixture="anticipate/wiki")
    wiki = open_wiki(repo)
    offline = asked_by(select_engine(wiki.config.llm, "offline"))
    assert offline == f"offline {__version__}"  # the rules of this kbsleep
    found_nothing = {"Aa.md": empty_key(wiki, wiki.pages["Aa.md"], offline)}

    def targets(asker: str) -> list[str]:
        return [t.path for t in plan(wiki, [wiki.pages["Aa.md"]], empty=found_nothing, asker=asker).targets]

    assert targets(offline) == []  # unchanged, and the same asker: left alone
    assert targets("anthropic") == ["Aa.md"]  # a key added since: the model may find what the rules did not
    assert targets("offline 0.0.9") == ["Aa.md"]  # another version's rules
