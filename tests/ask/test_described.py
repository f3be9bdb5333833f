"""A question that describes a thing instead of naming it (`search.described`): the phrase is
resolved to the page whose defining sentence it matches clearly, and the question is searched
again with that page's name, so the page that says what is asked of the thing comes first."""

from __future__ import annotations

from pathlib import Path

from kbsleep.config import load_config
from kbsleep.search import described
from kbsleep.search.index import Index
from kbsleep.search.question import analyse
from kbsleep.search.retrieve import retrieve
from kbsleep.search.vectors import question_vector

GOLD = """\
# Gold plan

The Gold plan is a yearly subscription that adds cloud backup to every vault.

## What you get

Nightly snapshots of each vault, kept on our servers.
"""

SILVER = """\
# Silver plan

The Silver plan is a monthly subscription that unlocks custom themes for the editor.

## Themes

Pick any colour scheme.
"""

BILLING = """\
# Billing

Invoices are sent by email. Payment is taken by card.

> Gold plans are billed once a year and can be cancelled within 14 days for a full refund.
> Silver plans are billed each month and cannot be refunded.
"""

GARDEN = """\
# Garden

Tomatoes need sun and water. The greenhouse keeps them warm in spring.
"""


def plans_wiki() -> dict[str, str]:
    return {"Plans/Gold plan.md": GOLD, "Plans/Silver plan.md": SILVER, "Billing.md": BILLING, "Garden.md": GARDEN}


def _retrieved(index: Index, text: str):  # type: ignore[no-untyped-def]
    return retrieve(index, analyse(text), question_vector(index.embedder, text, lambda word: 1.0))


def test_the_phrases_that_describe_a_thing() -> None:
    text = "I bought the yearly subscription that adds cloud backup. Can I cancel it?"
    assert described.phrases(text) == [("the yearly subscription that adds cloud backup", "yearly subscription adds cloud backup", "subscription")]
    assert described.phrases("Is there a limit on Acme's own paid backup service?") == [("Acme's own paid backup service", "paid backup service", "")]
    assert described.phrases("Where are Acme's servers?") == []  # one word names no one thing
    assert described.phrases("How do I water tomatoes?") == []


def test_a_page_s_defining_sentence_names_what_its_title_names(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo(plans_wiki())
    with Index(root, load_config(root)) as index:
        index.refresh()
        gold = index.page_sections(["Plans/Gold plan.md"])
        billing = index.page_sections(["Billing.md"])
    assert described.definition_of(gold) == ("Gold plan", "yearly subscription that adds cloud backup to every vault", False)
    assert described.definition_of(billing) is None  # "Invoices are sent": no subject the title names


def test_a_definition_may_come_after_an_analogy_in_the_page_s_second_section(make_repo) -> None:  # type: ignore[no-untyped-def]
    page = "# Cold Vault\n\n## What it is\nThink of it as a safe in a cellar. The Cold Vault (CV) is an offline archive that keeps old vaults.\n\n## Limits\nTen vaults.\n"
    root: Path = make_repo({**plans_wiki(), "Cold Vault.md": page})
    with Index(root, load_config(root)) as index:
        index.refresh()
        assert described.definition_of(index.page_sections(["Cold Vault.md"])) == ("Cold Vault", "offline archive that keeps old vaults", False)


def test_a_described_thing_is_searched_by_its_name_and_the_page_that_answers_comes_first(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo(plans_wiki())
    question = "I signed up for the yearly subscription that adds cloud backup. Can I cancel it?"
    with Index(root, load_config(root)) as index:
        index.refresh()
        found = described.resolve(index, question)
        ranked = _retrieved(index, question)
    assert found is not None and found.page == "Plans/Gold plan.md" and found.name == "Gold plan"
    assert found.question == "I signed up for the Gold plan. Can I cancel it?"
    assert ranked.described == found
    assert ranked.hits[0].page == "Billing.md" and ranked.about == "Billing.md"  # it names the Gold plan and says how to cancel it


def test_a_description_two_pages_match_alike_resolves_to_neither(make_repo) -> None:  # type: ignore[no-untyped-def]
    twin = GOLD.replace("Gold", "Platinum").replace("to every vault", "to every vault and folder")
    root: Path = make_repo({**plans_wiki(), "Plans/Platinum plan.md": twin})
    with Index(root, load_config(root)) as index:
        index.refresh()
        assert described.resolve(index, "I signed up for the yearly subscription that adds cloud backup. Can I cancel it?") is None


def test_a_question_that_describes_nothing_is_retrieved_as_before(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo(plans_wiki())
    with Index(root, load_config(root)) as index:
        index.refresh()
        for text in ("How much sun do tomatoes need?", "Is the Gold plan refundable?", "What does the greenhouse that keeps tomatoes warm cost?"):
            ranked = _retrieved(index, text)
            assert ranked.described is None
            plain = _plain(index, text)
            assert ([h.id for h in ranked.hits], ranked.about) == ([h.id for h in plain.hits], plain.about)


def _plain(index: Index, text: str):  # type: ignore[no-untyped-def]
    from kbsleep.search import retrieve as module

    return module._retrieve(index, analyse(text), question_vector(index.embedder, text, lambda word: 1.0), 30)


def test_a_named_thing_is_not_described(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo(plans_wiki())
    with Index(root, load_config(root)) as index:
        index.refresh()
        assert described.resolve(index, "Can I cancel the Gold plan that adds cloud backup?", ("gold",)) is None


def test_a_description_of_several_things_resolves_to_no_page_that_defines_one(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo(plans_wiki())
    with Index(root, load_config(root)) as index:
        index.refresh()
        assert described.resolve(index, "Do Acme's yearly cloud backup subscriptions renew themselves?") is None
        found = described.resolve(index, "Does Acme's yearly cloud backup subscription renew itself?")
    assert found is not None and found.page == "Plans/Gold plan.md"


def test_what_the_question_asks_after_the_description_stays_in_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo(plans_wiki())
    with Index(root, load_config(root)) as index:
        index.refresh()
        found = described.resolve(index, "Can I move the yearly subscription that adds cloud backup to another account?")
    assert found is not None and found.question == "Can I move the Gold plan to another account?"


def test_without_the_static_model_nothing_is_resolved() -> None:
    class Endpoint:  # an index whose embedder is an endpoint's: FLOOR and MARGIN are on another model's scale
        embedder = object()

    assert described.resolve(Endpoint(), "I bought the yearly subscription that adds cloud backup. Can I cancel it?") is None  # type: ignore[arg-type]
