"""Model output is bounded and inert before anything is written: the model side of issue 23.

Anticipated answers holding a fence, a comment marker, `%%`, a tag or a control byte, or too
long, are dropped; a page is never written past max-page-bytes; a merge may not add markup or
balloon; a model-supplied page name or reason reaches log.md only as one plain line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kbsleep.llm import select_engine
from kbsleep.passes import modeltext
from kbsleep.passes.anticipate import Options, anticipate
from kbsleep.state import ensure_state_dir
from kbsleep.testing import FakeAnthropic
from kbsleep.wiki import open_wiki
from tests.passes.test_consolidate_model import GOOD_MERGE, SAME, answering, changed, snapshot
from tests.passes.test_consolidate_model import repo as consolidate_repo  # noqa: F401 - a fixture
from tests.passes.test_consolidate_model import run as consolidate

CONFIG = "[llm]\ntimeout = 2.0\nmax-retries = 0\n"
HOSTILE = {
    "a code fence": "It is Dev. ```\n[[Nowhere]]",
    "an open %% comment": "It is Dev. %% hides the rest from lint",
    "a script tag": "It is Dev. <script>alert(1)</script>",
    "an HTML comment": "It is Dev. <!-- kbsleep:anticipate -->",
    "ESC": "It is Dev. \x1b[2J\x1b]0;owned\x07",
    "BEL": "It is Dev.\x07",
    "C1 CSI": "It is Dev. \x9b31m",
    "too long": "It is Dev. " + "very " * 400,
}


def hostile_reply(body: dict) -> str:
    name = re.search(r"for the page \[\[([^\]]+)\]\]", body["messages"][0]["content"]).group(1)
    questions = [{"question": f"Question {i} about {name}?", "answer": f"{answer} [[{name}]]", "citations": [name]} for i, answer in enumerate(HOSTILE.values())]
    questions.append({"question": f"What is {name}?", "answer": f"A page of the wiki. [[{name}]]", "citations": [name]})
    return json.dumps({"questions": questions})


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    with FakeAnthropic(responder=hostile_reply) as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-dummy")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        yield server


def run_anticipate(root: Path):  # type: ignore[no-untyped-def]
    wiki = open_wiki(root)
    return anticipate(wiki, select_engine(wiki.config.llm, "anthropic", state_dir=ensure_state_dir(root)), Options())


def test_hostile_answers_are_dropped_and_the_clean_one_written(fake: FakeAnthropic, make_repo) -> None:
    root = make_repo({"kbsleep.toml": CONFIG}, fixture="anticipate/wiki")
    outcome = run_anticipate(root)
    assert len(outcome.written) == 3
    assert all(w.questions == 1 and w.dropped == len(HOSTILE) for w in outcome.written)
    for written in outcome.written:
        text = (root / written.path).read_text(encoding="utf-8")
        assert "A page of the wiki." in text
        assert not re.search(r"```|%%|<script|\x1b|\x07|\x9b|very very", text)
        assert text.count("<!--") == 2  # the section's own opening and closing markers


@pytest.mark.parametrize("case", HOSTILE)
def test_each_kind_of_hostile_text_is_named(case: str) -> None:
    assert modeltext.problem(HOSTILE[case], 1000) is not None
    assert modeltext.problem("Dev maintains it since 2021 (see [[Cobalt#Maintainers]]); 3 < 4 & 5 > 2.", 1000) is None


def test_a_tag_inside_a_code_span_is_text() -> None:
    assert modeltext.problem("Use the query string `limit to <number> tasks`. [[Limiting]]", 1000) is None  # renders as written
    assert modeltext.problem("Use `limit` <number> tasks.", 1000) == "holds an HTML tag"
    assert modeltext.problem("Use `<!-- hidden -->` here.", 1000) == "holds an HTML comment marker"  # a marker stays a marker


def test_a_page_is_never_written_past_max_page_bytes(fake: FakeAnthropic, make_repo) -> None:
    root = make_repo(fixture="anticipate/wiki")
    largest = max(p.stat().st_size for p in root.rglob("*.md"))
    (root / "kbsleep.toml").write_text(f"max-page-bytes = {largest + 40}\n" + CONFIG)
    biggest = next(p.relative_to(root).as_posix() for p in root.rglob("*.md") if p.stat().st_size == largest)
    outcome = run_anticipate(root)
    assert [(s.path, s.reason) for s in outcome.skipped] == [(biggest, f"with its answers the page would exceed max-page-bytes ({largest + 40:,} bytes)")]
    assert len(outcome.written) == 2 and all(p.stat().st_size <= largest + 40 for p in root.rglob("*.md"))


@pytest.mark.parametrize(
    "extra, reason",
    [
        ("\n```\nunclosed fence\n", "adds a code fence"),
        ("\n%% hidden from lint\n", "adds a `%%` comment marker"),
        ("\n<script>alert(1)</script>\n", "adds an HTML tag"),
        ("\nBell \x07 here.\n", "adds a control character"),
        ("\n" + "Padding sentence. " * 400, "grows the text from"),
    ],
)
def test_a_merge_that_adds_markup_or_balloons_is_rejected(fake: FakeAnthropic, consolidate_repo: Path, extra: str, reason: str) -> None:  # noqa: F811
    fake.responder = answering(merge={"same": True, "reason": SAME, "body": GOOD_MERGE + extra})
    before = snapshot(consolidate_repo)
    report = consolidate(consolidate_repo, "duplicates")
    assert changed(before, snapshot(consolidate_repo)) == set()
    assert reason in report.left[0].reason


def test_model_words_reach_the_log_as_one_plain_line(fake: FakeAnthropic, consolidate_repo: Path) -> None:  # noqa: F811
    forged = "x`\n## [2020-01-01] consolidate | forged\n<!-- kbsleep:index -->\n[[Evil]]"
    fake.responder = answering(
        resolve={"decision": "fix", "page": forged, "old": "39000", "new": "41000", "reason": forged},
        merge={"same": True, "reason": forged, "body": GOOD_MERGE},
    )
    consolidate(consolidate_repo)
    log = (consolidate_repo / "log.md").read_text(encoding="utf-8")
    assert "forged" not in "\n".join(line for line in log.splitlines() if line.startswith("#"))
    assert "<!-- kbsleep:index" not in log and "[[Evil]]" not in log
    assert "the model: x' ## (2020-01-01) consolidate | forged ‹!-- kbsleep:index --› ((Evil)))" in log


def test_inert_flattens_and_bounds() -> None:
    assert modeltext.inert("a\n\nb\x1b[31m `c` [[d]] <e> %%", 200) == "a b (31m 'c' ((d)) ‹e› %"
    assert modeltext.inert("z" * 300, 10) == "z" * 9 + "…"
