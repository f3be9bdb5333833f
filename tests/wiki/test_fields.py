"""Structured facts on a page, and which entity each is about."""

from __future__ import annotations

from kbsleep.wiki.parse import parse_page


def fields(text: str) -> list[tuple[str, str, str, tuple[str, ...]]]:
    page = parse_page("Here.md", text.encode())
    return [(f.key, f.value, f.kind, f.subjects) for f in page.fields if f.kind != "frontmatter"]


def test_a_bracketed_field_is_about_the_link_just_before_it() -> None:
    text = "[[Alpha]] met the team. [[Beta Site]] (founded:: 1901) and [[Gamma]] came later.\n"
    assert fields(text) == [("founded", "1901", "inline", ("Beta Site",))]


def test_a_whole_line_field_is_about_a_link_in_its_key() -> None:
    assert fields("- [[Evra Coast Observatory]] founded:: 1989\n") == [("founded", "1989", "inline", ("Evra Coast Observatory",))]


def test_a_field_with_no_link_is_about_its_own_page() -> None:
    assert fields("Population:: 41,000\n") == [("population", "41,000", "inline", ())]


def test_a_link_as_a_label_value_is_the_value_not_the_subject() -> None:
    assert fields("**Maintainer:** [[Mara Ilves]]\n") == [("maintainer", "[[Mara Ilves]]", "label", ())]


def test_a_trailing_parenthesised_link_names_the_subject_of_a_label() -> None:
    assert fields("- **Founded:** 1990 ([[Evra Coast Observatory]])\n") == [("founded", "1990 ([[Evra Coast Observatory]])", "label", ("Evra Coast Observatory",))]


def test_fields_in_code_are_not_facts() -> None:
    assert fields("```\nborn:: 1900\n```\n\n`born:: 1901`\n") == []
