"""`kbsleep demo`: the whole cycle on a private copy of `sample_wiki/`, touching none of your files."""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kbsleep.errors import KbsleepError

if TYPE_CHECKING:
    from kbsleep.ask import Answer
    from kbsleep.sleep import SleepReport

QUESTIONS = (
    "How many people live in Port Evra?",
    "Who maintains Cobalt these days?",
    "When was Mara Ilves born?",
)


@dataclass(frozen=True)
class DemoReport:
    path: Path
    before: dict[str, int]  # lint findings by tier before sleeping
    sleep: SleepReport
    after: dict[str, int]
    answers: tuple[Answer, ...]


def sample_wiki() -> Path:
    """The sample wiki: beside the package in a source checkout, else installed as data."""
    for candidate in (Path(__file__).resolve().parent.parent / "sample_wiki", Path(sys.prefix) / "share" / "kbsleep" / "sample_wiki"):
        if (candidate / "index.md").is_file():
            return candidate
    raise KbsleepError("the sample wiki is not installed", hint="run from a clone of kbsleep, or reinstall it with pip")


def make_copy(target: Path | None = None) -> Path:
    """A new git repository holding a copy of the sample wiki, committed once."""
    root = Path(tempfile.mkdtemp(prefix="kbsleep-demo-")) if target is None else target
    shutil.copytree(sample_wiki(), root, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".kbsleep"))
    from kbsleep.git import repo  # GitPython: imported by the commands that commit, only

    # The demo's own identity: it commits, and a new machine may have none.
    repo.create(root, "sample wiki", branch="main", identity=("kbsleep demo", "demo@kbsleep.invalid"))
    return root


def demo(engine: str | None = None, target: Path | None = None) -> DemoReport:
    from kbsleep.ask import ask
    from kbsleep.llm.choice import ModelChoice
    from kbsleep.lint import lint
    from kbsleep.sleep import sleep
    from kbsleep.wiki import open_wiki

    root = make_copy(target)
    wiki = open_wiki(root)
    before = _tiers(lint(wiki))
    choice = ModelChoice(engine, False, False, None, None)
    report = sleep(wiki, choice.model(wiki), budget=choice.budget(wiki.config))
    after_wiki = open_wiki(root)
    after = _tiers(lint(after_wiki))
    answers = tuple(ask(root, after_wiki.config, q, engine=engine) for q in QUESTIONS)
    return DemoReport(root, before, report, after, answers)


def _tiers(report) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {tier: report.count(tier) for tier in ("error", "warning", "judgement")}
