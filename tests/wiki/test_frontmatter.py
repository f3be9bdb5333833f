"""The front matter fast path reads exactly what PyYAML reads, or leaves the text to PyYAML."""

from __future__ import annotations

import pytest
import yaml

from kbsleep.wiki.frontmatter import LOADER, load_frontmatter, simple_frontmatter
from kbsleep.wiki.parse import _plain_mapping

SIMPLE = [
    "title: Kesness\naliases:\n  - Kesness district\n  - Old Kesness\ntags: [place, status/needs-review]",
    'sources:\n  - "[[sources/Kaldor 1972 - Mixed]]"\nupdated: 2022-03-15\nfounded: 1504\npopulation: 210442',
    "tags:\n- a\n- b\nnext: x:y\nurl: http://x.y/z\nquote: it's\nlist: a, b\n\nempty:\nnone: []",
    "a: 'single'\nb: \"double\"\nc: [ \"x\" , y ]\nd: (x)\ne: ./x\nf: _x\ny: n\nx1: 1990s\nz: 0",
    "octal_in_yaml_1_2: 0o17\nnot_a_date: 2024-1-2\nblank:  ",  # strings and a null in YAML 1.1
]
# Each needs PyYAML: a YAML 1.1 scalar that is not a string, an integer or a date, or a form
# the fast path does not read.
QUIRKS = [
    "a: yes", "a: No", "a: on", "a: OFF", "a: true", "a: null", "a: ~", "a: 1_000", "a: 017",
    "a: 0x1F", "a: 1:20", "a: 1.5", "a: .inf", "a: -3", "a: +4",
    "a: 2024-01-02 10:11:12", "a: 2001-12-14t21:59:43.10-05:00", "yes: 1", "null: 1", "1: a",
    "a: x\n  continued", "a: b # comment", "# comment\na: b", "a: &x b\nc: *x", "a: !!str 1",
    "a:\n  b: 1", "a: {b: 1}", "a: [b, [c]]", "a: |\n  text", "a: \"x\\ty\"", "a: 'it''s'",
    "a: Ünïcödé", "a:\tb", "a: 1\na: 2", "- a\n- b", "a:\n  - x\n    - y", "a: [b,]", "a: b:",
    "a:\n  - x\n\n  - y", "'q': 1", "a: 2024-02-30", "a: [yes, 1.5]", "a: b\n...",
]  # fmt: skip


def _pyyaml(text: str) -> object:
    return _as_parse_keeps_it(yaml.load(text, Loader=LOADER))


def _as_parse_keeps_it(data: object) -> object:
    """A mapping as `parse.py` keeps it: string keys, ISO dates."""
    return _plain_mapping(data) if isinstance(data, dict) else data


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
