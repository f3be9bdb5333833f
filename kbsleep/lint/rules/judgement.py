"""Judgement rules (KB6xx): what `kbsleep lint --deep` asks a model, registered with the others.

This module is light on purpose (no model code): `kbsleep lint` imports it so that
`--list-rules`, `kbsleep rule` and suppression comments know the codes, while the judging
itself lives in `kbsleep.lint.deep`, imported only with `--deep`. The checks here yield
nothing: `--deep` computes all four families in one pass over candidate section pairs and
hands their findings to the lint engine, which suppresses, selects and scopes them like any other.
"""

from __future__ import annotations

from typing import Iterator

from kbsleep.lint.records import EVERY_PAGE, Diagnostic, Focus, Rule
from kbsleep.lint.registry import register
from kbsleep.wiki import Wiki


def contradiction(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """Two claims on different pages that cannot both be true.

    What it does:
        With `--deep`, picks pairs of sections that talk about the same entity (shared links,
        titles, aliases, key terms), ranked and capped by `deep.max-candidates` and the budget,
        and asks a model whether they contradict each other; the finding quotes both claims
        with their lines. The offline engine compares numeric prose claims instead (same entity,
        same attribute word, a different number or year) where no structured fact exists.

    Why it matters:
        Deterministic rules cannot see that "the Orion pump delivers 40 litres a minute" and
        "Orion's 55 l/min pump" disagree; answers then depend on which page was read.

    Example:
        "[[Port Evra]] was founded in 1712." on one page and "Port Evra, founded in 1731, ..."
        on another.

    Fix:
        Check the sources, correct the wrong claim, or say why both hold (dates, scope).
    """
    return iter(())


def stale_claim(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """A claim superseded by a newer dated or sourced claim elsewhere.

    What it does:
        With `--deep`, asks a model whether one section of a candidate pair states something
        that a newer (dated, `updated`, or sourced) claim in the other replaces.

    Why it matters:
        Wikis grow by appending; the old figure stays on the pages nobody re-read.

    Example:
        "The survey is planned for 2025" on one page, "The 2025 survey was completed in
        March" (updated 2026-01) on another.

    Fix:
        Update the old claim, or date it ("as of 2024, ...").
    """
    return iter(())


def missing_page(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """A concept mentioned on several pages that has no page of its own.

    What it does:
        With `--deep`, asks a model which concepts two related sections both mention without a
        page; a suggestion is kept only if both sections really mention it and no page, title
        or alias matches it.

    Why it matters:
        A concept without a page has no single place for its facts, so they drift apart.

    Example:
        "tidal gauge calibration" discussed on three pages, none of them its own.

    Fix:
        Create the page (and link to it), or add the name as an alias of the page that covers it.
    """
    return iter(())


def unsupported_claim(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """A claim that the page's own `sources` (pages in the wiki) do not back.

    What it does:
        With `--deep`, pairs a page with each of its frontmatter `sources` that is a wiki page
        and asks a model for claims the source does not support.

    Why it matters:
        A `sources` entry is a promise that the page can be checked; an unsupported claim
        breaks it, and a model citing the source repeats the error.

    Example:
        `sources: ["[[sources/Harbour Survey 2024]]"]` and "the harbour is 14 m deep" where the
        survey says 12 m.

    Fix:
        Correct the claim, add the source that supports it, or mark it as unsourced.
    """
    return iter(())


# code     name                   check
_TABLE = (
    ("KB601", "contradiction",     contradiction),
    ("KB602", "stale-claim",       stale_claim),
    ("KB603", "missing-page",      missing_page),
    ("KB604", "unsupported-claim", unsupported_claim),
)  # fmt: skip

for _code, _name, _check in _TABLE:
    register(Rule(_code, _name, "judgement", _check, _check.__doc__ or ""))
