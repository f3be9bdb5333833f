"""The answer cache holds only found answers: a queued question is written only when anticipate
answers it on its page with a citation; otherwise it stays queued, its attempts counted."""

from __future__ import annotations

from pathlib import Path

from kbsleep import missed
from kbsleep.config import LLMConfig
from kbsleep.llm import select_engine
from kbsleep.passes.anticipate import Options, anticipate
from kbsleep.state import ensure_state_dir
from kbsleep.status import status
from kbsleep.wiki import open_wiki


def run(root: Path) -> object:
    wiki = open_wiki(root)
    return anticipate(wiki, select_engine(LLMConfig(engine="offline")), Options())


def test_a_queued_question_the_page_answers_is_written_and_one_it_does_not_stays_queued(make_repo) -> None:
    root = make_repo(fixture="anticipate/wiki")
    run(root)
    state = ensure_state_dir(root)
    missed.record_miss(state, "When did the railway reach Port Evra?", ["places/Port Evra.md"])
    missed.record_miss(state, "What is the Port Evra mayor's favourite football club?", ["places/Port Evra.md"])
    run(root)
    text = (root / "places/Port Evra.md").read_text(encoding="utf-8")
    assert "**When did the railway reach Port Evra?**" in text
    assert "favourite football club" not in text
    assert missed.waiting(state) == [("What is the Port Evra mayor's favourite football club?", ("places/Port Evra.md",), 1)]
    found = status(open_wiki(root))
    assert found.queued == (("What is the Port Evra mayor's favourite football club?", 1),)
    assert found.as_dict()["queued_questions"] == [{"question": "What is the Port Evra mayor's favourite football club?", "attempts": 1}]


def test_a_queue_written_before_attempts_were_counted_is_read(tmp_path: Path) -> None:
    import sqlite3

    state = tmp_path / ".kbsleep"
    state.mkdir()
    with sqlite3.connect(missed.path(state)) as db:
        db.execute("CREATE TABLE misses (id INTEGER PRIMARY KEY, question TEXT NOT NULL, pages TEXT NOT NULL, asked_at TEXT NOT NULL, fed_at TEXT)")
        db.execute("INSERT INTO misses (question, pages, asked_at) VALUES ('Q?', '[\"a.md\"]', 'then')")
    assert missed.waiting(state) == [("Q?", ("a.md",), 0)]
    missed.settle(state, {"a.md": ["Q?"]}, {})
    assert missed.waiting(state) == [("Q?", ("a.md",), 1)]


def test_a_page_whose_fact_key_has_no_words_is_answered_like_any_other(make_repo) -> None:
    page = "---\n_: 12\n---\n# Orion\n\nOrion is a plugin that backs up notes to git.\n\n**:** nothing\n- **:** 3\n\n**Developed by:** [[Mara Ilves]]\n"
    root = make_repo({"Orion.md": page, "Mara Ilves.md": "# Mara Ilves\n\nMara Ilves is a developer.\n"})
    outcome = run(root)
    assert [w.path for w in outcome.written] == ["Mara Ilves.md", "Orion.md"] and outcome.skipped == ()
    assert "**What is Orion?**" in (root / "Orion.md").read_text(encoding="utf-8")
