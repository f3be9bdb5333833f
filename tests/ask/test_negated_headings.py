"""A section whose heading negates ("What SpecSafe is not", "Non-goals") is ranked after the
others for a question that does not negate: it says what the thing is not.

Seen on a public LLM wiki (a company handbook): "What is SpecSafe?" was answered from "## What
SpecSafe is not" ("Primary revenue SKU"), which BM25 ranked above "## What SpecSafe is".
"""

from __future__ import annotations

from kbsleep.ask import retrieve
from kbsleep.config import load_config
from kbsleep.search.index import Index

THESIS = """\
---
title: Tidekeeper — product thesis
---
Internal notes on where Tidekeeper fits.

## What Tidekeeper is not

- A hosted service
- A replacement for the harbour's tide tables

## What Tidekeeper is

A small command-line tool that checks tide gauges against the harbour's published tables.

## Non-goals

- Forecasting storms
"""


def test_a_negated_heading_comes_after_the_one_that_says_what_it_is(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"tidekeeper-product-thesis.md": THESIS, "harbour.md": "# Harbour\n\nThe harbour publishes tide tables every month.\n"})
    with Index(root, load_config(root)) as index:
        index.refresh()
        asked = [hit.heading for hit in retrieve(index, "What is Tidekeeper?") if hit.page == "tidekeeper-product-thesis.md"]
        assert asked.index("What Tidekeeper is") < asked.index("What Tidekeeper is not")
        # a question that negates keeps the negated section where it ranks
        negated = [hit.heading for hit in retrieve(index, "What is Tidekeeper not?") if hit.page == "tidekeeper-product-thesis.md"]
        assert negated[0] == "What Tidekeeper is not"
