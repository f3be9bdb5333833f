"""Merges with a model (the real SDK against the local fake server): the evidence first, then the
model must say the pages describe the same thing, and why."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kbsleep.llm import select_engine
from kbsleep.passes.consolidate import ConsolidateReport, Options, consolidate
from kbsleep.state import ensure_state_dir
from kbsleep.testing import FakeAnthropic
from kbsleep.wiki import open_wiki

CONFIG = "[llm]\ntimeout = 2.0\nmax-retries = 0\nconcurrency = 2\n"


def run(root: Path) -> ConsolidateReport:
    wiki = open_wiki(root)
    model = select_engine(wiki.config.llm, "anthropic", state_dir=ensure_state_dir(root))
    return consolidate(wiki, model, Options(only=("duplicates",)))


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and not {".git", ".kbsleep"} & set(p.parts)}


def merged_body(root: Path) -> str:
    """What a good merge of the twins says: the survivor's text and the other page's history."""
    text = (root / "community plugins/Orion.md").read_text(encoding="utf-8").split("---\n", 2)[2].lstrip("\n")
    return text + "\n## History\n\nFirst released in 2024. ^first-release\n"


@pytest.fixture
def twins(make_repo):  # type: ignore[no-untyped-def]
    return make_repo({"kbsleep.toml": CONFIG}, fixture="merges/twins")


def test_the_model_saying_same_with_a_reason_merges_and_the_log_keeps_the_reason(fake: FakeAnthropic, twins: Path) -> None:
    fake.responder = lambda body: json.dumps({"same": True, "reason": "Both pages describe the Orion star-chart plugin.", "body": merged_body(twins)})
    report = run(twins)

    assert len(report.commits) == 1 and not (twins / "old notes/Orion.md").exists()
    [done] = report.steps[0].outcome.done
    assert done.endswith("(same file name `Orion`, 100% of the shorter page's prose in the other; the model: Both pages describe the Orion star-chart plugin.)")


@pytest.mark.parametrize(
    "reply, why",
    [
        ({"same": False, "reason": "One is the plugin, the other a theme of the same name.", "body": ""}, "the model says they are different things: One is the plugin, the other a theme of the same name."),
        ({"same": True, "reason": " ", "body": "x"}, "the model gave no reason"),
    ],
)
def test_without_the_models_word_and_reason_nothing_merges(fake: FakeAnthropic, twins: Path, reply: dict[str, Any], why: str) -> None:
    fake.responder = lambda body: json.dumps(reply)
    before = tree(twins)
    report = run(twins)

    assert tree(twins) == before and report.commits == ()
    [left] = report.left
    assert (left.path, left.reason) == ("community plugins/Orion.md", f"merge of old notes/Orion.md not made: {why}")


def test_the_model_is_not_asked_about_pages_without_evidence(fake: FakeAnthropic, make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"kbsleep.toml": CONFIG}, fixture="merges/lookalikes")
    fake.responder = lambda body: json.dumps({"same": True, "reason": "They share a name.", "body": "merged"})
    before = tree(repo)
    report = run(repo)

    assert fake.count() == 0 and tree(repo) == before and report.commits == ()
    assert len(report.left) == 2 and all(item.reason.startswith("look at it with") for item in report.left)
