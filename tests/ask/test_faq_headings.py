"""An FAQ written as headings: "## How long do you keep my data after my plan ends?" then "We keep
your remote vaults for one month after your plan ends." The paragraph under a heading that asks
a question answers it, as one under a question in bold does; and when that question asks for the
form the asked question wants (a duration for "how long"), it is strong evidence: the answer
under it beats a sentence elsewhere that shares more words and holds no duration, and it is
about the question though a paraphrase shares few of its words."""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.faq import answers_alike
from kbsleep.search.question import analyse
from kbsleep.search.units import Unit, units

FAQ = """\
# Sync FAQ

## Storage

Your notes stay stored on the servers while the syncing service runs, and notes you delete on every device are removed from the servers.

## How long do you keep my data after my plan ends?

We keep your remote vaults for one month after your plan ends. Local vaults on your devices are unaffected.

If you renew after two months, you start again with a new remote vault.

## Where do you keep my data?

Our servers are in Frankfurt and Toronto.
"""

PAYING = "If I stop paying for the syncing service, how long will my notes stay stored on the servers before they are removed?"


def answer(root: Path, question: str):  # type: ignore[no-untyped-def]
    return ask(root, load_config(root), question, engine="offline", record=False)


def test_the_paragraph_under_a_heading_that_asks_takes_it_as_its_lead() -> None:
    found = [(u.text, u.lead) for u in units("Sync FAQ#How long do you keep my data after my plan ends?", FAQ) if u.kind == "sentence"]
    asked = "How long do you keep my data after my plan ends?"
    assert found == [
        ("Your notes stay stored on the servers while the syncing service runs, and notes you delete on every device are removed from the servers.", ""),
        ("We keep your remote vaults for one month after your plan ends.", asked),
        ("Local vaults on your devices are unaffected.", asked),
        ("If you renew after two months, you start again with a new remote vault.", ""),  # the next paragraph: no longer the answer
        ("Our servers are in Frankfurt and Toronto.", "Where do you keep my data?"),
    ]


def _unit(text: str, lead: str) -> Unit:
    return Unit("FAQ#x", text, "sentence", 0, 1, lead)


def test_an_faq_answer_counts_when_its_question_asks_for_the_same_form_and_it_holds_one() -> None:
    asked = analyse(PAYING)
    assert answers_alike(asked, _unit("We keep it for one month.", "How long do you keep my data?"))
    assert not answers_alike(asked, _unit("We keep it for one month.", "Where do you keep my data?"))  # a place asked
    assert not answers_alike(asked, _unit("We keep it until you delete it.", "How long do you keep my data?"))  # no duration
    assert not answers_alike(asked, _unit("We keep it for one month.", "Data retention"))  # a heading that asks nothing
    assert not answers_alike(analyse("Where do you keep my data?"), _unit("In Frankfurt.", "Where is my data kept?"))  # no form asked


def test_the_answer_under_the_faq_question_asking_a_duration_answers_a_how_long_paraphrase(make_repo) -> None:
    got = answer(make_repo({"Sync FAQ.md": FAQ}), PAYING)
    assert got.found
    assert got.text.startswith("We keep your remote vaults for one month after your plan ends.")
    assert got.citations[0].wikilink == "[[Sync FAQ#How long do you keep my data after my plan ends?]]"


def test_without_the_faq_section_the_wiki_does_not_say_how_long(make_repo) -> None:
    without = FAQ.split("## How long")[0] + "## Where" + FAQ.split("## Where")[1]
    got = answer(make_repo({"Sync FAQ.md": without}), PAYING)
    assert not got.found
