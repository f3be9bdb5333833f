"""`lint --deep` with a model: the real anthropic SDK against the local FakeAnthropic server."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kbsleep.cli import main
from kbsleep.lint.deep import judge
from kbsleep.llm import select_engine, stats
from kbsleep.state import ensure_state_dir, ledger_path
from kbsleep.testing import Fault
from kbsleep.wiki import open_wiki

CONFIG = "[llm]\ntimeout = 2.0\nmax-retries = 0\npoll-interval = 0.01\n"
WIKI = {
    "kbsleep.toml": CONFIG,
    "index.md": "# Index\n\n- [[Orion Pump]]\n- [[Dredging 2025]]\n- [[Bread]]\n- [[Soup]]\n",
    "vehicles/Orion Pump.md": (
        "---\naliases: [Orion]\n---\n# Orion Pump\n\n"
        "The Orion pump delivers 40 litres a minute. Its dredge log is kept on board.\n"
    ),
    "projects/Dredging 2025.md": (
        "# Dredging 2025\n\nThe dredging used the [[Orion Pump]].\n\n"
        "## Equipment\n\nThe [[Orion Pump]] delivers 55 l/min; every run is in the dredge log.\n"
    ),
    "recipes/Bread.md": "# Bread\n\nFlour, water and salt. Serve with [[Soup]].\n",
    "recipes/Soup.md": "# Soup\n\nA winter soup, eaten with [[Bread]].\n",
}
NOTHING = '{"findings": []}'


def prompt_of(body: dict) -> str:
    content = body["messages"][-1]["content"]
    return content if isinstance(content, str) else "".join(part.get("text", "") for part in content)


def judging(findings_for_orion: list[dict]):  # type: ignore[no-untyped-def]
    """A responder: these findings for the Orion pair (A: Dredging, B: Orion Pump), else none."""

    def respond(body: dict) -> str:
        prompt = prompt_of(body)
        if "Section A: projects/Dredging 2025.md > Equipment" in prompt and "Section B: vehicles/Orion Pump.md" in prompt:
            return json.dumps({"findings": findings_for_orion})
        return NOTHING

    return respond


CONTRADICTION = {
    "kind": "contradiction", "at": "A", "line_a": 1, "line_b": 9,  # lines a model got wrong: the quotes fix them
    "quote_a": "delivers 55 l/min", "quote_b": "delivers 40 litres a minute",
    "reason": "55 l/min and 40 litres a minute cannot both be the pump's flow rate",
}  # fmt: skip


def lint(root: Path, *args: str) -> int:
    return main(["--wiki", str(root), "lint", *args])


def test_a_model_contradiction_carries_both_locations_and_the_reason(fake, make_repo, capsys) -> None:
    fake.responder = judging([CONTRADICTION])
    root = make_repo(WIKI)
    assert lint(root, "--deep", "--output-format", "sarif") == 0  # judgements never fail by default
    result = next(r for r in json.loads(capsys.readouterr().out)["runs"][0]["results"] if r["ruleId"] == "KB601")
    where = result["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"].endswith("projects/Dredging%202025.md") and where["region"]["startLine"] == 7
    assert result["message"]["text"].startswith(
        "contradicts vehicles/Orion Pump.md:6: 55 l/min and 40 litres a minute cannot both be the pump's flow rate"
    )
    related = result["relatedLocations"][0]
    assert related["physicalLocation"]["artifactLocation"]["uri"].endswith("vehicles/Orion%20Pump.md")
    assert related["physicalLocation"]["region"]["startLine"] == 6
    assert related["message"]["text"] == "delivers 40 litres a minute"
    assert lint(root, "--deep", "--fail-on", "judgement") == 1


def test_each_prompt_holds_two_sections_and_never_an_unrelated_page(fake, make_repo) -> None:
    fake.responder = judging([])
    root = make_repo(WIKI)
    lint(root, "--deep")
    prompts = [prompt_of(r.body) for r in fake.requests if r.path == "/v1/messages"]
    assert prompts and all(p.count("## Section ") == 2 for p in prompts)
    orion = [p for p in prompts if "Orion" in p]
    assert orion and not any("Flour" in p for p in orion)


def test_an_unchanged_pair_is_answered_from_the_cache_without_a_call(fake, make_repo, capsys) -> None:
    fake.responder = judging([CONTRADICTION])
    root = make_repo(WIKI)
    lint(root, "--deep", "--output-format", "concise")
    calls = fake.count()
    first = capsys.readouterr()
    assert calls > 0
    page = root / "recipes/Soup.md"
    page.write_text(page.read_text() + "\nMore soup.\n")  # changes only pairs with Soup
    lint(root, "--deep", "--output-format", "concise")
    second = capsys.readouterr()
    assert second.out == first.out
    assert fake.count() - calls <= 1  # at most the Bread/Soup pair is judged again
    orion = [r for r in fake.requests[calls:] if "Orion" in prompt_of(r.body)]
    assert orion == [] and "from cache" in second.err


def test_missing_page_suggestions_that_match_a_page_title_or_alias_are_dropped(fake, make_repo) -> None:
    def missing(concept: str) -> dict:
        return {"kind": "missing-page", "concept": concept, "reason": f"{concept} appears on both pages"}

    fake.responder = judging([missing("Orion Pump"), missing("orion"), missing("Dredging 2025"), missing("Moon Base"), missing("dredge log")])
    root = make_repo(WIKI)
    wiki = open_wiki(root)
    model = select_engine(wiki.config.llm, state_dir=ensure_state_dir(root))
    report = judge(wiki, model, ["missing-page"])
    assert [(d.name, d.path, d.location.line, d.related[0].path, d.related[0].line) for d in report.diagnostics] == [
        ("missing-page", "projects/Dredging 2025.md", 7, "vehicles/Orion Pump.md", 6)
    ]
    assert report.diagnostics[0].message.startswith("`dredge log` is discussed here and on vehicles/Orion Pump.md but has no page")


def test_a_claim_its_source_does_not_back_is_unsupported(fake, make_repo) -> None:
    files = {
        "kbsleep.toml": CONFIG,
        "sources/Survey.md": "# Survey\n\nThe harbour is 12 m deep at low tide.\n",
        "places/Harbour.md": '---\nsources:\n  - "[[sources/Survey]]"\n---\n# Harbour\n\nThe harbour is 14 m deep.\n',
    }
    finding = {"kind": "unsupported-claim", "at": "A", "line_a": 3, "line_b": 3, "quote_a": "14 m deep", "quote_b": "12 m deep", "reason": "the survey gives 12 m"}
    fake.responder = lambda body: json.dumps({"findings": [finding]}) if "unsupported-claim" in prompt_of(body) else NOTHING
    root = make_repo(files)
    wiki = open_wiki(root)
    report = judge(wiki, select_engine(wiki.config.llm, state_dir=ensure_state_dir(root)), ["unsupported-claim"])
    [found] = report.diagnostics
    assert (found.code, found.path, found.location.line, found.location.column) == ("KB604", "places/Harbour.md", 7, 16)
    assert found.message == "not supported by its source sources/Survey.md: the survey gives 12 m"
    assert (found.related[0].path, found.related[0].line) == ("sources/Survey.md", 3)


def test_a_budget_stops_the_run_cleanly(fake, make_repo, capsys) -> None:
    fake.responder = judging([CONTRADICTION])
    root = make_repo(WIKI)
    assert lint(root, "--deep", "--max-tokens", "50", "--fail-on", "judgement") == 0
    err = capsys.readouterr().err
    assert fake.count() == 0
    assert "deep: judged 0 of" in err and "deep: stopped early" in err and "budget: 0 tokens used of 50" in err
    assert "raise the budget" in err and "Traceback" not in err


def test_deep_works_as_a_batch(fake, make_repo, capsys) -> None:
    fake.responder = judging([CONTRADICTION])
    root = make_repo(WIKI)
    assert lint(root, "--deep", "--batch", "--wait", "--output-format", "concise", "--fail-on", "judgement") == 1
    assert "KB601 contradicts vehicles/Orion Pump.md:6" in capsys.readouterr().out
    assert fake.count("/v1/messages/batches") == 1 and fake.count() == 0


def test_a_running_batch_is_collected_by_the_next_run_not_submitted_again(fake, make_repo, capsys) -> None:
    fake.responder = judging([CONTRADICTION])
    fake.batch_polls = 1
    root = make_repo(WIKI)
    assert lint(root, "--deep", "--batch", "--output-format", "concise") == 0
    first = capsys.readouterr()
    assert "is still running; run the same command again to collect it" in first.err and "KB601" not in first.out
    lint(root, "--deep", "--batch", "--output-format", "concise")
    second = capsys.readouterr()
    assert "KB601 contradicts" in second.out
    assert fake.count("/v1/messages/batches") == 1 and fake.count() == 0
    paid = stats(ledger_path(ensure_state_dir(root))).by_pass["lint-deep"]
    assert paid.batched > 0 and f"; ${paid.cost_usd:.4f}" in second.err  # what the batch cost, said by the run that reports it


def test_a_stale_claim_is_reported_on_the_side_the_model_names(fake, make_repo) -> None:
    stale = {
        "kind": "stale-claim", "at": "B", "line_a": 1, "line_b": 3, "quote_a": "delivers 55 l/min",
        "quote_b": "delivers 40 litres a minute", "reason": "the 2025 refit raised the flow\nto 55 l/min",
    }  # fmt: skip
    fake.responder = judging([stale, {**stale, "kind": "contradiction"}])
    root = make_repo(WIKI)
    wiki = open_wiki(root)
    report = judge(wiki, select_engine(wiki.config.llm, state_dir=ensure_state_dir(root)), ["stale-claim"])
    [found] = report.diagnostics  # the contradiction was not asked for: dropped
    assert (found.code, found.path, found.location.line) == ("KB602", "vehicles/Orion Pump.md", 6)
    assert found.message == "superseded by projects/Dredging 2025.md:7: the 2025 refit raised the flow to 55 l/min"
    assert (found.related[0].path, found.related[0].line) == ("projects/Dredging 2025.md", 7)
    assert not any("contradiction" in prompt_of(r.body).split("\n", 1)[0] for r in fake.requests)


def answering_and_judging(body: dict) -> str:
    """anticipate's questions (each answer naming the Orion Pump and its log), else no findings."""
    page = re.search(r"for the page \[\[([^\]]+)\]\]", prompt_of(body))
    if page is None:
        return NOTHING
    answer = f"The Orion Pump delivers 40 litres a minute; the Dredge Log of Dredging 2025 says 55. [[{page.group(1)}]]"
    return json.dumps({"questions": [{"question": f"What does {page.group(1)} say of the Orion Pump?", "answer": answer, "citations": [page.group(1)]}]})


def test_kbsleeps_own_sections_give_deep_lint_nothing_new_to_judge(fake, make_repo) -> None:
    # Anticipated answers restate their page (and name the pages it links to): judging them
    # against each other, or against the page, is a model call that can find nothing of the wiki's.
    fake.responder = answering_and_judging
    root = make_repo(WIKI)
    assert lint(root, "--deep") == 0
    judged = [prompt_of(r.body) for r in fake.requests if r.path == "/v1/messages"]
    assert judged
    assert main(["--wiki", str(root), "anticipate", "--engine", "anthropic"]) == 0
    written = [p for p in root.rglob("*.md") if "Orion Pump delivers 40 litres a minute; the Dredge Log" in p.read_text("utf-8")]
    assert len(written) == 4
    before = len(fake.requests)
    assert lint(root, "--deep") == 0
    sent = [prompt_of(r.body) for r in fake.requests[before:] if r.path == "/v1/messages"]
    assert sent == []  # the same sections, shown as before: every one answered from the response cache


@pytest.mark.parametrize("fault", [Fault.unauthorized(), Fault.drop()])
def test_deep_judgement_the_endpoint_stopped_is_an_error_not_a_pass(fake, make_repo, capsys, fault: Fault) -> None:
    # In CI a revoked key or a dead endpoint must fail the job, as it fails `anticipate`: the
    # wiki's deterministic findings are still printed, and why no judgement was made.
    fake.responder = lambda body: fault
    root = make_repo({**WIKI, "kbsleep.toml": CONFIG + "max-failures-in-a-row = 2\n"})
    for quiet in ([], ["--quiet"]):
        assert main(["--wiki", str(root), *quiet, "lint", "--deep"]) == 2
        out, err = capsys.readouterr()
        assert "deep: stopped early" in err and "Traceback" not in err
    fake.responder = judging([])
    assert lint(root, "--deep") == 0  # the endpoint back: judged, nothing found
