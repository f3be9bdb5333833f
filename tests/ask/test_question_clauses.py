"""A question's clauses say what it asks, and a wiki's passage that asks the same thing answers
nothing (issue 19, answers that answer and "Not in the wiki" only when the wiki is silent). Seen on
an LLM-maintained wiki of software-engineering books nobody tuned on: "In the git-based PaaS
example ..." was "not in the wiki" because the wiki never writes "git-based" (it writes "built
around git"); "... a log stream I can search later?" because it never writes "search", read as the
clause's subject; "Which response header tells a client how much of its quota is left?" because
its "how much" asked for a number; and "What HTTP status code ...?" was answered with "a published
contract — which headers, which status code — is part of an API's interface"."""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.abstain import unwritten_compounds
from kbsleep.search.question import analyse
from kbsleep.search.topics import described, echoes, phrases, subjects


def _ask(root: Path, question: str):  # type: ignore[no-untyped-def]
    return ask(root, load_config(root), question, engine="offline", record=False)


# -- a word and a participle describe a thing; they are no term of their own ----------------------------


def test_a_compound_closed_by_a_participle_describes_its_thing_by_its_first_word() -> None:
    assert described("git-based") == "git"
    assert described("vm-hosted") == "vm"
    assert described("event-driven") == "event"  # (an irregular participle)
    assert described("red-black") is None  # two words of a term
    assert described("anti-entropy") is None
    assert described("news-feed") is None  # "-eed" makes no participle
    assert described("hand-fed") is None  # nor a word that short


def test_a_participle_compound_is_written_when_its_thing_is() -> None:
    written = {"git", "red", "black"}.__contains__
    assert unwritten_compounds(analyse("How often does the git-based deploy sidecar pull?"), written) == []
    assert unwritten_compounds(analyse("What is a cloud-hosted runner?"), written) == ["cloud-hosted"]  # the wiki never writes "cloud"
    assert unwritten_compounds(analyse("What is the height of a red-black tree?"), written) == ["red-black"]  # a term is written whole or not at all


RECIPES = {
    "Sourdough.md": (
        "# Sourdough\n\nA sourdough loaf is leavened by a starter culture kept alive with flour and water.\n\n"
        "## Feeding the starter\n\nFeed the starter twice a day with equal weights of flour and water.\n"
    ),
    "Bread machines.md": "# Bread machines\n\nA bread machine kneads, proves and bakes the dough in one tin.\n",
}


def test_a_question_using_a_participle_compound_the_wiki_words_otherwise_is_answered(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(RECIPES)
    answer = _ask(root, "How often should a flour-based starter be fed?")
    assert answer.found and "twice a day" in answer.text
    answer = _ask(root, "How often should a rye-based starter be fed?")
    assert (answer.found, answer.why) == (False, "the wiki never mentions rye-based")


# -- an auxiliary after its subject is followed by a verb, not by what the clause is about ---------------


def test_an_auxiliary_in_a_statement_s_order_opens_no_subject() -> None:
    assert subjects("How do I turn slow queries into a log stream I can search later?") == ()
    assert subjects("Which header tells a client how much of its quota is left?") == ()
    assert phrases("How do I keep notes you can read offline?") == ()
    # a question's own order: the auxiliary stands before its subject
    assert subjects("What darkvision range do tieflings have?") == ("tieflings",)
    assert subjects("How does flanking work in combat?") == ("flanking",)
    assert subjects("If I stop paying, how long will my notes stay stored?") == ("notes",)
    assert subjects("In what year was Kubernetes first released?") == ("kubernetes",)


GARDEN = {
    "Compost.md": (
        "# Compost\n\n## Hot composting\n\nTurn the heap every week so that it stays above 55 degrees; the finished compost "
        "is dark and crumbly and can be dug into beds after eight weeks.\n"
    ),
    "Mulch.md": "# Mulch\n\nMulch keeps the soil moist and the weeds down.\n",
}


def test_a_verb_after_a_statement_s_auxiliary_is_no_topic_the_wiki_must_write(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(GARDEN)
    answer = _ask(root, "How do I make hot compost I can dig into beds?")
    assert answer.found and "Turn the heap every week" in answer.text


# -- a "how much" inside another question word's clause asks no number -------------------------------------


def test_a_how_much_inside_a_which_question_asks_no_number() -> None:
    question = analyse("Which response header tells a client how much of its quota is left?")
    assert (question.kind, question.form) == ("which", None)
    question = analyse("Which tool tells you how long a build took?")
    assert (question.kind, question.form) == ("which", None)
    # a "how much" of its own clause, or opening the question, asks the number
    assert analyse("How much storage does the plan include?").form == "number"
    assert analyse("Which plan is it, and how many seats does it have?").form == "number"
    assert analyse("Does the trash empty itself after some days, and if so, after how many?").form == "number"


QUOTAS = {
    "Quotas.md": (
        "# Quotas\n\nEvery API key has a daily request quota.\n\n## Headers\n\n"
        "Each response carries the `X-Quota-Left` header with the number of requests the key may still make today.\n"
    ),
}


def test_a_which_question_with_an_embedded_how_much_is_answered_with_the_thing(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(QUOTAS)
    answer = _ask(root, "Which response header tells a client how much of its quota is left?")
    assert answer.found and "X-Quota-Left" in answer.text


# -- a passage asking what the question asks answers nothing ------------------------------------------------


def test_a_passage_echoes_a_what_question_when_it_writes_its_kind_after_a_question_word() -> None:
    pattern = echoes(analyse("What HTTP status code does the server send?"))
    assert pattern is not None
    assert pattern.search("A contract says which headers, which status code, and how quotas are scoped.")
    assert not pattern.search("The server sends status code 503 when it is overloaded.")
    pattern = echoes(analyse("Which response header carries the quota?"))
    assert pattern is not None and pattern.search("Decide which headers you return.")
    assert echoes(analyse("How do I rotate a certificate?")) is None


STATUS = {
    "Overload.md": (
        "# Overload\n\n## The contract\n\nA published overload contract — which HTTP status code, which headers, how long to wait — "
        "is part of the service's interface.\n\n## Rejecting requests\n\nAn overloaded server answers `503 Service Unavailable` "
        "and sets `Retry-After` to the seconds a client should wait.\n"
    ),
}


def test_a_what_question_is_answered_by_the_passage_naming_an_instance_not_the_one_echoing_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(STATUS)
    answer = _ask(root, "What HTTP status code does an overloaded server send?")
    assert answer.found and "503" in answer.text
