"""Claim sentences: the prose `contradicting-claims` judges, found once when a page is parsed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kbsleep.wiki.claims import SENTENCE_END, mentions_attribute
from kbsleep.wiki.page import Page
from kbsleep.wiki.parse import parse_page


def claims(text: str) -> list[tuple[int, str]]:
    return [tuple(sentence) for sentence in parse_page("Here.md", text.encode()).claims]


def test_a_sentence_is_on_the_line_where_it_starts() -> None:
    text = "---\nborn: 1952\n---\nMara Ilves was born in 1954. She studied tides.\nHer station opened in 1990; It closed later.\n"
    assert claims(text) == [(4, "Mara Ilves was born in 1954."), (5, "Her station opened in 1990;")]


def test_a_claim_needs_a_number_and_an_attribute_word() -> None:
    assert claims("She was born in spring.\n\nIt has 40 rooms.\n\n```\nborn 1954\n```\n") == []


def test_text_a_kbsleep_pass_wrote_is_not_a_claim() -> None:
    text = "Born in 1954.\n\n<!-- kbsleep:summary -->\nBorn in 1955.\n<!-- /kbsleep:summary -->\n"
    assert claims(text) == [(1, "Born in 1954.")]


def test_lines_ended_by_a_lone_carriage_return_are_numbered_as_the_parser_numbers_them() -> None:
    assert claims("Intro.\r\rMara Ilves was born in 1954.\r") == [(3, "Mara Ilves was born in 1954.")]


def test_a_one_line_field_is_not_a_claim_but_a_paragraph_holding_one_is() -> None:
    text = "founded:: 1989\n\nOpened:: 1990\nIt was built in 1991.\n"
    assert claims(text) == [(3, "Opened:: 1990\nIt was built in 1991.")]


def test_a_bold_label_is_prose_a_claim_on_its_own_line() -> None:
    text = "**Born:** 1954\n\n- **Founded:** 1990 ([[Evra]])\n\nIntro\n**Died:** 2001\n"
    assert claims(text) == [(1, "**Born:** 1954"), (3, "**Founded:** 1990 ([[Evra]])"), (5, "Intro\n**Died:** 2001"), (6, "**Died:** 2001")]


def test_a_label_the_page_repeats_is_a_list_of_cases_not_a_claim() -> None:
    text = "## Linux\n\n**Born:** 1991\n\n## Windows\n\n**Born:** 1985\n\n**Born:** 1990 ([[Evra]])\n"
    assert claims(text) == [(9, "**Born:** 1990 ([[Evra]])")]  # a label naming its subject is one claim


def numbers(text: str) -> list[tuple[str, float, str, int]]:
    return list(parse_page("Here.md", text.encode()).numbers)


def test_a_page_states_a_number_in_its_own_frontmatter_under_an_attribute_key() -> None:
    text = "---\nborn: 1952-03-01\nPopulation: 12,400\ndepth m: about 40 m\nrooms: 40\n---\nfounded:: 1989\n"
    assert numbers(text) == [("born", 1952.0, "1952-03-01", 2), ("population", 12400.0, "12,400", 3), ("depth_m", 40.0, "about 40 m", 4)]


def test_a_value_with_several_numbers_is_no_numeric_fact_but_a_year_key_takes_its_first_year() -> None:
    assert numbers("---\npopulation: 12,400 (2020)\ndied: 1990 or 1991\n---\n") == [("died", 1990.0, "1990 or 1991", 3)]


def judged(page: Page) -> list[tuple[int, str]]:
    """What the rule judged when it split the blocks itself (its code before claims were parsed),
    and each bold label the page does not repeat, on a line of its own."""
    field_lines = {field.line for field in page.fields if field.kind == "inline"}
    labels = [field for field in page.fields if field.kind == "label"]
    repeated = {field.line for field in labels if not field.subjects and sum(not f.subjects and f.key == field.key for f in labels) > 1}
    label_lines = {field.line for field in labels}
    found = []
    for block in page.blocks:
        if not mentions_attribute(block.text) or block.line in page.generated_lines:
            continue
        if block.line in field_lines and "\n" not in block.text:
            continue
        if block.line in label_lines and "\n" not in block.text:
            if block.line not in repeated:
                found.append((block.line, block.text))
            continue
        start = 0
        for sentence in SENTENCE_END.split(block.text):
            start = block.text.find(sentence, start)
            line = block.line + block.text.count("\n", 0, start)
            start += len(sentence)
            if mentions_attribute(sentence):
                found.append((line, sentence))
        for offset, piece in enumerate(block.text.split("\n")):
            if "\n" in block.text and block.line + offset in label_lines - repeated and mentions_attribute(piece):
                found.append((block.line + offset, piece))
    return found


# Paragraphs, list items, tables, quotes, fields, fences and code, with sentences that run on
# across lines, repeat, and end in the marks that split them.
MARKDOWN = st.lists(
    st.tuples(
        st.sampled_from(["", "- ", "1. ", "> ", "# ", "| a | b |\n|---|---|\n| ", "**Born:** ", "Founded:: ", "  ", "```\n", "<!-- kbsleep:summary -->\n", "<!-- /kbsleep:summary -->\n", "%%"]),
        st.lists(st.sampled_from(["Born", "born in", "1954", "1,200", "population", "[[Mara Ilves]]", "The", "It", ". ", "; ", "! ", "\n", " ", "x", "İ", "(founded:: 1990)"]), max_size=8),
        st.sampled_from(["\n", "\n\n", "\r\n", "\r"]),
    ),
    max_size=8,
).map(lambda lines: "".join(prefix + "".join(body) + end for prefix, body, end in lines))


@settings(max_examples=500)
@given(MARKDOWN)
def test_the_parsed_claims_are_the_sentences_the_rule_judged_block_by_block(text: str) -> None:
    page = parse_page("Page.md", text.encode("utf-8"))
    assert list(map(tuple, page.claims)) == judged(page)
    cached = Page.from_row(page.to_row(), text)
    assert cached.claims == page.claims
