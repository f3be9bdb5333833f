"""Offline, a question whose second part refers back to what its first part asks ("... from which
mill, and what bag size does that mill use?") is answered in two steps: the first part, then the
second from the page the first answer links to, opened as Obsidian opens the link. When the first
answer links to no page that answers the second part, the question is answered as it stands."""

from __future__ import annotations

import pytest

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.index import Index
from kbsleep.search.parts import follow_up, linked_pages

BAKERY = "# Bakery\n\nThe bakery buys its flour from [[Millbrook Mill]] every Monday.\n\nThe bakery sells its own flour in heavy paper bags of 5 kg.\n"
MILL = "# Millbrook Mill\n\nMillbrook Mill grinds wheat with a water wheel.\n\nIt packs the flour in bags of 25 kg.\n"
ASKED = "The bakery buys its flour from which mill, and how heavy are the bags that mill packs its flour in?"


@pytest.mark.parametrize(
    ("question", "first", "reference", "resolved"),
    [
        (ASKED, "The bakery buys its flour from which mill?", "that mill", "How heavy are the bags Millbrook Mill packs its flour in?"),
        ("Which exploration policy does the agent use, and how is its epsilon changed?", "Which exploration policy does the agent use?", "its", "How is Millbrook Mill's epsilon changed?"),
        ("What step removes duplicate boxes; how does this step pick them?", "What step removes duplicate boxes?", "this step", "How does Millbrook Mill pick them?"),
        ("Which clock does Coda use? How does that kind of clock order events?", "Which clock does Coda use?", "that kind of clock", "How does Millbrook Mill order events?"),
    ],
)
def test_a_second_part_referring_back_is_asked_of_the_first_parts_answer(question: str, first: str, reference: str, resolved: str) -> None:
    parts = follow_up(question)
    assert parts is not None
    assert (parts.first, parts.reference, parts.resolved("Millbrook Mill")) == (first, reference, resolved)


@pytest.mark.parametrize(
    "question",
    [
        "Which Node.js version does it need, and will files keep their timestamps?",  # nothing refers back
        "How does Coda keep replicas consistent, and how does that kind of clock order events?",  # the first part asks for no noun
        "Which action creates a note, and what would it be called if it were made at noon?",  # "it": the note, not the action
        "What is a tag?",
    ],
)
def test_a_question_not_referring_back_is_not_split(question: str) -> None:
    assert follow_up(question) is None


def test_the_second_part_is_answered_from_the_page_the_first_answer_links_to(make_repo) -> None:  # type: ignore[no-untyped-def]
    # the bakery's own page says how heavy its bags of flour are: the second part asks about the mill's
    root = make_repo({"Kitchen/Bakery.md": BAKERY, "Suppliers/Millbrook Mill.md": MILL})
    answer = ask(root, load_config(root), ASKED, engine="offline", record=False)
    assert answer.text == "The bakery buys its flour from Millbrook Mill every Monday.\n\nIt packs the flour in bags of 25 kg."
    assert [c.path for c in answer.citations] == ["Kitchen/Bakery.md", "Suppliers/Millbrook Mill.md"]


def test_the_linked_page_is_the_one_obsidian_opens(make_repo) -> None:  # type: ignore[no-untyped-def]
    # two pages named "Millbrook Mill": the link from Kitchen/ opens the one in Kitchen/, not the shorter path
    root = make_repo({"Kitchen/Bakery.md": BAKERY, "Kitchen/Millbrook Mill.md": MILL, "Old/Millbrook Mill.md": MILL.replace("25 kg", "50 kg")})
    answer = ask(root, load_config(root), ASKED, engine="offline", record=False)
    assert answer.text == "The bakery buys its flour from Millbrook Mill every Monday.\n\nIt packs the flour in bags of 25 kg."
    assert [c.path for c in answer.citations] == ["Kitchen/Bakery.md", "Kitchen/Millbrook Mill.md"]


def test_a_linked_page_that_does_not_answer_leaves_the_question_as_it_stands(make_repo) -> None:  # type: ignore[no-untyped-def]
    silent = MILL.replace("It packs the flour in bags of 25 kg.", "It was built in 1820.")
    linked = make_repo({"Kitchen/Bakery.md": BAKERY, "Suppliers/Millbrook Mill.md": silent})
    unlinked = make_repo({"Kitchen/Bakery.md": BAKERY.replace("[[Millbrook Mill]]", "Millbrook Mill"), "Suppliers/Millbrook Mill.md": silent}, name="unlinked")
    answers = [ask(root, load_config(root), ASKED, engine="offline", record=False) for root in (linked, unlinked)]
    assert answers[0].text == answers[1].text
    assert "Kitchen/Millbrook Mill.md" not in [c.path for c in answers[0].citations]


@pytest.mark.parametrize(
    ("first", "answer", "linked"),
    [
        # the link in the sentence that answers the first part, not the one in the sentence after it
        ("The bakery buys its flour from which mill?", "The bakery buys its flour from Millbrook Mill every Monday. Its bread goes to Harbour Cafe.", ["Suppliers/Millbrook Mill.md"]),
        ("Which cafe does the bakery send its bread to?", "The bakery buys its flour from Millbrook Mill every Monday. Its bread goes to Harbour Cafe.", ["Harbour Cafe.md"]),
        # a link the question already names answers nothing
        ("On which day does the bakery buy flour from Millbrook Mill?", "The bakery buys its flour from Millbrook Mill every Monday.", []),
    ],
)
def test_the_page_linked_is_the_one_the_first_answer_names(make_repo, first: str, answer: str, linked: list[str]) -> None:  # type: ignore[no-untyped-def]
    bakery = "# Bakery\n\nThe bakery buys its flour from [[Millbrook Mill]] every Monday. Its bread goes to [[Harbour Cafe]].\n"
    root = make_repo({"Kitchen/Bakery.md": bakery, "Suppliers/Millbrook Mill.md": MILL, "Harbour Cafe.md": "# Harbour Cafe\n\nA cafe by the sea.\n"})
    config = load_config(root)
    with Index(root, config) as index:
        index.refresh()
        found = linked_pages(index, first, answer, [("Kitchen/Bakery.md", 1)], "")
    assert [path for path, _ in found] == linked
