"""The anthropic path, through the real SDK and the local fake server: bounded, cited, logged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kbsleep import usage
from kbsleep.ask import NOT_FOUND, ask
from kbsleep.cli import main
from kbsleep.config import load_config
from kbsleep.llm import Request, Result, Usage, stats
from kbsleep.llm.ledger import Ledger
from kbsleep.state import STATE_DIR, ensure_state_dir, ledger_path
from kbsleep.testing import FakeAnthropic
from tests.ask.support import wiki_files

BORN = json.dumps({"answer": "Ada Lovelace was born in 1815.", "citations": ["Ada Lovelace#Ada Lovelace", "Nowhere#Made up"], "found": True})


def answer(root: Path, question: str, **kwargs):  # type: ignore[no-untyped-def]
    return ask(root, load_config(root), question, engine="anthropic", **kwargs)


def test_the_model_answers_from_the_retrieved_sections_only(make_repo, fake: FakeAnthropic) -> None:
    root = make_repo(wiki_files())
    fake.script(BORN)
    got = answer(root, "When was Ada Lovelace born?")
    assert (got.path, got.engine, got.text) == ("model", "anthropic", "Ada Lovelace was born in 1815.")
    # a citation of a section that was not given is dropped
    assert [(c.wikilink, c.location) for c in got.citations] == [("[[Ada Lovelace#Ada Lovelace]]", "people/Ada Lovelace.md:1")]
    assert got.tokens == sum(fake.requests[-1].usage.values()) > 0
    system = " ".join(block["text"] for block in fake.requests[-1].body["system"])
    assert "born in London in 1815" in system
    assert "Alte Brücke" not in system and "# Index" not in system  # neither the whole wiki nor the index page
    test_phase = stats(ledger_path(root / STATE_DIR)).by_phase["test"]
    assert (test_phase.results, test_phase.calls) == (1, 1)


def test_the_precomputed_path_makes_no_model_call(make_repo, fake: FakeAnthropic) -> None:
    root = make_repo(wiki_files())
    got = answer(root, "Who maintains the Cobalt compiler nowadays?")
    assert (got.path, got.tokens) == ("precomputed", 0)
    assert fake.count("/v1/messages") == 0


def test_when_the_model_finds_nothing_the_answer_says_so(make_repo, fake: FakeAnthropic) -> None:
    root = make_repo(wiki_files())
    fake.script(json.dumps({"answer": "", "citations": [], "found": False}))
    got = answer(root, "When did Ada Lovelace write her algorithm?")
    assert (got.path, got.text, got.citations) == ("not-found", NOT_FOUND, ())
    assert got.tokens > 0
    sent = len(fake.requests[-1].body["system"]) - 1  # the instructions, then one block a section
    assert got.why == f"the model found no answer in the {sent} section{'s' * (sent != 1)} it was sent"  # not "retrieval found nothing"


def test_an_answer_citing_nothing_given_is_not_trusted(make_repo, fake: FakeAnthropic, capsys) -> None:
    root = make_repo(wiki_files())
    fake.script(json.dumps({"answer": "In 1815.", "citations": ["Wikipedia"], "found": True}))
    assert main(["--wiki", str(root), "ask", "--engine", "anthropic", "When was Ada Lovelace born?"]) == 0
    out, err = capsys.readouterr()
    assert out == NOT_FOUND + "\n"
    sent = len(fake.requests[-1].body["system"]) - 1
    assert err.startswith(f"\n(not in the wiki: the model cited none of the {sent} section{'s' * (sent != 1)} it was sent; ")


def test_a_budget_too_small_stops_before_the_call(make_repo, fake: FakeAnthropic, capsys) -> None:
    root = make_repo(wiki_files())
    assert main(["--wiki", str(root), "ask", "--engine", "anthropic", "--max-tokens", "10", "When was Ada Lovelace born?"]) == 2
    assert capsys.readouterr().err.startswith("error: ")
    assert fake.count("/v1/messages") == 0


def test_stats_share_tokens_and_break_even(make_repo, fake: FakeAnthropic, capsys) -> None:
    root = make_repo(wiki_files())
    fake.script(BORN)
    model_ask = answer(root, "When was Ada Lovelace born?")
    answer(root, "who maintains the cobalt compiler these days?")
    sleep = Request(task="anticipate", prompt="x", pass_name="anticipate", page="projects/Cobalt.md", phase="sleep")
    Ledger(ledger_path(ensure_state_dir(root))).record(Result(sleep, usage=Usage(input_tokens=900, output_tokens=100), model="m", engine="anthropic"))
    figures = usage.compute(root)
    assert (figures.asks, figures.by_path) == (2, {"model": 1, "precomputed": 1})
    assert figures.precomputed_share == 0.5
    assert figures.tokens_per_ask == model_ask.tokens / 2
    assert figures.tokens_per_ask_without == model_ask.tokens
    assert (figures.sleep_tokens, figures.anticipate_tokens, figures.anticipate_passes) == (1000, 1000, 1)
    assert figures.break_even_asks == pytest.approx(1000 / (0.5 * model_ask.tokens))
    assert figures.by_pass["anticipate"]["tokens"] == 1000  # spend by pass, from the ledger
    assert main(["--wiki", str(root), "stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["break_even_asks"] == pytest.approx(figures.break_even_asks)
    assert main(["--wiki", str(root), "stats"]) == 0
    out = capsys.readouterr().out
    assert "served from precomputed answers  50%" in out and "break-even asks per pass" in out
    assert "spend: anticipate" in out


def test_stats_on_a_fresh_wiki(make_repo, capsys) -> None:
    root = make_repo(wiki_files())
    assert usage.compute(root) == usage.UsageStats()
    assert main(["--wiki", str(root), "stats"]) == 0
    assert "n/a" in capsys.readouterr().out
