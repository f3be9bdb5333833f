"""Keys a site generator reads to name, place or serve a page (`slug`, a numeric `order`, a `lang`
tag, `nav_order`, `sidebar_position`) are the site's, not facts about the page's subject: an LLM
wiki published as a website wrote `order: 282`, `lang: "en"` and `slug: "clark-ocone"` on each of
its 2,100 pages, and anticipate asked "What is the slug of ...?" on every one. The same words
holding a fact of the subject ("order: Lepidoptera", "lang: Rust") are still asked about."""

from __future__ import annotations

from kbsleep.llm.model import Passage
from kbsleep.passes.offline_questions import generate

PUBLISHED = """\
---
title: "Monarch butterfly"
category: "insects"
order: 17
lang: "en-GB"
slug: "monarch-butterfly"
nav_order: 4
sidebar_position: 2
wingspan: 10 cm
---
# Monarch butterfly

The monarch butterfly is a milkweed butterfly known for its long migration.
"""

CLASSIFIED = """\
---
title: Monarch butterfly
order: Lepidoptera
---
# Monarch butterfly

The monarch butterfly is a milkweed butterfly known for its long migration.
"""

PROJECT = """\
---
title: Ripgrep
lang: Rust
---
# Ripgrep

Ripgrep is a line-oriented search tool that recursively searches directories.
"""


def questions(text: str) -> list[str]:
    return [qa.question for qa in generate([Passage("Monarch butterfly", text)])]


def test_no_question_about_where_a_site_puts_the_page() -> None:
    asked = questions(PUBLISHED)
    assert not [q for q in asked if any(w in q for w in ("slug", "order", "lang", "nav", "sidebar"))]
    assert "What is the wingspan of Monarch butterfly?" in asked


def test_the_same_keys_holding_a_fact_are_asked_about() -> None:
    assert "What is the order of Monarch butterfly?" in questions(CLASSIFIED)
    assert any("lang" in q for q in questions(PROJECT)), questions(PROJECT)


# A diary page of Blue Topaz's example vault: the Banners plugin's picture and a Zettelkasten id.
DIARY = """\
---
UID: 202204020052
banner: "99-Attachment/banner/gradient.jpg"
cover: "![[Pasted image 20220422085127.png|300]]"
poster: https://img9.example.com/view/subject/l/public/s34044216.webp
weather: sunny
---
# 2022-04-02

A walk along the river after lunch.
"""


def test_no_question_about_a_picture_or_an_id() -> None:
    asked = [qa.question for qa in generate([Passage("2022-04-02", DIARY)])]
    assert not [q for q in asked if any(w in q.casefold() for w in ("uid", "banner", "cover", "poster"))], asked
    assert "What is the weather of 2022-04-02?" in asked


GARDEN = """\
---
title: Percolation
growth: "seedling"
stage: budding
critical probability: 0.5927
---
# Percolation

Percolation studies how connected clusters form in a random lattice.
"""


def test_no_question_about_how_grown_a_garden_note_is() -> None:
    asked = [qa.question for qa in generate([Passage("Percolation", GARDEN)])]
    assert not [q for q in asked if "growth" in q or "stage" in q], asked
    assert "What is the critical probability of Percolation?" in asked
