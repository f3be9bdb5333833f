"""Which comments open and close a kbsleep fence: an HTML comment alone on its line, outside code.

A page that shows the fence format (in a fenced or indented code block, or a code span) holds
an example, not a section: no pass may replace it, and lint must not judge it. An opening
comment without its closing one is no section; a later opening comment of the same name
replaces an earlier unclosed one, so a stray marker never turns the user's text after it
into a section. The byte check of an edit (`fences.OutsideFence`) finds sections the same way.
"""

from __future__ import annotations

import pytest

from kbsleep.wiki.fences import OutsideFence, sections
from kbsleep.wiki.markers import fence_marker
from kbsleep.wiki.parse import parse_page

# Every fence kbsleep writes: anticipate's answers, consolidate's index and its conflict callouts.
NAMES = ("anticipate", "index", "conflict")


def opening(name: str) -> str:
    return f"<!-- kbsleep:{name} v=1 source=0123456789abcdef body=0123456789abcdef -->"


def closing(name: str) -> str:
    return f"<!-- /kbsleep:{name} -->"


def fences(text: str) -> list[tuple[str, int, int]]:
    return [(f.name, f.start, f.end) for f in parse_page("a.md", text.encode()).fences]


# Ways a page shows a fence without being one: `{o}` and `{c}` are its comments.
EXAMPLES = {
    "backtick code block": "```\n{o}\n## Anticipated questions\n{c}\n```\n",
    "tilde code block with info": "~~~markdown\n{o}\n{c}\n~~~\n",
    "indented code block": "    {o}\n    text\n    {c}\n",
    "code spans": "Write `{o}` above the section and `{c}` below it.\n",
    "code block in a list item": "- The format:\n\n  ```\n  {o}\n  {c}\n  ```\n",
    "code block in a callout": "> [!example]\n> ```\n> {o}\n> {c}\n> ```\n",
    "an Obsidian comment": "%%\n{o}\n{c}\n%%\n",
    "inline HTML sharing its line": "Above it: {o} and below: {c}.\n",
    "comments in a quote": "> {o}\n> text\n> {c}\n",
}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("example", EXAMPLES.values(), ids=EXAMPLES.keys())
def test_a_fence_shown_as_an_example_is_no_fence(name: str, example: str) -> None:
    text = "# Fences\n\nHow kbsleep marks its section:\n\n" + example.format(o=opening(name), c=closing(name)) + "\nThe end.\n"
    assert fences(text) == []
    assert sections(text.encode(), name) == []


@pytest.mark.parametrize("name", NAMES)
def test_a_real_fence_after_an_example_in_code_is_found_and_the_example_is_not(name: str) -> None:
    text = f"# A\n\n```\n{opening(name)}\n```\n\nUser text.\n\n{opening(name)}\nGenerated.\n{closing(name)}\n"
    assert fences(text) == [(name, 9, 11)]
    start = text.index("\n\n" + opening(name) + "\nGenerated") + 2
    assert sections(text.encode(), name) == [(start, len(text))]


def test_a_stray_opening_comment_with_no_closing_one_is_no_fence() -> None:
    text = f"# A\n\n{opening('anticipate')}\n\nUser text that is no section.\n\n## More\n\nMore user text.\n"
    assert fences(text) == []


def test_a_later_opening_comment_replaces_an_earlier_unclosed_one() -> None:
    # The stray opening comment at line 3 never reaches the closing comment at line 9: the
    # user's text between them is not a section, only the last opening comment's lines are.
    text = f"# A\n\n{opening('anticipate')}\n\nUser text.\n\n{opening('anticipate')}\nGenerated.\n{closing('anticipate')}\n"
    assert fences(text) == [("anticipate", 7, 9)]


def test_a_closing_comment_with_no_opening_one_is_ignored() -> None:
    text = f"# A\n\n{closing('index')}\n\n{opening('index')}\nGenerated.\n{closing('index')}\n"
    assert fences(text) == [("index", 5, 7)]


def test_fences_of_different_names_do_not_close_each_other() -> None:
    text = f"{opening('anticipate')}\n{opening('index')}\nx\n{closing('anticipate')}\n{closing('index')}\n"
    assert fences(text) == [("anticipate", 1, 4), ("index", 2, 5)]


def test_a_fence_in_a_list_item_and_in_an_html_block_is_a_fence() -> None:
    # Still an HTML comment alone on its line, outside code: Obsidian hides it as a comment.
    text = f"- item\n\n  {opening('anticipate')}\n  text\n  {closing('anticipate')}\n\n<div>\n{opening('index')}\n{closing('index')}\n</div>\n"
    assert fences(text) == [("anticipate", 3, 5), ("index", 8, 9)]


@pytest.mark.parametrize(
    ("line", "marker"),
    [
        ("<!-- kbsleep:anticipate v=1 source=ab -->", (False, "anticipate", {"v": "1", "source": "ab"})),
        ('  <!-- kbsleep:index v=1 note="two words" -->\t', (False, "index", {"v": "1", "note": "two words"})),
        ("<!-- kbsleep:conflict -->", (False, "conflict", {})),
        ("<!--kbsleep:conflict-->", (False, "conflict", {})),
        ("<!-- /kbsleep:anticipate -->", (True, "anticipate", {})),
        ("<!-- /kbsleep:anticipate v=1 -->", None),
        ("<!-- kbsleep:anticipate --> trailing text", None),
        ("text <!-- kbsleep:anticipate -->", None),
        ("<!-- kbsleep:anticipate --> <!-- /kbsleep:anticipate -->", None),
        ("%% kbsleep:anticipate %%", None),
        ("<!-- kbsleep-disable-next-line broken-link -->", None),
        ("<!-- kbsleep:Anticipate -->", None),
        ("<!-- kbsleep:anticipate.old -->", None),
    ],
)
def test_a_fence_comment_is_one_html_comment_alone_on_its_line(line: str, marker: tuple | None) -> None:
    assert fence_marker(line) == marker


# -- the byte check finds sections where the parser does ----------------------------------------

KEEP = OutsideFence("anticipate")
OLD_SECTION = f"{opening('anticipate')}\nOld.\n{closing('anticipate')}\n"
NEW_SECTION = f"{opening('anticipate')}\nNew.\n{closing('anticipate')}\n"


def test_the_byte_check_lets_the_real_section_be_replaced_after_an_example_opening_comment_in_code() -> None:
    head = f"# A\n\n```\n{opening('anticipate')}\n```\n\nUser text.\n\n"
    assert KEEP.check((head + OLD_SECTION).encode(), (head + NEW_SECTION).encode()) is None


def test_the_byte_check_lets_the_real_section_be_replaced_after_a_stray_opening_comment() -> None:
    head = f"# A\n\n{opening('anticipate')}\n\nUser text.\n\n"
    assert KEEP.check((head + OLD_SECTION).encode(), (head + NEW_SECTION).encode()) is None


def test_the_byte_check_refuses_to_replace_an_example_in_code() -> None:
    head, tail = "# A\n\n```\n", "```\n\nUser text.\n"
    old, new = head + OLD_SECTION + tail, head + NEW_SECTION + tail
    assert KEEP.check(old.encode(), new.encode()) == "its bytes outside the `anticipate` section would change (first at line 5, column 1)"


def test_the_byte_check_refuses_from_a_stray_opening_comment_to_the_real_closing_one() -> None:
    old = f"# A\n\n{opening('anticipate')}\n\nUser text.\n\n" + OLD_SECTION
    new = "# A\n\n" + NEW_SECTION
    assert KEEP.check(old.encode(), new.encode()) == "its bytes outside the `anticipate` section would change (first at line 4, column 1)"


@pytest.mark.parametrize(
    "left_open",
    ["```python\nprint('hi')\n", "%%\nA comment left open.\n", "<!-- a comment left open\n"],
    ids=["code block", "Obsidian comment", "HTML comment"],
)
def test_the_byte_check_refuses_a_section_appended_where_it_would_not_be_read_back(left_open: str) -> None:
    old = "# A\n\nThe page ends in something left open:\n\n" + left_open
    new = old + "\n" + NEW_SECTION
    line = old.count("\n") + 2
    assert KEEP.check(old.encode(), new.encode()) == (
        f"the new `anticipate` section (line {line}) would not be read back as one: the text before it leaves a code block or comment open"
    )
