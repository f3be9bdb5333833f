"""An FAQ's answer is read with its question: "**Will I lose my data?**" then "No, it is kept for
30 days." The answer sentence rarely repeats the question's words, so the question, in its
paragraph or the one before, is the answer's lead, as a list's introducing sentence is its items'."""

from __future__ import annotations

from kbsleep.llm.model import Passage
from kbsleep.search.extract import pick
from kbsleep.search.question import analyse
from kbsleep.search.units import units

FAQ = """\
## Frequently asked questions

**What happens if I cancel my plan?**
Your shared boards are archived. Nothing on your own devices changes.

**Can I pay by bank transfer? Is there an invoice?**

Yes, on the yearly plan; the invoice comes by email.

Billing runs on the first day of each month.
"""


def test_the_sentences_answering_a_bold_question_take_it_as_their_lead() -> None:
    found = [(u.text, u.lead) for u in units("Billing#Frequently asked questions", FAQ) if u.kind == "sentence"]
    assert found == [
        ("What happens if I cancel my plan?", ""),
        ("Your shared boards are archived.", "What happens if I cancel my plan?"),
        ("Nothing on your own devices changes.", "What happens if I cancel my plan?"),
        ("Can I pay by bank transfer?", ""),
        ("Is there an invoice?", ""),
        ("Yes, on the yearly plan; the invoice comes by email.", "Can I pay by bank transfer? Is there an invoice?"),
        ("Billing runs on the first day of each month.", ""),  # two paragraphs on: no longer the answer
    ]


def test_a_heading_or_a_list_between_ends_the_question() -> None:
    text = "**Why is it slow?**\n\n## Setup\n\nInstall the app first.\n\n**Which formats?**\n\n- PDF\n\nThat is all.\n"
    assert [(u.text, u.lead) for u in units("App", text) if u.text in ("Install the app first.", "That is all.")] == [
        ("Install the app first.", ""),
        ("That is all.", ""),
    ]


def test_the_answer_under_the_asked_question_is_picked_though_it_repeats_none_of_its_words() -> None:
    passages = [
        Passage("Billing#Frequently asked questions", FAQ),
        Passage("Transfers", "Bank transfers between boards move cards, not money; pay attention to the target board.\n"),
    ]
    asked = analyse("Can I pay by bank transfer?")
    found = pick(asked, passages, {t: 1.0 for t in asked.terms})
    assert found is not None and found.text.startswith("Yes, on the yearly plan")


SEATS = """\
## Frequently asked questions

**Am I required to buy a license for every employee?**
No. The app is free to use, so there is no minimum seat count.

**Can I use one license on my phone and my laptop?**
Yes. A license is charged per seat, not per device.
"""


def test_an_faq_reply_is_quoted_with_the_question_it_replies_to() -> None:
    got = pick(analyse("Is the app free for commercial use?"), [Passage("Licenses#Frequently asked questions", SEATS)], {})
    assert got is not None
    assert got.text.startswith("Am I required to buy a license for every employee? No. The app is free to use")  # a bare "No." would answer the asked question
    got = pick(analyse("Can I use a license on my phone and my laptop?"), [Passage("Licenses#Frequently asked questions", SEATS)], {})
    assert got is not None and got.text.startswith("Yes. A license is charged per seat")  # the question asked: no need to repeat it
