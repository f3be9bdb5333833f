"""Bad input never stops the load: each defect is a problem on its page, the rest loads."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbsleep.wiki import load_wiki
from kbsleep.wiki.parse import parse_page

GOOD = {"Good.md": "# Good\n\nLinks to [[Other]].\n", "Other.md": "# Other\n"}


def problems(page) -> list[tuple[str, int]]:
    return [(p.code, p.line) for p in page.problems]


def test_each_bad_page_records_a_problem_and_the_rest_of_the_wiki_loads(make_repo) -> None:
    bad = {
        "latin1.md": b"# Caf\xe9\n\nSee [[Good]].\n",
        "bom.md": b"\xef\xbb\xbf---\ntitle: With BOM\n---\n# Heading\n",
        "crlf.md": b"---\r\ntitle: Windows\r\n---\r\n# Windows\r\n\r\n[[Good]]\r\n",
        "yaml.md": "---\ntitle: [unclosed\n---\n# Body\n",
        "unterminated.md": "---\ntitle: Never closed\n\n# Body [[Good]]\n",
        "aliases.md": "---\naliases: {a: 1}\ntags: 7\n---\n# Aliases\n",
        "scalar.md": "---\njust a string\n---\n# Scalar\n",
        "nul.md": b"# Binary\x00\x01\x02",
        "deep.md": ">" * 10_000 + " [[Good]]\n",
        "huge.md": "word [[Good]] " * 1_600_000,  # over 20 MB
    }
    wiki = load_wiki(make_repo({**GOOD, **bad}))
    pages = wiki.pages
    assert problems(pages["latin1.md"]) == [("encoding-error", 1)]
    assert pages["latin1.md"].headings[0].text == "Caf\ufffd" and pages["latin1.md"].links[0].target == "Good"
    assert problems(pages["bom.md"]) == [] and pages["bom.md"].title == "With BOM"
    assert problems(pages["crlf.md"]) == [] and pages["crlf.md"].title == "Windows"
    assert [(r.status, r.link.line) for r in wiki.outlinks["crlf.md"]] == [("resolved", 6)]
    assert problems(pages["yaml.md"]) == [("frontmatter-invalid", 2)]  # where the unclosed `[` opens
    assert problems(pages["unterminated.md"]) == [("frontmatter-invalid", 1)]
    assert problems(pages["aliases.md"]) == [("property-type-mismatch", 2)]  # a number is a tag's text
    assert pages["aliases.md"].aliases == () and pages["aliases.md"].tags == ("7",)
    assert problems(pages["scalar.md"]) == [("frontmatter-invalid", 2)]
    assert problems(pages["nul.md"]) == [("binary-page", 1)] and not pages["nul.md"].parsed
    assert problems(pages["deep.md"]) == [("unparsed-page", 1)]
    assert problems(pages["huge.md"]) == [("unparsed-page", 1)] and not pages["huge.md"].parsed
    assert wiki.outlinks["Good.md"][0].status == "resolved"


def test_yaml_dates_become_iso_strings() -> None:
    page = parse_page("d.md", b"---\nupdated: 2026-03-01\n---\n# D\n")
    assert page.frontmatter["updated"] == "2026-03-01"


LAUGHS = "".join(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n" for prev, name in zip("abcdef", "bcdefg"))


@pytest.mark.parametrize(
    ("yaml", "says"),
    [
        ('updated: !!timestamp "soon"', "is not the timestamp its tag `!!timestamp` asks for"),
        ("a: &x [*x]", "nests too deeply"),  # an alias inside the value it names
        ("a: &a [x, x, x, x, x, x, x, x, x]\n" + LAUGHS, "more than 100,000 values"),  # "billion laughs"
    ],
)
def test_frontmatter_no_constructor_can_build_is_a_problem_not_a_crash(yaml: str, says: str) -> None:
    page = parse_page("d.md", f"---\ntitle: D\n{yaml}\n---\n# D\n\nText.\n".encode())
    assert [p.code for p in page.problems] == ["frontmatter-invalid"]
    assert says in page.problems[0].message
    assert page.parsed and page.title == "D" and page.frontmatter == {}


@pytest.mark.parametrize("yaml", ["updated: 2026-02-30", "updated: 2026-13-01 10:00:00", "n: " + "9" * 5000])
def test_a_plain_value_yaml_1_1_cannot_make_a_date_or_number_of_is_its_text(yaml: str) -> None:
    # YAML 1.2, Obsidian's, has no dates: `2026-02-30` is text there, and no number overflows.
    page = parse_page("d.md", f"---\ntitle: D\n{yaml}\n---\n# D\n\nText.\n".encode())
    key, value = yaml.split(": ")
    assert page.problems == () and page.frontmatter[key] == value


def test_single_string_aliases_and_comma_separated_tags() -> None:
    page = parse_page("s.md", b"---\naliases: Kestrel\ntags: \"robots, #sea\"\n---\n# S\n\nText #inline-tag here.\n")
    assert page.aliases == ("Kestrel",)
    assert page.tags == ("robots", "sea", "inline-tag")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_load_as_a_page_without_raising(data: bytes) -> None:
    page = parse_page("fuzz.md", data)
    assert page.path == "fuzz.md"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("[]|#^!%`<>-*_\\:\n -ab")), max_size=400))
def test_any_link_punctuation_parses_without_raising(text: str) -> None:
    page = parse_page("fuzz.md", ("---\n" + text).encode())
    for link in page.links:
        assert link.line >= 1 and link.column >= 1


def test_form_feeds_and_line_separators_do_not_shift_line_numbers() -> None:
    page = parse_page("ff.md", "# T\n\nA\x0c page\u2028with odd breaks\n\n[[Target]]\n".encode())
    (link,) = page.links
    assert link.line == 5
    assert page.line_text(5) == "[[Target]]"
