"""Offline answers never quote boilerplate: a sentence of running text found on more than
`COMMON_PAGES` pages of the wiki (a disclaimer, a template's fixed line, a footer), unless it
names the page it is on. Lists, tables, short labels and the pages' own sentences are quoted
as before, and a model's prompts do not change."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kbsleep.config import LLMConfig
from kbsleep.llm import select_engine
from kbsleep.passes import boilerplate
from kbsleep.passes.anticipate import Options, anticipate
from kbsleep.passes.anticipate_plan import Target, request
from kbsleep.passes.offline_questions import asked_questions
from kbsleep.state import ensure_state_dir
from kbsleep.testing import FakeAnthropic
from kbsleep.wiki import open_wiki
from kbsleep.wiki.prose import COMMON_PAGES

NOTE = "_Note: these tools were not reviewed by the editors, so install them at your own risk._"
NOTE_TEXT = "these tools were not reviewed by the editors"
SUBJECTS = ["harbour cranes", "tide tables", "ferry timetables", "lighthouse keepers", "fishing quotas", "dock strikes", "salt marshes", "storm warnings"]


def issue(number: int, subject: str, note: str = NOTE) -> str:
    """A weekly issue: a section that opens with the shared note, then its own news."""
    return (
        f"# Issue {number}\n\nIssue {number} of the Harbour Weekly covers {subject}.\n\n"
        f"## Tools\n\n{note}\n\nThis week the harbour office published a new guide to {subject}.\n"
    )


def issues(count: int, note: str = NOTE) -> dict[str, str]:
    return {f"issues/Issue {n}.md": issue(n, SUBJECTS[n], note) for n in range(count)}


def run(root: Path) -> object:
    return anticipate(open_wiki(root), select_engine(LLMConfig(engine="offline")), Options())


def answers_of(root: Path, path: str) -> str:
    text = (root / path).read_text(encoding="utf-8")
    return text[text.index("## Anticipated questions") :]


def test_a_sentence_on_more_than_common_pages_pages_is_never_quoted(make_repo) -> None:
    root = make_repo(issues(COMMON_PAGES + 1))
    run(root)
    for n in range(COMMON_PAGES + 1):
        found = answers_of(root, f"issues/Issue {n}.md")
        assert NOTE_TEXT not in found
        assert f"**What are Issue {n}'s tools?**\nThis week the harbour office published a new guide to {SUBJECTS[n]}. [[Issue {n}#Tools]]" in found


def test_a_sentence_on_common_pages_pages_or_fewer_is_the_pages_own(make_repo) -> None:
    root = make_repo(issues(COMMON_PAGES))
    run(root)
    assert f"Note: {NOTE_TEXT}, so install them at your own risk. This week the harbour office" in answers_of(root, "issues/Issue 0.md")


def test_boilerplate_is_told_by_its_words_not_its_markup(make_repo) -> None:
    # three issues write the note in italics, three in bold and one plain: one sentence, seven pages
    notes = [NOTE, NOTE.replace("_", "**"), NOTE.strip("_")]
    root = make_repo({path: text for n, (path, text) in enumerate(issues(COMMON_PAGES + 2).items()) for text in [text.replace(NOTE, notes[n % 3])]})
    run(root)
    assert not any(NOTE_TEXT in answers_of(root, f"issues/Issue {n}.md") for n in range(COMMON_PAGES + 2))


def test_a_section_whose_only_text_is_boilerplate_gets_no_question(make_repo) -> None:
    pages = {path: text + f"\n## Disclaimer\n\nAll prices in this issue are given in euros and include the harbour tax.\n" for path, text in issues(COMMON_PAGES + 1).items()}
    root = make_repo(pages)
    run(root)
    found = answers_of(root, "issues/Issue 1.md")
    assert "disclaimer" not in found.casefold() and "euros" not in found
    assert "**What are Issue 1's tools?**" in found


def test_a_repeated_sentence_that_names_the_page_is_that_pages_own_definition(make_repo) -> None:
    # a wiki that writes Cobalt's definition into every page that mentions Cobalt
    said = "Cobalt is the data pipeline that moves the harbour's sensor readings into the archive."
    pages = {f"teams/Team {n}.md": f"# Team {n}\n\nTeam {n} looks after the {SUBJECTS[n]}.\n\n## Tools\n\n{said}\n\nTeam {n} reads its [[Cobalt]] reports every morning.\n" for n in range(COMMON_PAGES + 1)}
    root = make_repo({**pages, "Cobalt.md": f"# Cobalt\n\n{said}\n\n## Owners\n\nThe data team runs it.\n"})
    run(root)
    assert f"**What is Cobalt?**\n{said} [[Cobalt]]" in answers_of(root, "Cobalt.md")
    team = answers_of(root, "teams/Team 0.md")
    assert "Team 0 reads its Cobalt reports every morning." in team
    assert f"every morning. [[Team 0#Tools]] {said} [[Cobalt]]" in team  # quoted from Cobalt's page, where it is Cobalt's own


def test_list_items_tables_and_short_sentences_repeated_on_many_pages_are_still_quoted(make_repo) -> None:
    # steps, table rows and a label ("Before you start:", fewer than `MIN_WORDS` words) recur
    # because pages share them, not because a template copied them
    steps = "## Install\n\nBefore you start:\n\n- Open the harbour app.\n- Go to Settings and enable the tide module.\n- Restart the app.\n"
    table = "## Berths\n\n| Berth | Length |\n| --- | --- |\n| North quay | 120 m |\n"
    pages = {f"guides/Guide {n}.md": f"# Guide {n}\n\nGuide {n} explains the {SUBJECTS[n]}.\n\n{steps}\n{table}" for n in range(COMMON_PAGES + 2)}
    root = make_repo(pages)
    run(root)
    found = answers_of(root, "guides/Guide 3.md")
    assert "Before you start: open the harbour app; go to Settings and enable the tide module; restart the app. [[Guide 3#Install]]" in found
    assert "North quay: 120 m. [[Guide 3#Berths]]" in found


def test_the_offline_prompt_lists_the_boilerplate_of_the_page_and_its_linked_pages_after_the_queued_questions(make_repo) -> None:
    pages = issues(COMMON_PAGES + 1)
    pages["issues/Issue 0.md"] += "\nSee also [[Issue 1]] and [[Harbour]].\n"
    root = make_repo({**pages, "Harbour.md": "# Harbour\n\nThe harbour is the town's port.\n"})
    wiki = open_wiki(root)
    found = boilerplate.find(wiki)
    assert found.on["issues/Issue 0.md"] == (f"Note: {NOTE_TEXT}, so install them at your own risk.",) and "Harbour.md" not in found.on
    req = request(wiki, Target("issues/Issue 0.md", "new", ("Who publishes the guides?",)), 4, found)
    assert asked_questions(req.prompt) == ["Who publishes the guides?"]
    assert boilerplate.read_section(req.prompt) == {boilerplate.key(f"Note: {NOTE_TEXT}, so install them at your own risk.")}
    assert req.prompt.count(NOTE_TEXT) == 1  # listed once, though Issue 1 holds it too
    assert boilerplate.read_section(request(wiki, Target("Harbour.md", "new"), 4, found).prompt) == frozenset()


def reply_for(body: dict) -> str:
    name = re.search(r"for the page \[\[([^\]]+)\]\]", body["messages"][0]["content"]).group(1)
    return json.dumps({"questions": [{"question": f"What is {name}?", "answer": f"See the page. [[{name}]]", "citations": [name]}]})


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAnthropic]:
    with FakeAnthropic(responder=reply_for) as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-dummy")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        yield server


def test_a_models_prompt_does_not_list_boilerplate(fake, make_repo) -> None:
    root = make_repo({"kbsleep.toml": "[llm]\ntimeout = 2.0\nmax-retries = 1\n", **issues(COMMON_PAGES + 1)})
    wiki = open_wiki(root)
    anticipate(wiki, select_engine(wiki.config.llm, "anthropic", state_dir=ensure_state_dir(root)), Options())
    prompts = [r.body["messages"][0]["content"] for r in fake.requests]
    assert len(prompts) == COMMON_PAGES + 1
    assert not any("boilerplate" in p or NOTE_TEXT in p for p in prompts)
