"""Model-written summaries at sleep time, through the real SDK and the local fake Messages API."""

from __future__ import annotations

import json
from pathlib import Path

from kbsleep.config import load_config
from kbsleep.llm import Budget, select_engine
from kbsleep.passes.summaries import INSTRUCTIONS, TASK, summarise_sections
from kbsleep.search import summaries
from kbsleep.search.index import Index
from kbsleep.state import STATE_DIR, ensure_state_dir
from kbsleep.testing import FakeAnthropic, api
from tests.ask.summary_wiki import SYNC, files
from tests.conftest import git

SHORT = "Sync merges notes; since 1.9.7 you pick how conflicts are handled; the sync log names each file's device."
CONFIG = '[summaries]\nmethod = "model"\nmin-words = 40\nmax-words = 30\n'


def run(root: Path, **kwargs):  # type: ignore[no-untyped-def]
    config = load_config(root)
    model = select_engine(config.llm, "anthropic", state_dir=ensure_state_dir(root))
    return summarise_sections(root, config, model, **kwargs)


def by_heading(root: Path) -> dict[str, tuple[str, str]]:
    with Index(root, load_config(root)) as index:
        index.refresh()
        rows = index.db.execute("SELECT heading, hash FROM docs").fetchall()
    found = summaries.lookup(root / STATE_DIR, [h for _, h in rows])
    return {heading: found[h] for heading, h in rows if h in found}


def test_the_model_summarises_long_sections_once_and_again_only_when_they_change(make_repo, fake: FakeAnthropic) -> None:
    root = make_repo({**files(), "kbsleep.toml": CONFIG})
    fake.script(json.dumps({"summary": SHORT}))
    done = run(root)
    assert (done.written, done.due, done.rejected) == (1, 1, ())  # only Conflicts has 40 words or more
    assert done.tokens == sum(sum(r.usage.values()) for r in fake.requests if r.usage) > 0
    body = fake.requests[-1].body
    assert body["system"][0]["text"] == INSTRUCTIONS.format(words=30)
    assert body["system"][1]["text"].startswith('<source id="Sync#Conflicts">\nSync > Conflicts\n## Conflicts\n\nSync merges edited Markdown notes.')
    assert by_heading(root)["Conflicts"] == ("model:claude-haiku-4-5", SHORT)
    assert by_heading(root)["Prices"][0] == "extractive"
    calls = fake.count("/v1/messages")
    assert run(root).due == 0 and fake.count("/v1/messages") == calls  # fresh: nothing asked
    (root / "Sync.md").write_text(SYNC.replace("uploads second", "uploads last"), encoding="utf-8")
    git(root, "commit", "-qam", "edit")
    assert by_heading(root)["Conflicts"][0] == "extractive"  # the new text has its extractive summary at once
    fake.script(json.dumps({"summary": SHORT}))
    assert run(root).written == 1 and fake.count("/v1/messages") == calls + 1


def test_an_empty_or_overlong_summary_is_not_kept(make_repo, fake: FakeAnthropic) -> None:
    root = make_repo({**files(), "kbsleep.toml": CONFIG})
    fake.script(json.dumps({"summary": "word " * 61}))
    done = run(root)
    assert (done.written, done.rejected) == (0, ("Sync#Conflicts: the summary was 61 words long",))
    assert by_heading(root)["Conflicts"][0] == "extractive"


def test_the_budget_stops_the_pass_and_keeps_the_extractive_summaries(make_repo, fake: FakeAnthropic) -> None:
    root = make_repo({**files(), "kbsleep.toml": CONFIG})
    done = run(root, budget=Budget(max_tokens=5))
    assert done.written == 0 and done.report is not None and done.report.stop_kind == "budget"
    assert fake.count("/v1/messages") == 0
    assert by_heading(root)["Conflicts"][0] == "extractive"


def test_the_offline_engine_keeps_the_extractive_summaries(make_repo) -> None:
    root = make_repo({**files(), "kbsleep.toml": CONFIG})
    config = load_config(root)
    assert summarise_sections(root, config, select_engine(config.llm, "offline", state_dir=ensure_state_dir(root))).due == 0
    assert TASK == "summarise"


def test_sleep_has_the_model_summarise_after_it_indexes(make_repo, fake: FakeAnthropic) -> None:
    from kbsleep.sleep import sleep
    from kbsleep.wiki import load_wiki

    root = make_repo({**files(), "kbsleep.toml": CONFIG})
    wiki = load_wiki(root, load_config(root))
    def reply(body: dict) -> str:  # type: ignore[type-arg]
        if "summary of one section" in body["system"][0]["text"]:
            return json.dumps({"summary": SHORT})
        return json.dumps(api.instance(body["output_config"]["format"]["schema"]))  # what the fake sends anyway

    fake.responder = reply
    report = sleep(wiki, select_engine(wiki.config.llm, "anthropic", state_dir=ensure_state_dir(root)))
    step = {s.name: s for s in report.steps}["summaries"]
    assert (step.detail, step.tokens > 0, [s.name for s in report.steps][-2:]) == ("1 of 1 sections summarised by the model", True, ["index", "summaries"])
    assert by_heading(root)["Conflicts"] == ("model:claude-haiku-4-5", SHORT)
