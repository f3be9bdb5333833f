"""The one wikilink grammar (`kbsleep.wiki.wikilink`): what is a link, and its parts, in any text.

The parser's inline rule, its scan of plain inline text and every reader of text outside the
parser use it; the cases below are the odd ones, each checked against the parser's own reading
of the same line (both of its paths: the plain scan and markdown-it).
"""

from __future__ import annotations

import re

import pytest

from kbsleep.wiki.fields import line_fields, trailing_subject
from kbsleep.wiki.page import normalize_key
from kbsleep.wiki.markers import github_slug
from kbsleep.wiki.parse import parse_page
from kbsleep.wiki.wikilink import PATTERN, Wikilink, replace_wikilinks, shown, shown_text, sole_wikilink, wikilinks, without_embeds


def parts(text: str) -> list[tuple[str, str, str | None, bool, str]]:
    return [(link.target, link.anchor, link.display, link.embed, link.raw) for link in wikilinks(text)]


CASES = [
    # text, [(target, anchor, display, embed, raw)]
    ("see [[Pump]] and [[Valve|the valve]]", [("Pump", "", None, False, "[[Pump]]"), ("Valve", "", "the valve", False, "[[Valve|the valve]]")]),
    ("[[a|b|c]]", [("a", "", "b|c", False, "[[a|b|c]]")]),  # the first `|` ends the target
    ("[[#Heading]]", [("", "Heading", None, False, "[[#Heading]]")]),  # a heading of this page
    ("[[T#A#B]] [[T#^block-1]]", [("T", "A#B", None, False, "[[T#A#B]]"), ("T", "^block-1", None, False, "[[T#^block-1]]")]),
    ("[[ T # A | shown ]]", [("T", "A", " shown ", False, "[[ T # A | shown ]]")]),  # target and anchor trimmed
    ("![[diagram.png|100]] and [[a]]![[b]]", [("diagram.png", "", "100", True, "![[diagram.png|100]]"), ("a", "", None, False, "[[a]]"), ("b", "", None, True, "![[b]]")]),
    ("[[a [[b]]", [("b", "", None, False, "[[b]]")]),  # a `[[` before the `]]`: the first is text
    ("[[a]b]]", [("a]b", "", None, False, "[[a]b]]")]),  # a single bracket is part of the name
    ("[[Note [draft]]]", [("Note [draft", "", None, False, "[[Note [draft]]")]),  # the first `]]` closes
    ("[[a", []),  # unclosed
    ("[[a]] then [[b", [("a", "", None, False, "[[a]]")]),
    ("[[ ]] and [[]]", []),  # nothing inside
    ("]] [[a]]", [("a", "", None, False, "[[a]]")]),  # a `]]` before any `[[` closes nothing
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_the_grammar_reads_each_link_and_its_parts(text: str, expected: list) -> None:
    assert parts(text) == expected


def test_a_link_spans_from_its_brackets_or_its_embed_mark_to_the_end_of_its_closing_brackets() -> None:
    text = "x ![[a]] [[b|c]]"
    assert [(link.start, link.end) for link in wikilinks(text)] == [(2, 8), (9, 16)]
    assert all(text[link.start : link.end] == link.raw for link in wikilinks(text))


def test_a_link_does_not_span_lines() -> None:
    assert parts("[[a\nb]] [[c]]") == [("c", "", None, False, "[[c]]")]


@pytest.mark.parametrize(("text", "_"), CASES)
@pytest.mark.parametrize("force_markdown_it", [False, True])
def test_the_parser_reads_a_paragraph_s_links_by_the_same_grammar(text: str, _: list, force_markdown_it: bool) -> None:
    """A paragraph of only text and links takes the parser's plain scan; one with a code span
    takes markdown-it with our inline rule: both find what `wikilinks` finds."""
    source = f"{text} `code`" if force_markdown_it else text
    page = parse_page("P.md", f"{source}\n".encode())
    found = [(link.target, link.anchor, link.display, link.kind == "embed", link.raw) for link in page.links]
    assert found == parts(text)


def test_a_table_escapes_the_bar_of_a_link_and_the_backslash_is_not_part_of_the_target() -> None:
    row = r"| [[Pump\|the pump]] | [[Valve#Seal\|seal]] |"
    assert [(link.target, link.anchor, link.display) for link in wikilinks(row)] == [("Pump", "", "the pump"), ("Valve", "Seal", "seal")]
    assert [link.reference for link in wikilinks(row)] == ["Pump", "Valve#Seal"]
    page = parse_page("P.md", f"| A | B |\n|---|---|\n{row}\n".encode())
    assert [(link.target, link.anchor, link.display) for link in page.links] == [("Pump", "", "the pump"), ("Valve", "Seal", "seal")]


def test_a_link_in_code_is_text_to_the_parser_and_a_raw_text_reader_masks_code_first() -> None:
    page = parse_page("P.md", b"Write `[[Pump]]` to link.\n\n```\n[[Valve]]\n```\n")
    assert page.links == ()
    assert parts("Write `[[Pump]]` to link.") == [("Pump", "", None, False, "[[Pump]]")]  # raw text, read as written
    # Fields mask code spans before they look for links: a link in code names no subject.
    assert line_fields("`[[Pump]]` [flow:: 5]", 1)[0].subjects == ()
    assert line_fields("[[Pump]] [flow:: 5]", 1)[0].subjects == ("Pump",)


def test_sole_wikilink_is_a_text_that_is_one_link_and_nothing_else() -> None:
    assert sole_wikilink("  [[Pump#Stats|stats]] ") == Wikilink(0, 20, False, "Pump", "Stats", "stats", "[[Pump#Stats|stats]]")
    assert sole_wikilink("![[a.png]]").embed is True  # type: ignore[union-attr]
    assert sole_wikilink("[[a]] [[b]]") is None
    assert sole_wikilink("see [[a]]") is None
    assert sole_wikilink("[[a [[b]]") is None
    assert sole_wikilink("[[a]]]") is None


def test_replacing_links_keeps_the_text_between_them() -> None:
    text = "A [[b|B]], ![[c.png]] and [[d#e]]; [[unclosed"
    assert replace_wikilinks(text, shown) == "A B, c.png and d#e; [[unclosed"
    assert replace_wikilinks(text, lambda link: "") == "A ,  and ; [[unclosed"
    assert without_embeds(text) == "A [[b|B]],  and [[d#e]]; [[unclosed"
    assert replace_wikilinks("no links [here]", shown) == "no links [here]"


def test_an_embed_written_in_a_code_span_is_text_and_stays() -> None:
    assert without_embeds("Use the `![[File.base]]` syntax, not ![[icon.svg]].") == "Use the `![[File.base]]` syntax, not ."
    assert without_embeds("`![[Link]]`: Embed files") == "`![[Link]]`: Embed files"


def test_the_readers_outside_the_parser_use_the_grammar() -> None:
    # A field key drops its links; a label's value names its subject in a trailing link.
    assert normalize_key("[[Evra Coast]] founded") == "founded"
    assert normalize_key("[[a [[b]] founded") == "[[a_founded"  # the first `[[` is text
    assert trailing_subject("1990 ([[Evra Coast Observatory#History|EC]])") == "Evra Coast Observatory"
    assert trailing_subject("1990 (![[Evra]])") is None  # an embed names no subject
    assert trailing_subject("([[Evra]])") is None  # no text before it
    assert trailing_subject("1990 ([[Evra]]) more") is None
    # A heading's anchor reads a link as the words it shows.
    assert github_slug("See [[Other|the other]] and [[Third]]") == "see-the-other-and-third"


def test_the_grammar_s_pattern_finds_the_links_the_scan_finds() -> None:
    """`PATTERN` (for readers that need no record of each link, at C speed) and `spans` (the
    parser's scan) are one grammar: every string of brackets, blanks, newlines and letters up to
    twelve long, drawn at random, splits into the same links."""
    import random

    pattern = re.compile(PATTERN)
    pick = random.Random(21).choice
    alphabet = ["[", "]", "[", "]", "!", "a", " ", "\n", "|", "#", "\\", "\t", "\u00a0"]
    for _ in range(20_000):
        text = "".join(pick(alphabet) for _ in range(12))
        assert [(m.start(), m.end(), bool(m.group(1))) for m in pattern.finditer(text)] == [(link.start, link.end, link.embed) for link in wikilinks(text)], repr(text)
    for text, expected in CASES:
        assert [m.group(0) for m in pattern.finditer(text)] == [raw for *_, raw in expected]


def test_shown_text_puts_the_words_each_link_shows() -> None:
    text = "A [[b|B]], ![[c.png]], [[d#e]] and [[#f]]; [[unclosed"
    assert shown_text(text) == "A B, , d#e and #f; [[unclosed"
    assert shown_text(text, " ") == "A  B ,  ,  d#e  and  #f ; [[unclosed"  # (words apart from their neighbours)
