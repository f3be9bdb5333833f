"""Front matter YAML: PyYAML, after a fast path for the flat front matter most pages hold.

Constructing Python objects from PyYAML's nodes is most of the cost of a page's front matter,
and nearly every page holds only `key: value` lines and lists of words, quoted links, numbers
and dates. `simple_frontmatter` reads exactly those, deciding what a plain scalar is with the
loader's own YAML 1.1 resolvers, and gives up (`None`) on anything else, so that PyYAML reads
it: comments, nesting, anchors, escapes, multi-line scalars, non-ASCII text, and every value
that is not a string, a decimal integer or a date. PyYAML itself is imported only when a page
needs it: most plain scalars start with a character none of its implicit resolvers start with,
or are decimal integers or dates, and most pages hold nothing else.
"""

from __future__ import annotations

import datetime
import re
import sys
from functools import cache
from typing import Any

_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,99}):(?: +([^ ].*?))? *")
_ITEM_LINE = re.compile(r"( *)- +([^ ].*?) *")
_DOUBLE_QUOTED = re.compile(r'"[^"\\]*"')  # no escapes
_SINGLE_QUOTED = re.compile(r"'[^']*'")  # no doubled quotes
_DECIMAL = re.compile(r"0|[1-9][0-9]*")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# A plain scalar starts with none of YAML's indicators (`-?:,[]{}#&*!|>'"%@` and backquote).
_PLAIN_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./(")
# In a flow sequence a plain scalar also ends at these (or is an error).
_FLOW_STOPS = frozenset(",[]{}:#'\"")
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
# The loader's implicit resolvers by first character. (Caching tags by text would keep the
# strings alive, and `marshal` writes a string that has other references differently.)
_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
# The first characters of PyYAML's implicit resolvers (YAML 1.1: bool, float, int, merge, null,
# timestamp, value, yaml): a plain scalar starting with any other is a string. Those starting
# with a letter (bool and null) match whole words only, these. (Tests check both against PyYAML.)
RESOLVED_FIRST = frozenset("yYnNtTfFoO-+0123456789.<~=!&*")
_WORD_FIRST = frozenset("yYnNtTfFoO")
_YAML_WORDS = frozenset(
    "yes Yes YES no No NO true True TRUE false False FALSE on On ON off Off OFF null Null NULL".split()
)


@cache
def loader() -> Any:
    """The loader kbsleep reads front matter with: PyYAML's safe loader, in C where built."""
    import yaml  # (only for the front matter the fast path leaves to it)

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _NotSimple(Exception):
    """The text needs PyYAML."""


def load_frontmatter(text: str) -> Any:
    """The data of a front matter block, as `yaml.load` with the safe loader returns it, except
    that dates are ISO strings; raises what `yaml.load` raises."""
    if not text.strip(" \n"):
        return None  # what PyYAML makes of blank text
    simple = simple_frontmatter(text)
    if simple is not None:
        return simple
    import yaml

    return yaml.load(text, Loader=loader())


def problem_of(exc: Exception) -> tuple[str, int]:
    """What `load_frontmatter` raising `exc` says about the front matter, and on which line
    of the page (the front matter's own starts on line 2)."""
    yaml = sys.modules.get("yaml")  # (an error of PyYAML's: it was imported to read the text)
    if yaml is not None and isinstance(exc, yaml.YAMLError):
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return f"frontmatter is not valid YAML: {reason}", mark.line + 2 if mark is not None else 1
    # Well-formed YAML with a value no constructor can make: `2026-02-30`, `!!timestamp "x"`.
    return f"frontmatter holds a value YAML cannot read: {exc}", 2


def simple_frontmatter(text: str) -> dict[str, Any] | None:
    """Flat `key: value` front matter read without PyYAML; None when it takes more than that."""
    # Only printable ASCII: no tab, no control character, no YAML line break but LF.
    if not text.isascii() or not text.replace("\n", " ").isprintable():
        return None
    try:
        return _mapping(text.split("\n"))
    except _NotSimple:
        return None


def _mapping(lines: list[str]) -> dict[str, Any] | None:
    data: dict[str, Any] = {}
    index, count = 0, len(lines)
    while index < count:
        line = lines[index]
        index += 1
        if not line:
            continue
        key_line = _KEY_LINE.fullmatch(line)
        if not key_line:
            raise _NotSimple
        key, value = key_line.groups()
        if key in data or _resolve(key) != _STR:
            raise _NotSimple
        if value is not None:
            data[key] = _flow_sequence(value) if value.startswith("[") else _scalar(value, flow=False)
            continue
        # An empty value: null, or the block sequence on the lines below.
        items, indent = [], None
        while index < count and (item := _ITEM_LINE.fullmatch(lines[index])):
            if indent is None:
                indent = item.group(1)
            if item.group(1) != indent:
                raise _NotSimple
            items.append(_scalar(item.group(2), flow=False))
            index += 1
        data[key] = items if items else None
    return data or None


def _flow_sequence(value: str) -> list[Any]:
    if not value.endswith("]"):
        raise _NotSimple
    inner = value[1:-1]
    if not inner.strip(" "):
        return []
    return [_scalar(item.strip(" "), flow=True) for item in inner.split(",")]


def _scalar(text: str, *, flow: bool) -> Any:
    if not text:
        raise _NotSimple
    if text[0] == '"':
        if _DOUBLE_QUOTED.fullmatch(text):
            return text[1:-1]
        raise _NotSimple
    if text[0] == "'":
        if _SINGLE_QUOTED.fullmatch(text):
            return text[1:-1]
        raise _NotSimple
    if text[0] not in _PLAIN_START or ": " in text or " #" in text or text.endswith(":"):
        raise _NotSimple
    if flow and not _FLOW_STOPS.isdisjoint(text):
        raise _NotSimple
    tag = _resolve(text)
    if tag == _STR:
        return text
    if tag == _INT and _DECIMAL.fullmatch(text):
        return int(text)
    date = _DATE.fullmatch(text) if tag == _TIMESTAMP else None
    if date:
        try:
            return datetime.date(*map(int, date.groups())).isoformat()
        except ValueError:
            pass  # PyYAML's own error, then
    raise _NotSimple


def _resolve(text: str) -> str:
    """The tag the loader gives a plain scalar (as `yaml.resolver.Resolver.resolve` does)."""
    first = text[0]
    if first not in RESOLVED_FIRST or (first in _WORD_FIRST and text not in _YAML_WORDS):
        return _STR
    if _DECIMAL.fullmatch(text):
        return _INT  # (no float resolver matches digits without a dot or colon)
    if _DATE.fullmatch(text):
        return _TIMESTAMP
    for tag, pattern in _resolvers(first):
        if pattern.match(text):
            return tag
    return _STR


def _resolvers(first: str) -> list[tuple[str, re.Pattern[str]]]:
    found = _RESOLVERS.get(first)
    if found is None:
        implicit = loader().yaml_implicit_resolvers
        found = _RESOLVERS[first] = [*implicit.get(first, ()), *implicit.get(None, ())]
    return found
