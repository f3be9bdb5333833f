"""Obsidian's properties: the title, aliases and tags a page's front matter gives it, and the
values Obsidian would show as a type mismatch.

Obsidian's default properties `aliases`, `tags` and `cssclasses` are lists (help vault,
"Properties.md", Default properties). It reads what its property editor writes or accepts: a
list with empty items (a bare `- `), a list inside the list, numbers and dates as items, one
text instead of a list (`tags: a, b`), tags with their `#` (`"#a"`). None of that is wrong, so
none of it is a problem here: empty items are dropped, nested lists flattened, numbers and dates
read as their text. A value of another type (a mapping, a checkbox) Obsidian shows with a type
mismatch warning and does not use; kbsleep does the same and says so (`property-type-mismatch`,
a warning). `title` is kbsleep's (and Obsidian Publish's) text property: a number or a date is
its text, anything else a mismatch.

Obsidian's YAML is 1.2, where only `true` and `false` are checkboxes: `yes`, `no`, `on` and `off`,
which PyYAML (YAML 1.1) reads as booleans, are text, so a boolean is judged by the word written
(`written`). An item of a list cannot be told apart that way and is read as `true` or `false`.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, Iterable, Iterator, NamedTuple, Sequence

from kbsleep.wiki.wikilink import sole_wikilink


class Mismatch(NamedTuple):
    """A value of a type Obsidian shows as a mismatch, and the key of the list item that is a
    mapping, when it is one (the item's line is where the finding points)."""

    message: str
    item: str | None = None

def texts(key: str, value: Any, written: str = "") -> tuple[tuple[str, ...], Mismatch | None]:
    """The texts a list property holds as Obsidian reads them, and the type mismatch to report
    (None: the value fits). `written` is the value as written after `key:` on its line."""
    if value is None:
        return (), None
    if isinstance(value, bool) and not _checkbox(written):
        value = written  # `tags: yes`: text in YAML 1.2
    if isinstance(value, (bool, dict)):
        return (), Mismatch(f"`{key}` holds {kind(value)}, not a list: Obsidian shows a type mismatch and uses none of it")
    if isinstance(value, str):
        parts = value.split(",") if key.startswith("tag") else [value]  # `tags: a, b`
    elif isinstance(value, list):
        parts = list(_items(value))
        mapping = next((part for part in parts if isinstance(part, dict)), None)
        if mapping is not None:
            found = [part for part in parts if not isinstance(part, dict)]
            return _clean(key, found), _mapping_item(key, mapping)
    else:
        parts = [value]  # a number (a date is read as its ISO text already)
    return _clean(key, parts), None


def title_text(value: Any, written: str = "") -> tuple[str | None, str | None]:
    """The title a `title` property gives (None: none), and the type mismatch to report."""
    if value is None:
        return None, None
    if isinstance(value, bool) and not _checkbox(written):
        value = written
    if isinstance(value, (bool, dict, list)):
        return None, f"`title` holds {kind(value)}, not text: the title is taken from the first H1 or the file name"
    text = str(value).strip()
    return text or None, None


def heading_title(headings: Sequence[tuple[Any, ...]], lines: Sequence[str], body_start: int, stem: str) -> str | None:
    """The text of the H1 that is the page's title, or None; `headings` are the page's
    (level, text, 1-based line, ...) in order, `body_start` the number of frontmatter lines.

    Obsidian names a note by its file name only; an H1 title is a convention, the one an LLM
    wiki keeps (`people/mara-ilves.md` opens with `# Mara Ilves`, then `##` sections). Many
    vaults use H1s as section headings instead (`# Software` halfway down `MacOS.md`, `# Todo`
    then `# Thoughts` in a daily note). Our choice: an H1 is the title only when it is the first
    thing in the body a reader reads (markdownlint's MD041, "first line is a top-level heading";
    comments and a row of badges before it aside), the page's
    only H1 (MD025, "single title": a page with several uses them as sections) but for a
    footer's, right after a comment (obsidian-hub's `%% Hub footer ... %%` then `# This note in
    GitHub`), and it shares a word with the file name (`# Process` atop `DLL Hollowing.md` is a
    section). Otherwise the page has no heading title.
    """

    if not headings or headings[0][0] != 1:
        return None
    text, line = headings[0][1], headings[0][2]
    if any(heading[0] == 1 and not _after_comment(lines, heading[2]) for heading in headings[1:]):
        return None
    if not _unread(lines[body_start : line - 1]):
        return None
    return text if _names_alike(text, stem) else None


_IMAGES = re.compile(r"(?:!\[[^\]]*\]\([^)]*\)\s*)+")  # a line of badges: `![GitHub stars](https://img.shields.io/...)`


def _unread(lines: Sequence[str]) -> bool:
    """Whether these lines hold nothing a reader reads: blanks, comments (`%% ... %%`, `<!-- -->`,
    on one line or several), and lines of images or embeds only (obsidian-hub's plugin pages
    open with a comment and a row of badges, then `# Templater`)."""
    closing = ""
    for raw in lines:
        line = raw.strip()
        if closing:
            closing = "" if line.endswith(closing) else closing
        elif not line or _IMAGES.fullmatch(line) or ((link := sole_wikilink(line)) is not None and link.embed):
            continue
        elif line.startswith(("%%", "<!--")):
            end = "%%" if line.startswith("%%") else "-->"
            closing = "" if len(line) > len(end) + 1 and line.endswith(end) else end
        else:
            return False
    return True


def _after_comment(lines: Sequence[str], line: int) -> bool:
    """Is the last non-blank line above this 1-based line a `%% %%` or HTML comment?"""
    above = next((text.strip() for text in reversed(lines[: line - 1]) if text.strip()), "")
    return above.endswith(("%%", "-->"))


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")  # `ComputationModel` is the words computation, model
_WORD = re.compile(r"[^\W_]+")  # letters and digits: `_` and `-` separate words in a file name


def _names_alike(heading: str, stem: str) -> bool:
    """Does a word of one name occur in the other: as a word, or (3 letters or more) inside its
    words run together? `# Mara Ilves` and `mara-ilves.md`, `# Conner Ohnesorge` and
    `connerohnesorge.md`."""
    ours, theirs = _name_words(heading), _name_words(stem)
    if set(ours) & set(theirs):
        return True
    run_ours, run_theirs = "".join(ours), "".join(theirs)
    return any(len(word) >= 3 and word in run_theirs for word in ours) or any(len(word) >= 3 and word in run_ours for word in theirs)


def _name_words(name: str) -> list[str]:
    return [word.casefold() for word in _WORD.findall(_CAMEL.sub(" ", name))]


def kind(value: Any) -> str:
    """A YAML value's type in Obsidian's words."""
    if isinstance(value, bool):
        return "a checkbox (`true`/`false`)"
    return {dict: "a mapping", list: "a list"}.get(type(value), f"a {type(value).__name__}")


def _mapping_item(key: str, mapping: dict) -> Mismatch:
    """The mismatch of a list item that is a mapping, usually text with a `: ` in it."""
    first = str(next(iter(mapping), ""))
    if len(mapping) == 1:
        value = mapping[next(iter(mapping))]
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            text = f"{first}: {value}"
            return Mismatch(f"`{key}` item `{text}` is a mapping (its `: ` makes a key), not text: quote it, `\"{text}\"`", first)
    return Mismatch(f"`{key}` holds a mapping among its items: Obsidian shows a type mismatch and kbsleep uses only the other items", first)


def _checkbox(written: str) -> bool:
    return written.strip().strip("\"'").lower() in ("true", "false") or not written.strip()


def _items(values: list[Any]) -> Iterator[Any]:
    for value in values:
        if isinstance(value, list):
            yield from _items(value)  # `tags: [[a, b]]`: the YAML of a wikilink-looking list
        elif value is not None:
            yield value


def _clean(key: str, parts: list[Any]) -> tuple[str, ...]:
    found = []
    for part in parts:
        text = (("true" if part else "false") if isinstance(part, bool) else str(part)).strip()
        if key.startswith("tag"):
            text = text.lstrip("#")
        if text:
            found.append(text)
    return tuple(found)


MAX_FRONTMATTER_VALUES = 100_000  # aliases can make a few lines of YAML into billions of values


def plain_mapping(data: dict) -> dict[str, Any]:
    """YAML values as plain data: dates and datetimes become ISO strings, keys strings. Each
    alias becomes a copy, so the values are counted: more than `MAX_FRONTMATTER_VALUES` is an
    error (a page of "billion laughs" would take minutes and gigabytes)."""
    left = MAX_FRONTMATTER_VALUES

    def plain(value: Any) -> Any:
        nonlocal left
        left -= 1
        if left < 0:
            raise ValueError(f"more than {MAX_FRONTMATTER_VALUES:,} values once its aliases are expanded")
        if isinstance(value, (datetime.date, datetime.datetime)):
            return value.isoformat()
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    return {str(k): plain(v) for k, v in data.items()}


def strings_in(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)


# A key that says when the file was made or changed: one of these words ...
_STAMPS = frozenset("created creation modified modification updated edited changed lastmod mtime ctime".split())
# ... with none but these besides ("date created", the Linter plugin's default; "created_at", "last_updated")
_STAMP_WORDS = _STAMPS | frozenset("date time datetime timestamp last at on file".split())
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_KEY_WORDS = re.compile(r"[\W_]+")  # (any mark between words: `updated:`, written `updated:: 2022-04-07` in YAML)


def timestamp_key(key: str) -> bool:
    """Whether a property records when the file was created or changed ("date created", "Date
    modified", "createdAt", "last_updated"): a fact about the file, never about its subject."""
    return timestamp_kind(key) is not None


_MADE = frozenset("created creation ctime".split())


def timestamp_kind(key: str) -> str | None:
    """"created" for a property that records when the file was made ("date created",
    "createdAt"), "changed" for one that records when it changed ("updated", "lastmod"), None
    for any other (`timestamp_key`)."""
    words = {w for w in _KEY_WORDS.split(_CAMEL.sub("_", key).casefold()) if w}
    if not (words & _STAMPS and words <= _STAMP_WORDS):
        return None
    return "created" if words & _MADE else "changed"
