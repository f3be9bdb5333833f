"""Dataview inline fields are structured facts; `::` in names, links, URLs, code and Pandoc divs,
and bold labels, are not (see `kbsleep.wiki.fields`)."""

from __future__ import annotations

import pytest

from kbsleep.wiki.fields import line_fields
from kbsleep.wiki.parse import parse_page


def fields(text: str) -> list[tuple[str, str, str, tuple[str, ...]]]:
    page = parse_page("Here.md", text.encode())
    return [(f.key, f.value, f.kind, f.subjects) for f in page.fields if f.kind != "frontmatter"]


FIELDS = [
    # Dataview's forms (its "Adding Metadata" page)
    ("Basic Field:: Some random Value\n", [("basic_field", "Some random Value", "inline", ())]),
    ("**Bold Field**:: Nice!\n", [("bold_field", "Nice!", "inline", ())]),
    ("I would rate this a [rating:: 9]! It was [mood:: acceptable].\n", [("rating", "9", "inline", ()), ("mood", "acceptable", "inline", ())]),
    ("This will not show the (longKeyIDontNeedWhenReading:: key).\n", [("longkeyidontneedwhenreading", "key", "inline", ())]),
    ("- [ ] Send a mail to David [due:: 2022-04-05].\n", [("due", "2022-04-05", "inline", ())]),
    ("- list item:: its value\n", [("list_item", "its value", "inline", ())]),
    ("> Quoted:: value\n", [("quoted", "value", "inline", ())]),
    ("[rating:: [[Five Stars]]] and [parent:: (see [[Mara]])]\n", [("rating", "[[Five Stars]]", "inline", ()), ("parent", "(see [[Mara]])", "inline", ())]),
    ("Empty:: \n", [("empty", "", "inline", ())]),
    # kbsleep's subjects: a link in the key of a full-line field, or just before a bracketed one
    ("- [[Evra Coast Observatory]] founded:: 1989\n", [("founded", "1989", "inline", ("Evra Coast Observatory",))]),
    ("[[Alpha]] met [[Beta Site|Beta]] (founded:: 1901) once.\n", [("founded", "1901", "inline", ("Beta Site",))]),
    ("[[Evra]] (founded:: 1990) (staff:: 58)\n", [("founded", "1990", "inline", ("Evra",)), ("staff", "58", "inline", ("Evra",))]),
    ("**[[Ines Kaldor]] role**:: intern\n", [("role", "intern", "inline", ("Ines Kaldor",))]),
    # bold labels: prose, kept as labels (a colon inside or after the bold text)
    ("**Born:** 1952\n", [("born", "1952", "label", ())]),
    ("- **macOS**: `/Users/name`\n", [("macos", "`/Users/name`", "label", ())]),
    ("- **Founded:** 1990 ([[Evra Coast Observatory]])\n", [("founded", "1990 ([[Evra Coast Observatory]])", "label", ("Evra Coast Observatory",))]),
]

NOT_FIELDS = [
    "Pump::Stats is a product.\n",  # a name: no space after `::`
    "C++ has std::vector and (std::vector) and [std::map].\n",
    "[[Pump::Stats]] and [[Pump:: Stats]] are links.\n",
    "![[Pump:: Stats.png]] is an embed.\n",
    "[Code::Stats](https://codestats.net) and [Code:: Stats](https://codestats.net) are links.\n",
    "Listening on http://[::1]:8080/ and <http://[::1]:9090/>.\n",
    "`born:: 1900` and `[born:: 1901]` and ``(died:: 1950)`` are code.\n",
    "```\nborn:: 1902\n```\n",
    "    born:: 1903\n",  # an indented code block
    "::::: {.columns}\n",
    '::: {.column width="60%"}\n',
    ":::\n",
    ":: lone\n",
    "- [ ] owner:: Mara\n",  # a task's full line (Dataview reads only its bracketed fields)
    "Note, however:: this is prose.\n",  # a key is words
    "- **Daily note** — Open your daily note\n",  # a bold phrase without a colon
    "**Desktop CM6: Editor (Source)** <- New\n",
    "status: draft\n",  # one colon in prose
    "**Note**\n",
    "**[[#Obsidian Sync|Remote vaults]]**: storage\n",  # a label that is only a link has no key
]


@pytest.mark.parametrize(("text", "expected"), FIELDS)
def test_fields_dataview_reads_are_fields(text: str, expected: list) -> None:
    assert fields(text) == expected


@pytest.mark.parametrize("text", NOT_FIELDS)
def test_text_that_only_looks_like_a_field_is_none(text: str) -> None:
    assert fields(text) == []


def test_a_bracketed_field_on_a_line_leaves_no_full_line_field() -> None:
    assert [(f.key, f.value) for f in line_fields("Rated:: five [stars:: 5]", 1)] == [("stars", "5")]


def test_an_escaped_closing_bracket_stays_in_the_value() -> None:
    assert [(f.key, f.value) for f in line_fields(r"[quote:: a \] b]", 1)] == [("quote", r"a \] b")]
