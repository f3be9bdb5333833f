"""The byte check of an edit that changes named spans of a page (`spans.OutsideSpans`), and the
text under edit that knows which spans of the original it changed (`spans.Tracked`).

The check states exactly what may differ: each span, replaced by any bytes. Every byte before,
between and after the spans is kept.
"""

from __future__ import annotations

import pytest

from kbsleep.wiki.spans import OutsideSpans, Tracked, byte_spans, in_ending

BOM = "\ufeff"


@pytest.mark.parametrize(
    ("old", "spans", "new"),
    [
        pytest.param(b"See [[A]] here.\n", ((4, 9),), b"See [[B|A]] here.\n", id="a link rewritten"),
        pytest.param(b"See [[A]] and [[C]].\r\n", ((4, 9), (14, 19)), b"See [[B|A]] and [[D]].\r\n", id="two links, CRLF kept"),
        pytest.param(b"# A\r\nText.", ((10, 10),), b"# A\r\nText.\r\n\r\nMore.\r\n", id="appended after a last line without newline"),
        pytest.param(b"\xef\xbb\xbf# A\n\nB.\n", ((8, 8),), b"\xef\xbb\xbf# A\n\nCallout.\n\nB.\n", id="inserted, BOM kept"),
        pytest.param(b"Caf\xe9 [[A]]\n", ((5, 10),), b"Caf\xe9 [[B]]\n", id="an undecodable byte outside the span kept"),
        pytest.param(b"---\ntags: a\n---\nBody.\n", ((4, 12), (16, 22)), b"---\ntags:\n  - a\n  - b\n---\nNew body.\n", id="a key and the body"),
        pytest.param(b"x [[A]] x [[A]] x\n", ((2, 7),), b"x [[B]] x [[A]] x\n", id="a repeated piece matched in order"),
        pytest.param(b"Same.\n", (), b"Same.\n", id="no spans: the same bytes"),
    ],
)
def test_allowed(old: bytes, spans: tuple[tuple[int, int], ...], new: bytes) -> None:
    assert OutsideSpans("the links", spans).check(old, new) is None


@pytest.mark.parametrize(
    ("old", "spans", "new", "where"),
    [
        pytest.param(b"Caf\xe9 [[A]]\n", ((5, 10),), "Caf\ufffd [[B]]\n".encode(), "line 1, column 4", id="a Latin-1 byte replaced"),
        pytest.param(b"\xef\xbb\xbf# A\n[[A]]\n", ((8, 13),), b"# A\n[[B]]\n", "line 1, column 1", id="the BOM dropped"),
        pytest.param(b"# A\r\n[[A]]\r\n", ((5, 10),), b"# A\n[[B]]\n", "line 1, column 4", id="CRLF made LF"),
        pytest.param(b"# A\n[[A]]\nTail.\n\n\n", ((4, 9),), b"# A\n[[B]]\nTail.\n", "line 4, column 1", id="trailing blank lines dropped"),
        pytest.param(b"A [[A]] B [[C]] D\n", ((2, 7), (12, 17)), b"A [[X]] b [[Y]] D\n", "line 1, column 8", id="a byte between two spans"),
        pytest.param(b"Same.\n", (), b"Same!\n", "line 1, column 5", id="no spans"),
        pytest.param(b"Short.\n", ((2, 40),), b"Short.\n", "", id="a span past the end"),
    ],
)
def test_refused(old: bytes, spans: tuple[tuple[int, int], ...], new: bytes, where: str) -> None:
    reason = OutsideSpans("the links", spans).check(old, new)
    if where:
        assert reason == f"its bytes outside the links would change (first at {where})"
    else:
        assert reason == "the spans planned for the links are not in the file as it is now (changed since?)"


def test_byte_spans_join_touching_spans_and_count_bytes() -> None:
    text = BOM + "é [[A]] ü"
    assert byte_spans(text, [(5, 8), (3, 5), (9, 10)]) == ((6, 11), (12, 14))


def test_tracked_edits_at_parsed_positions_keep_the_bom_and_name_the_original_spans() -> None:
    original = BOM + "# A\r\n\r\nSee [[a]] and [[b]].\r\n"
    text = Tracked.of(original, original[1:])
    text = text.replace(21, 26, "[[B]]").replace(11, 16, "[[Aa|a]]")  # right, then left
    text = text.insert(len(text.parsed), "\r\nMore.\r\n")
    assert text.text == BOM + "# A\r\n\r\nSee [[Aa|a]] and [[B]].\r\n\r\nMore.\r\n"
    assert text.spans() == ((12, 17), (22, 27), (30, 30))
    old, new = original.encode(), text.text.encode()
    assert text.keep("the edits").check(old, new) is None
    assert text.keep("the edits").check(old, new[3:]) is not None


def test_tracked_joins_an_edit_inside_an_earlier_one() -> None:
    text = Tracked("ab[[x]]cd", "ab[[x]]cd").replace(2, 7, "[[long name]]")
    text = text.replace(4, 8, "LONG")  # inside the replacement: the one span of the original grows no further
    assert text.text == "ab[[LONG name]]cd" and text.spans() == ((2, 7),)
    text = text.insert(len(text.text), "!")
    assert text.spans() == ((2, 7), (9, 9))


def test_tracked_refuses_a_text_whose_end_is_not_the_parsed_text() -> None:
    with pytest.raises(ValueError):
        Tracked.of("# A\n", "# B\n")


def test_in_ending() -> None:
    assert in_ending("a\nb\r\nc\rd\n", "\r\n") == "a\r\nb\r\nc\r\nd\r\n"
    assert in_ending("a\r\nb\n", "\n") == "a\nb\n"
