"""The byte check of an edit that rewrites one fenced section (`fences.OutsideFence`).

It states exactly what may differ: one `kbsleep:NAME` section replaced, or one appended after
the line endings that end the last line and leave one blank line. Every other byte is equal.
"""

from __future__ import annotations

import pytest

from kbsleep.wiki.fences import OutsideFence, line_ending, separator

KEEP = OutsideFence("anticipate")
SECTION = b"<!-- kbsleep:anticipate v=1 source=a -->\n## Anticipated questions\n<!-- /kbsleep:anticipate -->\n"
OTHER = b"<!-- kbsleep:anticipate v=1 source=b -->\n## Anticipated questions\n\n**Why?**\nBecause. [[A]]\n<!-- /kbsleep:anticipate -->\n"
CRLF_SECTION = OTHER.replace(b"\n", b"\r\n")
# A NUL in the first 8,192 bytes makes a file binary (to git and to kbsleep); after them it is text.
LATE_NUL = b"Caf\xe9 " + b"x" * 8192 + b" \x00 ok\n"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param(b"# A\n\n" + SECTION + b"Tail.\n", b"# A\n\n" + OTHER + b"Tail.\n", id="one section replaced"),
        pytest.param(b"# A\n", b"# A\n\n" + OTHER, id="appended after one blank line"),
        pytest.param(b"# A", b"# A\n\n" + OTHER, id="the last line's newline starts the appended section"),
        pytest.param(b"# A\n\n", b"# A\n\n" + OTHER, id="a blank last line is the blank line"),
        pytest.param(b"\xef\xbb\xbf# A\r\n", b"\xef\xbb\xbf# A\r\n\r\n" + CRLF_SECTION, id="BOM and CRLF kept"),
        pytest.param(b"", OTHER, id="an empty file gets just the section"),
        pytest.param(b"# A\n\n" + SECTION.rstrip(b"\n"), b"# A\n\n" + OTHER, id="a section that ended the file without newline"),
        pytest.param(b"# A\n\n" + SECTION + b"Tail.\n", b"# A\n\n" + SECTION + b"Tail.\n\n" + OTHER, id="appended when one exists"),
        pytest.param(LATE_NUL, LATE_NUL + b"\n" + OTHER, id="undecodable bytes and a NUL kept"),
    ],
)
def test_allowed(old: bytes, new: bytes) -> None:
    assert KEEP.check(old, new) is None


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        pytest.param(b"Caf\xe9\n", "Caf\ufffd\n\n".encode() + OTHER, "line 1, column 4", id="a Latin-1 byte replaced"),
        pytest.param(b"\xef\xbb\xbf# A\n", b"# A\n\n" + OTHER, "line 1, column 1", id="the BOM dropped"),
        pytest.param(b"# A\n", b"# A\n\n\n" + OTHER, "line 2, column 1", id="two blank lines before it"),
        pytest.param(b"# A\r\n", b"# A\r\n\n" + CRLF_SECTION, "line 2, column 1", id="an LF blank line on a CRLF page"),
        pytest.param(b"# A\n", b"# A\n\n" + OTHER + b"More.\n", "line 2, column 1", id="text after the appended section"),
        pytest.param(b"# A\n\n" + SECTION + b"Tail.\n", b"# A\n\n" + OTHER.rstrip(b"\n") + b"Tail.\n", "line 3, column 36", id="the next line glued on"),
        pytest.param(b"# A\n\n" + SECTION + b"Tail.\n", b"# A\n\n" + OTHER + OTHER + b"Tail.\n", "line 3, column 36", id="two sections for one"),
        pytest.param(b"# A\n\n" + SECTION + b"Tail.\n", b"# A\n\n" + b"Tail.\n", "line 3, column 1", id="the section removed"),
        pytest.param(b"# A\r\nB\n", b"# A\nB\n\n" + OTHER, "line 1, column 4", id="a line ending changed"),
        pytest.param(
            b"<!-- kbsleep:contradictions v=1 -->\nX\n<!-- /kbsleep:contradictions -->\n",
            b"<!-- kbsleep:contradictions v=1 -->\nY\n<!-- /kbsleep:contradictions -->\n\n" + OTHER,
            "line 2, column 1",
            id="inside another kbsleep fence",
        ),
    ],
)
def test_refused_with_the_first_difference(old: bytes, new: bytes, where: str) -> None:
    assert KEEP.check(old, new) == f"its bytes outside the `anticipate` section would change (first at {where})"


def test_refused_in_a_binary_file_where_the_section_would_not_be_read_back() -> None:
    old = b"Caf\xe9 \x00 ok\n"  # a NUL in the first 8,192 bytes: binary, never parsed
    assert KEEP.check(old, old + b"\n" + OTHER) == (
        "the new `anticipate` section (line 3) would not be read back as one: the text before it leaves a code block or comment open"
    )


@pytest.mark.parametrize(
    ("text", "ending"),
    [("a\nb\n", "\n"), ("a\r\nb\r\n", "\r\n"), ("a\rb\r", "\r"), ("a\r\nb\nc\r\n", "\r\n"), ("a\nb\r\n", "\n"), ("one line", "\n"), ("", "\n")],
)
def test_a_page_s_line_ending_is_the_one_most_of_its_lines_use(text: str, ending: str) -> None:
    assert line_ending(text) == ending


@pytest.mark.parametrize(("text", "glue"), [("", ""), ("a", "\r\n\r\n"), ("a\r\n", "\r\n"), ("a\r\n\r\n", ""), ("a\r\n  \r\n", "\r\n")])
def test_the_separator_before_an_appended_section(text: str, glue: str) -> None:
    assert separator(text, "\r\n") == glue
