"""Properties as Obsidian reads them: what it writes or accepts is no problem; what its YAML 1.2
reader refuses is `frontmatter-invalid`, named by its cause, at the line and column of the cause."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kbsleep.wiki.frontmatter import _simple, loader, read_frontmatter
from kbsleep.wiki.parse import parse_page


def page(frontmatter: str, newline: str = "\n"):
    text = f"---\n{frontmatter}\n---\n# P\n\nText.\n".replace("\n", newline)
    return parse_page("P.md", text.encode())


def problems(frontmatter: str) -> list[tuple[str, int, int, str]]:
    return [(p.code, p.line, p.column, p.message) for p in page(frontmatter).problems]


# -- what Obsidian writes or accepts: never an error ----------------------------------------------

ACCEPTED = [
    # (front matter, aliases, tags)
    ("tags:\n- \n- robots", (), ("robots",)),  # the property editor's empty item
    ("tags:\n  -\n  - robots\n  - ", (), ("robots",)),
    ("tags:\naliases:", (), ()),  # empty properties
    ("tags: robots, sea", (), ("robots", "sea")),  # one text for a list
    ("tags: robots", (), ("robots",)),
    ('tags: "#robots"', (), ("robots",)),
    ('tags:\n  - "#robots"\n  - \'#sea\'', (), ("robots", "sea")),
    ("tags: [[robots, sea]]", (), ("robots", "sea")),  # nested lists
    ("aliases:\n  - - Kestrel\n    - KR-1", ("Kestrel", "KR-1"), ()),
    ("aliases: [1984, 2024-01-02]\ntags: [2024]", ("1984", "2024-01-02"), ("2024",)),  # numbers and dates
    ("aliases: Nineteen Eighty-Four", ("Nineteen Eighty-Four",), ()),
    ("tags: on\naliases: [yes]", ("true",), ("on",)),  # YAML 1.2: `on` is text (an item cannot be told apart)
    ('{"tags": ["journal"], "aliases": ["Log"]}', ("Log",), ("journal",)),  # JSON front matter
    ("tags:\n  - #draft\n  - robots", (), ("robots",)),  # `#draft` is a YAML comment: an empty item
]


@pytest.mark.parametrize(("frontmatter", "aliases", "tags"), ACCEPTED)
def test_what_obsidian_writes_or_accepts_is_never_invalid(frontmatter: str, aliases: tuple, tags: tuple) -> None:
    read = page(frontmatter)
    assert [p for p in read.problems if p.code != "empty-property-item"] == []
    assert (read.aliases, read.tags) == (aliases, tags)


def test_a_collection_as_a_key_is_yaml_its_text_the_key() -> None:
    # `{{date}}` unquoted, as templates write it: a mapping whose key is a mapping. Obsidian's
    # reader takes it (the key becomes text); Python cannot hash it, so it is the text written.
    read = page("date: {{date:YYYY-MM-DD}}\n? [a, b]\n: c")
    assert read.problems == ()
    assert read.frontmatter == {"date": {"{date:YYYY-MM-DD}": None}, "[a, b]": "c"}


def test_a_date_or_number_yaml_1_1_cannot_make_is_the_text_written() -> None:
    read = page("updated: 2026-02-30\nseen: [2026-13-01]\ntitle: 1984")
    assert read.problems == ()
    assert read.frontmatter["updated"] == "2026-02-30" and read.frontmatter["seen"] == ["2026-13-01"]
    assert read.title == "1984"


# -- what Obsidian's reader refuses: frontmatter-invalid, at the cause -----------------------------

REFUSED = [
    # (front matter, line, column, the cause as the message names it)
    ("aliases:\n  - @kepano", 3, 5, "an unquoted value cannot start with `@` in YAML: quote it, `\"@kepano\"`"),
    ("command: `ls`", 2, 10, 'an unquoted value cannot start with `` ` `` in YAML: quote it, `` "`ls`" ``'),
    ("tags: [#robots, sea]", 2, 8, "`#` after `[`, `{` or `,` starts a YAML comment"),
    ("tags: [robots, #sea]", 2, 16, "`#` after `[`, `{` or `,` starts a YAML comment"),
    ("summary: Kestrel: the rover", 2, 17, "`: ` inside an unquoted value: quote the value"),
    ('week: "[[<% tp.date.now("YYYY") %>]]"', 2, 26, "text after the closing quote of a quoted value"),
    ("aliases: LifeOS\n- \ntags: [x]", 3, 1, "a list item where a new `key:` was expected"),
    ("title: [Kestrel\nsummary: x", 2, 8, "a `[` that is never closed"),
    ("meta: {a: 1\nsummary: x", 2, 7, "a `{` that is never closed"),
    ('summary: "never closed\ntags: [x]', 2, 10, "a quoted value that is never closed"),
    ("tags:\n\t- robots", 3, 1, "a tab where YAML allows only spaces"),
    ('path: "C:\\Users"', 2, 10, "an unknown escape `\\U` in a double-quoted value"),
    ("see: *later", 2, 6, "`*later` reads as a YAML alias, and no `&` anchor names it"),
    ("kind: !custom x", 2, 7, "`!custom` is not a tag YAML knows"),
    ("title: T\njust words\nmore: x", 3, 1, "a line with no `key:`"),
    ("tags: [a]\nsummary: x\ntags: [b]", 4, 1, "frontmatter gives `tags` twice (first on line 2): Obsidian reads none of its properties"),
    ('tags: [a]\n"tags": [b]', 3, 1, "frontmatter gives `tags` twice (first on line 2)"),
    ("meta:\n  a: 1\n  a: 2", 4, 3, "frontmatter gives `a` twice (first on line 3)"),
    ("updated: !!timestamp soon", 2, 10, "frontmatter value `soon` is not the timestamp its tag `!!timestamp` asks for"),
    ("created: {{date}} {{time}}", 2, 19, "text after the `}` or `]` that closes a value: quote the whole value"),
]


@pytest.mark.parametrize(("frontmatter", "line", "column", "cause"), REFUSED)
def test_yaml_obsidian_refuses_is_invalid_with_its_cause_where_it_is(frontmatter: str, line: int, column: int, cause: str) -> None:
    (found,) = problems(frontmatter)
    assert found[:3] == ("frontmatter-invalid", line, column)
    assert cause in found[3]


def test_the_line_of_the_cause_counts_windows_line_endings_as_the_page_does() -> None:
    (found,) = page("title: T\naliases:\n  - @kepano", newline="\r\n").problems
    assert (found.code, found.line, found.column) == ("frontmatter-invalid", 4, 5)


def test_an_error_at_the_end_of_the_block_points_at_its_last_line() -> None:
    (found,) = problems("title: T\ntags: [a,\n  b")
    assert found[:3] == ("frontmatter-invalid", 3, 7)  # where the unclosed `[` opens


# -- empty items: found by both readers, at the dash ----------------------------------------------

EMPTY = [
    ("tags:\n- \n- robots\n-", ((1, 0), (3, 0))),
    ("tags:\n  - \n  - robots\naliases:\n    -\n    - Kestrel", ((1, 2), (4, 4))),
    ("tags:\n  - #draft\n  - robots", ((1, 2),)),  # (PyYAML's path: a comment)
    ("title: Ünïcödé\ntags:\n  - \n  - x", ((2, 2),)),  # (PyYAML's path: not ASCII)
    ("nested:\n  - - \n    - x", ((1, 4),)),
    ('tags:\n  - ""\n  - ~\n  - null', ()),  # an empty string and nulls are values
    ("notes: |\n  - \n  text", ()),  # a `- ` inside text
]


@pytest.mark.parametrize(("frontmatter", "items"), EMPTY)
def test_empty_items_are_where_their_dash_is(frontmatter: str, items: tuple) -> None:
    assert read_frontmatter(frontmatter).empty_items == items


@pytest.mark.parametrize("frontmatter", [text for text, _ in EMPTY])
def test_the_fast_path_finds_the_empty_items_the_loader_finds(frontmatter: str) -> None:
    found: list[tuple[int, int]] = []
    if _simple(frontmatter, found) is None:
        return  # left to the loader
    reader = loader()(frontmatter)
    try:
        reader.get_single_data()
    finally:
        reader.dispose()
    assert found == sorted(reader.empty_items)


def test_an_empty_item_is_a_problem_of_its_own_at_the_dash() -> None:
    read = page("title: T\ntags:\n  - \n  - #draft\n  - robots")
    assert [(p.code, p.line, p.column, p.message) for p in read.problems] == [
        ("empty-property-item", 4, 3, "empty list item"),
        ("empty-property-item", 5, 3, "empty list item (`#draft` is a YAML comment)"),
    ]


def test_published_front_matter_reads_without_pyyaml() -> None:
    code = (
        "import sys\nfrom kbsleep.wiki.frontmatter import load_frontmatter\n"
        "data = load_frontmatter('aliases:\\n- \\ntags:\\n- \\n- robots\\npublish: true\\ndraft: no\\ncover: null')\n"
        "print(data, 'yaml' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "{'aliases': [None], 'tags': [None, 'robots'], 'publish': True, 'draft': False, 'cover': None} False"


# -- a type Obsidian shows as a mismatch: a warning, never frontmatter-invalid --------------------

MISMATCHED = [
    ("aliases: {Kestrel: rover}", 2, 1, "`aliases` holds a mapping, not a list"),
    ("tags: true", 2, 1, "`tags` holds a checkbox (`true`/`false`), not a list"),
    ("aliases:\n  - Kestrel\n  - KR-1: the first rover", 4, 5, 'quote it, `"KR-1: the first rover"`'),
    ("title: [Kestrel, Rover]", 2, 1, "`title` holds a list, not text"),
    ("cssclasses: {wide: true}", 2, 1, "`cssclasses` holds a mapping"),
]


@pytest.mark.parametrize(("frontmatter", "line", "column", "says"), MISMATCHED)
def test_a_value_of_another_type_is_a_mismatch_warning(frontmatter: str, line: int, column: int, says: str) -> None:
    (found,) = problems(frontmatter)
    assert found[:3] == ("property-type-mismatch", line, column)
    assert says in found[3]


def test_the_other_items_of_a_list_with_a_mapping_item_are_still_read() -> None:
    assert page("aliases:\n  - Kestrel\n  - KR-1: the first rover").aliases == ("Kestrel",)


def test_yaml_1_2_words_are_text_not_checkboxes() -> None:
    read = page("title: yes\ntags: off")
    assert read.problems == () and read.title == "yes" and read.tags == ("off",)
