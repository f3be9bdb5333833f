"""Front matter YAML: PyYAML, after a fast path for the flat front matter most pages hold.

Constructing Python objects from PyYAML's nodes is most of the cost of a page's front matter,
and nearly every page holds only `key: value` lines and lists of words, quoted links, numbers
and dates. `simple_frontmatter` reads exactly those, deciding what a plain scalar is with the
loader's own YAML 1.1 resolvers, and gives up (`None`) on anything else, so that PyYAML reads
it: comments, nesting, anchors, escapes, multi-line scalars, non-ASCII text, and every value
that is not a string, a decimal integer, a date, a boolean or a null word. PyYAML itself is
imported only when a page needs it: most plain scalars start with a character none of its
implicit resolvers start with, or are decimal integers, dates or the words of booleans and
nulls, and most pages hold nothing else.

Obsidian reads front matter as YAML 1.2 with a JavaScript reader, and kbsleep reports as broken
only what that reader rejects (see `problem_of`). So the loader here differs from PyYAML's safe
loader where Obsidian's does: a key given twice is an error (Obsidian's reader refuses the whole
block, and its help says "each name must be unique within a note"); a plain scalar that only
YAML 1.1 would make a date or an integer, and cannot (`2026-02-30`), is the text written; and a
collection as a key (a template's unquoted `{{date}}`), which Python cannot hash, is the text
written too. It also notes every empty list item (a bare `- `, which Obsidian's property editor
writes), for the `empty-property-item` rule. The reader cited is js-yaml, which plugin authors
report Obsidian uses (its `lib/loader.js`: a plain scalar cannot start with `@` or a backquote,
and `duplicated mapping key` is an error); the other JavaScript reader, `yaml`, agrees on both.
"""

from __future__ import annotations

import datetime
import re
import sys
from functools import cache
from typing import Any, NamedTuple

_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,99}):(?: +([^ ].*?))? *")
_ITEM_LINE = re.compile(r"( *)-(?: +([^ ].*?))? *")  # group 2 is None for an empty item
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
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
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
_NULL_WORDS = frozenset("null Null NULL".split())
_TRUE_WORDS = frozenset("yes true on".split())  # lowercased, as PyYAML's `bool_values` reads them


class Loaded(NamedTuple):
    """A front matter block as read: its data, and where its empty list items are."""

    data: Any
    empty_items: tuple[tuple[int, int], ...] = ()  # (line, column) of each bare `-`, 0-based in the block


class FrontmatterError(ValueError):
    """Front matter that PyYAML could read but Obsidian's YAML 1.2 reader refuses."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line, self.column = line, column  # 0-based in the block


class DuplicateKey(FrontmatterError):
    """A mapping gives one key twice: YAML 1.2 forbids it, and Obsidian reads no property then."""

    def __init__(self, key: str, line: int, column: int, first: int) -> None:
        super().__init__(f"frontmatter gives `{key}` twice (first on line {first + 2}): Obsidian reads none of its properties", line, column)


@cache
def loader() -> Any:
    """The loader kbsleep reads front matter with: PyYAML's safe loader (in C where built), made
    to read as Obsidian's YAML 1.2 reader does where that decides whether the block is broken."""
    import yaml  # (only for the front matter the fast path leaves to it)

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    null, merge = "tag:yaml.org,2002:null", "tag:yaml.org,2002:merge"

    class Loader(base):  # type: ignore[misc, valid-type]
        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.stream, self.lines = stream, stream.split("\n")
            self.empty_items: list[tuple[int, int]] = []

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: dict[Any, Any] = {}
            for index, (key_node, value_node) in enumerate(node.value):
                if isinstance(key_node, yaml.CollectionNode):  # `title: {{title}}`, a template's placeholder
                    # A collection as a key is YAML (Obsidian's reader makes it the text
                    # "[object Object]"); Python cannot hash one: it is the text written.
                    text = self.stream[key_node.start_mark.index : key_node.end_mark.index]
                    key_node = yaml.ScalarNode("tag:yaml.org,2002:str", text, key_node.start_mark, key_node.end_mark)
                    node.value[index] = (key_node, value_node)
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != merge:
                    key = self.construct_object(key_node)
                    if type(key) in (str, int, float) and key in seen:  # (not True: it equals 1)
                        mark, first = key_node.start_mark, seen[key].start_mark
                        raise DuplicateKey(str(key), mark.line, mark.column, first.line)
                    seen.setdefault(key, key_node)
            return super().construct_mapping(node, deep)

        def construct_sequence(self, node: Any, deep: bool = False) -> Any:
            for item in node.value:  # a bare `-`: an empty plain scalar, marked just after the dash
                if isinstance(item, yaml.ScalarNode) and item.tag == null and not item.value and not item.style:
                    self.empty_items.append((item.start_mark.line, item.start_mark.column - 1))
            return super().construct_sequence(node, deep)

        def construct_yaml_timestamp(self, node: Any) -> Any:
            return self.as_written(node, super().construct_yaml_timestamp)

        def construct_yaml_int(self, node: Any) -> Any:
            return self.as_written(node, super().construct_yaml_int)

        def as_written(self, node: Any, construct: Any) -> Any:
            """A plain scalar YAML 1.1 resolves to a date or an integer it cannot make
            (`2026-02-30`, 5,000 digits) is text in YAML 1.2, which has no dates: in Obsidian."""
            try:
                return construct(node)
            except (ValueError, AttributeError) as exc:  # (PyYAML's timestamp raises the second on non-dates)
                mark = node.start_mark
                line = self.lines[mark.line] if mark.line < len(self.lines) else ""
                if node.style or line[mark.column : mark.column + 1] == "!":  # a tag the writer chose: `!!timestamp "soon"`
                    kind = node.tag.rsplit(":", 1)[-1]
                    raise FrontmatterError(f"frontmatter value `{node.value}` is not the {kind} its tag `!!{kind}` asks for", mark.line, mark.column) from exc
                return node.value

    Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_yaml_timestamp)
    Loader.add_constructor("tag:yaml.org,2002:int", Loader.construct_yaml_int)
    return Loader


class _NotSimple(Exception):
    """The text needs PyYAML."""


def load_frontmatter(text: str) -> Any:
    """The data of a front matter block, as `yaml.load` with `loader()` returns it, except
    that dates are ISO strings; raises what `yaml.load` raises."""
    return read_frontmatter(text).data


def read_frontmatter(text: str) -> Loaded:
    """A front matter block's data (see `load_frontmatter`) and its empty list items."""
    if not text.strip(" \n"):
        return Loaded(None)  # what PyYAML makes of blank text
    empty: list[tuple[int, int]] = []
    simple = _simple(text, empty)
    if simple is not None:
        return Loaded(simple, tuple(empty))
    reader = loader()(text)
    try:
        data = reader.get_single_data()
    finally:
        reader.dispose()
    return Loaded(data, tuple(sorted(reader.empty_items)))


def problem_of(exc: Exception, text: str) -> tuple[str, int, int]:
    """What `load_frontmatter(text)` raising `exc` says about the front matter, in words that
    name the cause, and the page line and column where the cause is (the block's own first line
    is the page's line 2)."""
    if isinstance(exc, FrontmatterError):
        return str(exc), exc.line + 2, exc.column + 1
    yaml = sys.modules.get("yaml")  # (an error of PyYAML's: it was imported to read the text)
    if yaml is None or not isinstance(exc, yaml.YAMLError):
        # Well-formed YAML with a value no constructor can make: `!!timestamp "soon"`.
        return f"frontmatter holds a value YAML cannot read: {exc}", 2, 1
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None) or ""
    mark, opened = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
    lines = text.split("\n")
    at = (mark.line, mark.column) if mark is not None else (0, 0)
    found = _cause(problem, context, lines, at, (opened.line, opened.column) if opened is not None else None)
    cause, (line, column) = found if found is not None else (f"{problem} ({context})" if context else problem, at)
    last = len(lines) - 2 if len(lines) > 1 and not lines[-1] else len(lines) - 1
    if line > last:  # the end of the block: its last line
        line, column = last, len(lines[last])
    return f"frontmatter is not valid YAML: {cause}", line + 2, column + 1


Place = tuple[int, int]  # (line, column), 0-based in the block
_COMMENT_IN_FLOW = re.compile(r"[\[{,]\s*(#)")


def _code(text: str) -> str:
    """`text` as inline code in a message, even when it holds a backquote."""
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _cause(problem: str, context: str, lines: list[str], at: Place, opened: Place | None) -> tuple[str, Place] | None:
    """The cause of a YAML error as a writer of front matter would name it, and where it is; None
    when it is none of the usual ones (PyYAML's own words are used then)."""
    line, column = at
    text = lines[line] if line < len(lines) else ""
    char = text[column] if column < len(text) else ""
    if "cannot start any token" in problem:
        if char == "\t":
            return "a tab where YAML allows only spaces: indent with spaces", at
        value = text[column:].strip()
        quoted = f"'{value}'" if '"' in value else f'"{value}"'
        return f"an unquoted value cannot start with {_code(char)} in YAML: quote it, {_code(quoted)}", at
    if "mapping values are not allowed" in problem:
        return "`: ` inside an unquoted value: quote the value (or start the key on a line of its own)", at
    if "flow" in context:
        for number in range(min(line, len(lines) - 1), -1, -1):  # (libyaml marks the end of the block)
            comment = _COMMENT_IN_FLOW.search(lines[number])
            if comment:
                return "`#` after `[`, `{` or `,` starts a YAML comment, which hides the rest of the line: quote the value (`\"#tag\"`)", (number, comment.start(1))
        if opened is not None and "expected ','" in problem:
            return f"a `{lines[opened[0]][opened[1]]}` that is never closed", opened
    if "quoted scalar" in context and "end of stream" in problem and opened is not None:
        return "a quoted value that is never closed", opened
    if "block mapping" in context and ("expected key" in problem or "expected <block end>" in problem):
        if char == "-":
            return "a list item where a new `key:` was expected: the property above it already has a value", at
        before = text[:column]
        if before.rstrip().endswith(("}", "]")):
            return "text after the `}` or `]` that closes a value: quote the whole value (a `{{placeholder}}` in YAML needs quotes)", at
        if before.strip() and ('"' in before or "'" in before):
            return "text after the closing quote of a quoted value: a quote inside a value ends it (use the other quote outside)", at
        return "a line that is not `key: value` where a new property was expected (check its indentation)", at
    if "quoted scalar" in context and ("escape" in problem or "hexdecimal" in problem):
        slash = text.rfind("\\", 0, column + 1)
        return f"an unknown escape `{text[slash : slash + 2]}` in a double-quoted value: use single quotes, or write `\\\\`", (line, max(slash, 0))
    if "undefined alias" in problem:
        return f"`{text[column:].split()[0] if text[column:].strip() else '*'}` reads as a YAML alias, and no `&` anchor names it: quote the value", at
    if "constructor for the tag" in problem:
        tag = text[column:].split()[0] if text[column:].strip() else "!"
        return f"`{tag}` is not a tag YAML knows: quote the value", at
    if "simple key" in context and opened is not None:
        return "a line with no `key:` (each line of front matter is `key: value`, a list item or the rest of a value)", opened
    return None


def simple_frontmatter(text: str) -> dict[str, Any] | None:
    """Flat `key: value` front matter read without PyYAML; None when it takes more than that."""
    return _simple(text, [])


def _simple(text: str, empty: list[tuple[int, int]]) -> dict[str, Any] | None:
    # Only printable ASCII: no tab, no control character, no YAML line break but LF.
    if not text.isascii() or not text.replace("\n", " ").isprintable():
        return None
    try:
        return _mapping(text.split("\n"), empty)
    except _NotSimple:
        return None


def _mapping(lines: list[str], empty: list[tuple[int, int]]) -> dict[str, Any] | None:
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
            raise _NotSimple  # (a key given twice: the loader reports it)
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
            if item.group(2) is None:
                items.append(None)
                empty.append((index, len(indent)))
            else:
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
    if tag == _BOOL:
        return text.lower() in _TRUE_WORDS  # (`publish: true`: on most pages of a published vault)
    if tag == _NULL:
        return None
    if tag == _INT and _DECIMAL.fullmatch(text) and len(text) < 4000:  # (Python's own limit: 4,300 digits)
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
    if first not in RESOLVED_FIRST:
        return _STR
    if first in _WORD_FIRST:  # (the resolvers of words match only these words)
        return _STR if text not in _YAML_WORDS else _NULL if text in _NULL_WORDS else _BOOL
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
