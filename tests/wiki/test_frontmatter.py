"""The front matter fast path reads exactly what PyYAML reads, or leaves the text to PyYAML."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kbsleep.wiki.frontmatter import RESOLVED_FIRST, _resolve, load_frontmatter, loader, simple_frontmatter
from kbsleep.wiki.properties import plain_mapping

SIMPLE = [
    "title: Kesness\naliases:\n  - Kesness district\n  - Old Kesness\ntags: [place, status/needs-review]",
    'sources:\n  - "[[sources/Kaldor 1972 - Mixed]]"\nupdated: 2022-03-15\nfounded: 1504\npopulation: 210442',
    "tags:\n- a\n- b\nnext: x:y\nurl: http://x.y/z\nquote: it's\nlist: a, b\n\nempty:\nnone: []",
    "a: 'single'\nb: \"double\"\nc: [ \"x\" , y ]\nd: (x)\ne: ./x\nf: _x\ny: n\nx1: 1990s\nz: 0",
    "octal_in_yaml_1_2: 0o17\nnot_a_date: 2024-1-2\nblank:  ",  # strings and a null in YAML 1.1
    "a: yes\nb: No\nc: on\nd: OFF\ne: true\nf: False\ng: null\nh: NULL\ni: [yes, no, null]",  # YAML 1.1 words
    "tags:\n- \n- robots\n-\naliases:\n  -\n  - Kestrel\npublish: true",  # empty items, as Obsidian writes them
]
# Each needs PyYAML: a YAML 1.1 scalar that is not a string, an integer or a date, or a form
# the fast path does not read.
QUIRKS = [
    "a: ~", "a: 1_000", "a: 017",
    "a: 0x1F", "a: 1:20", "a: 1.5", "a: .inf", "a: -3", "a: +4",
    "a: 2024-01-02 10:11:12", "a: 2001-12-14t21:59:43.10-05:00", "yes: 1", "null: 1", "1: a",
    "a: x\n  continued", "a: b # comment", "# comment\na: b", "a: &x b\nc: *x", "a: !!str 1",
    "a:\n  b: 1", "a: {b: 1}", "a: [b, [c]]", "a: |\n  text", "a: \"x\\ty\"", "a: 'it''s'",
    "a: Ünïcödé", "a:\tb", "a: 1\na: 2", "- a\n- b", "a:\n  - x\n    - y", "a: [b,]", "a: b:",
    "a:\n  - x\n\n  - y", "'q': 1", "a: 2024-02-30", "a: [yes, 1.5]", "a: b\n...",
]  # fmt: skip


def _pyyaml(text: str) -> object:
    return _as_parse_keeps_it(yaml.load(text, Loader=loader()))


def _as_parse_keeps_it(data: object) -> object:
    """A mapping as `parse.py` keeps it: string keys, ISO dates."""
    return plain_mapping(data) if isinstance(data, dict) else data


@pytest.mark.parametrize("text", SIMPLE)
def test_simple_front_matter_is_read_as_pyyaml_reads_it(text: str) -> None:
    simple = simple_frontmatter(text)
    assert simple is not None
    assert repr(simple) == repr(_pyyaml(text))  # (repr: 1 and True, "1" and 1 differ)


@pytest.mark.parametrize("text", QUIRKS)
def test_everything_else_is_left_to_pyyaml(text: str) -> None:
    assert simple_frontmatter(text) is None
    try:
        expected = _pyyaml(text)
    except (yaml.YAMLError, ValueError) as exc:
        with pytest.raises(type(exc)):
            load_frontmatter(text)
    else:
        assert repr(_as_parse_keeps_it(load_frontmatter(text))) == repr(expected)


@pytest.mark.parametrize("text", ["", "\n", "\n\n", "  \n", " "])
def test_blank_front_matter_is_none(text: str) -> None:
    assert load_frontmatter(text) is None


def _pyyaml_tag(text: str) -> str:
    """The tag PyYAML's safe loader gives a plain scalar, from its own resolver table."""
    table = loader().yaml_implicit_resolvers
    for tag, pattern in [*table.get(text[0], ()), *table.get(None, ())]:
        if pattern.match(text):
            return tag
    return "tag:yaml.org,2002:str"


def test_the_resolvers_start_where_pyyaml_says() -> None:
    assert {first for first in loader().yaml_implicit_resolvers if first} == RESOLVED_FIRST


WORDS = ["yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
         "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "y", "n", "~", "1840",
         "2024-10-22", "2024-1-2", "0", "017", "1_000", "1:20", "1.5", ".inf", "-3", "+4", "<<", "="]  # fmt: skip


@settings(max_examples=800, deadline=None)
@given(st.one_of(st.sampled_from(WORDS), st.text(alphabet="yYnNtTfFoOeEsSrRuUlLaA-+0129.:<~=_ x", min_size=1, max_size=8)))
def test_plain_scalars_get_pyyaml_s_tags(text: str) -> None:
    assert _resolve(text) == _pyyaml_tag(text)


def test_reading_plain_front_matter_does_not_import_pyyaml() -> None:
    code = (
        "import sys\nfrom kbsleep.wiki.frontmatter import load_frontmatter\n"
        "data = load_frontmatter('title: T\\ntags: [person, fieldwork]\\nborn: 1840\\nupdated: 2024-10-22\\non_call: n')\n"
        "print(data['born'], 'yaml' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["1840", "False"]
