"""`ask`: precomputed answers first, retrieval otherwise, cited, and never an invented answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kbsleep import missed
from kbsleep.ask import MAX_QUESTION_CHARS, NOT_FOUND, ask
from kbsleep.asks_log import asks
from kbsleep.cli import main
from kbsleep.config import load_config
from kbsleep.errors import KbsleepError
from kbsleep.state import STATE_DIR
from tests.ask.support import COBALT, wiki_files, with_answers


def answer(root: Path, question: str, **kwargs):  # type: ignore[no-untyped-def]
    return ask(root, load_config(root), question, engine="offline", **kwargs)


def test_the_same_question_in_other_words_is_served_a_precomputed_answer_without_a_model(make_repo) -> None:
    root = make_repo(wiki_files())
    got = answer(root, "who maintains the cobalt compiler these days?")
    assert got.path == "precomputed"
    assert got.matched == "Who maintains the Cobalt compiler?"
    assert got.text == "Dev Arunachalam has maintained it since 2021. [[Cobalt#Maintainers]]"
    assert [(c.wikilink, c.location) for c in got.citations] == [("[[Cobalt#Maintainers]]", "projects/Cobalt.md:12")]
    assert (got.tokens, got.engine) == (0, "")


@pytest.mark.parametrize(
    "question",
    ["Who maintains Ada Lovelace's papers?", "When was Cobalt started?", "Who funds Cobalt?", "What is Cobalt?",
     "who looks after cobalt these days?", "Who maintains Cobalt's calibration files?"],
)
def test_a_different_question_is_not_served_a_precomputed_answer(make_repo, question: str) -> None:
    root = make_repo(wiki_files())
    assert answer(root, question).path != "precomputed"


def test_stale_precomputed_answers_are_ignored(make_repo) -> None:
    edited = with_answers(COBALT).replace("Dev Arunachalam has maintained", "Mara Ilves has maintained")
    root = make_repo(wiki_files(cobalt=edited))
    got = answer(root, "Who maintains the Cobalt compiler?")
    assert got.path == "offline"
    assert "Mara Ilves" in got.text and "Dev Arunachalam" not in got.text
    assert got.citations[0].location == "projects/Cobalt.md:12"


def test_retrieval_answers_with_the_supporting_sentence_cited(make_repo) -> None:
    root = make_repo(wiki_files())
    got = answer(root, "When was Ada Lovelace born?")
    assert got.path == "offline"
    assert got.text.startswith("She was born in London in 1815")
    assert [(c.wikilink, c.location) for c in got.citations] == [("[[Ada Lovelace#Ada Lovelace]]", "people/Ada Lovelace.md:1")]


@pytest.mark.parametrize(
    "question",
    ["What is the population of Tokyo?", "Who won the 1998 football world cup?", "What is Ada Lovelace's favourite colour?"],
)
def test_what_the_wiki_does_not_hold_is_said_plainly(make_repo, question: str) -> None:
    root = make_repo(wiki_files())
    got = answer(root, question)
    assert (got.path, got.text, got.citations) == ("not-found", NOT_FOUND, ())


@pytest.mark.parametrize(
    "question",
    ['"Cobalt', "Cobalt*", "-Cobalt licence", "Cobalt NEAR licence", "Cobalt AND OR NOT licence",
     "(Cobalt) licence)", "licence:Cobalt ^ {x} [y]", "NEAR(Cobalt licence, 2)"],
)  # fmt: skip
def test_fts5_syntax_in_a_question_is_never_an_error(make_repo, question: str) -> None:
    root = make_repo(wiki_files(cobalt=COBALT))
    got = answer(root, question)
    assert got.path in ("offline", "not-found")


def test_fts5_syntax_does_not_stop_a_real_answer(make_repo) -> None:
    root = make_repo(wiki_files(cobalt=COBALT))
    got = answer(root, 'What "licence" does (Cobalt*) use?')
    assert "Apache License 2.0" in got.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [("Wann wurde die Alte Brücke gebaut?", "1901"), ("東京タワーの高さは？", "333")],
)
def test_non_english_questions(make_repo, question: str, expected: str) -> None:
    root = make_repo(wiki_files())
    got = answer(root, question)
    assert got.path == "offline" and expected in got.text


def test_an_empty_question_is_a_one_line_error(make_repo, capsys) -> None:
    root = make_repo(wiki_files())
    with pytest.raises(KbsleepError, match="the question is empty"):
        answer(root, "  \n ")
    assert main(["--wiki", str(root), "ask", ""]) == 2
    assert capsys.readouterr().err.startswith("error: the question is empty\n")


def test_a_100_kb_question_is_refused_clearly(make_repo, capsys) -> None:
    root = make_repo(wiki_files())
    question = "Who maintains Cobalt? " * 5000
    assert main(["--wiki", str(root), "ask", question]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: the question is 109,999 characters long; the limit is {MAX_QUESTION_CHARS:,}\n")
    assert "Traceback" not in err


def test_a_wiki_with_no_pages(make_repo) -> None:
    root = make_repo({})
    got = answer(root, "Who maintains Cobalt?")
    assert got.path == "not-found"


def test_every_ask_is_logged_and_misses_are_queued_for_anticipate(make_repo) -> None:
    root = make_repo(wiki_files())
    answer(root, "Who maintains the Cobalt compiler?")
    answer(root, "When was Ada Lovelace born?")
    answer(root, "What is the population of Tokyo?")
    answer(root, "When was Ada Lovelace born?", record=False)
    state = root / STATE_DIR
    assert [path for path, _, _ in asks(state)] == ["precomputed", "offline", "not-found"]
    assert missed.pending(state) == {"people/Ada Lovelace.md": ["When was Ada Lovelace born?"]}


def test_the_context_stays_within_the_token_budget(make_repo) -> None:
    long_page = "# Harbour\n\n" + "".join(f"## Pier {i}\n\nPier {i} of the harbour holds {i} boats.\n\n" for i in range(400))
    root = make_repo({**wiki_files(), "Harbour.md": long_page, "kbsleep.toml": "[ask]\ncontext-tokens = 300\n"})
    got = answer(root, "How many boats does the harbour pier hold?")
    assert got.path == "offline"
    assert 0 < got.context_tokens <= 300


def test_cli_prints_answer_citations_and_path(make_repo, capsys) -> None:
    root = make_repo(wiki_files())
    assert main(["--wiki", str(root), "ask", "who maintains the cobalt compiler these days?"]) == 0
    out, err = capsys.readouterr()
    assert out == (
        "Dev Arunachalam has maintained it since 2021. [[Cobalt#Maintainers]]\n\n"
        "  [[Cobalt#Maintainers]]  projects/Cobalt.md:12\n"
    )
    assert err.startswith('\n(precomputed answer (no model call); matched "Who maintains the Cobalt compiler?"; ')


def test_cli_json(make_repo, capsys) -> None:
    root = make_repo(wiki_files())
    assert main(["--wiki", str(root), "ask", "--json", "When was Ada Lovelace born?"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"answer", "citations", "path", "tokens", "latency_s"}
    assert (data["path"], data["tokens"], data["found"]) == ("offline", 0, True)
    assert data["citations"] == [
        {"target": "Ada Lovelace#Ada Lovelace", "wikilink": "[[Ada Lovelace#Ada Lovelace]]", "path": "people/Ada Lovelace.md", "line": 1}
    ]
    assert data["latency_s"] > 0


def test_of_two_equal_precomputed_questions_the_page_the_question_names_wins(make_repo) -> None:
    from kbsleep.answers import QA

    born = "When was Ada Lovelace born?"
    babbage = with_answers("# Charles Babbage\n\nBabbage designed the Analytical Engine with Ada Lovelace.\n",
                           (QA(born, "Babbage was born in 1791. [[Charles Babbage]]", ("Charles Babbage",)),))  # fmt: skip
    ada = with_answers("# Ada Lovelace\n\nShe was born in London in 1815.\n",
                       (QA(born, "In 1815. [[Ada Lovelace]]", ("Ada Lovelace",)),))  # fmt: skip
    root = make_repo({"people/Charles Babbage.md": babbage, "people/Ada Lovelace.md": ada})
    got = answer(root, "What year was Ada Lovelace born?")
    assert (got.path, got.text) == ("precomputed", "In 1815. [[Ada Lovelace]]")


def test_an_answer_kept_on_a_page_the_question_does_not_name_is_not_served(make_repo) -> None:
    from kbsleep.answers import QA

    babbage = with_answers("# Charles Babbage\n\nBabbage designed the Analytical Engine with Ada Lovelace.\n",
                           (QA("When was Ada Lovelace born?", "In 1816. [[Ada Lovelace]]", ("Ada Lovelace",)),))  # fmt: skip
    root = make_repo({"people/Charles Babbage.md": babbage, "people/Ada Lovelace.md": "# Ada Lovelace\n\nShe was born in London in 1815.\n"})
    got = answer(root, "When was Ada Lovelace born?")
    assert got.path == "offline" and "1815" in got.text
