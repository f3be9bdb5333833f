"""Fields in a page's text: Dataview inline fields (structured facts) and bold labels (prose).

Dataview reads two forms of inline field (its docs, "Adding Metadata"; its parser,
`src/data-import/inline-field.ts`):

- bracketed, anywhere in a line: `[key:: value]`, or `(key:: value)`, which hides the key when
  rendered; the value runs to the matching bracket;
- full-line, when a line (or list item) has no bracketed field: `Key:: value`, the key being
  words (letters, digits, spaces, `_`, `-`, `/`) with markup around them at most
  (`**Bold Field**:: Nice!`). Tasks take bracketed fields only, and a task's fields are the
  task's own, never its page's (Dataview's `parseLists` keeps them on the task and merges only
  other list items' fields into the page's): `Field.task` marks them (see `on_task`).

kbsleep reads the same, with these choices where Obsidian's own syntax reads the text
otherwise, or prose merely looks like a field (precision over recall, as a false
`conflicting-facts` is an error):

- nothing inside code (`a:: b` in backquotes; code blocks are not inline text at all), a link
  (`[[Pump::Stats]]`, `[Code::Stats](url)`) or a URL: Obsidian shows those as code and links,
  where Dataview would read `Pump` = `Stats`;
- `::` must be followed by a space or end the field: `Pump::Stats` and `std::vector` are
  names in prose, never `key:: value` as Dataview's documentation always writes it;
- a key is words, also in brackets, so a Pandoc fenced div (`::::: {.columns}`, `::: note`)
  has none;
- a wikilink written in the key of a full-line field names the entity the fact is about
  (`- [[Evra Coast Observatory]] founded:: 1989`), as does the link just before a bracketed
  field: kbsleep's convention, where Dataview would fail to read such a key.

Bold labels (`**Born:** 1952`, `- **macOS**: ...`) are prose, kept as `label` fields: the
questions pass reads them, and `contradicting-claims` takes one as a claim about its page's
entity (see `claims.py`), but they are never structured facts. A bold phrase with no colon
(`- **Daily note** — Jump to ...`) is not even a label.
"""

from __future__ import annotations

import re

from kbsleep.wiki.markers import LIST_ITEM
from kbsleep.wiki.page import Field, normalize_key
from kbsleep.wiki.wikilink import Wikilink, replace_wikilinks, wikilinks

# Code spans, links and URLs: no field starts or ends inside one. Each is masked with a
# character that cannot be part of a field (a wikilink with its own, so that a key can hold it).
_CODE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_MARKDOWN_LINK = re.compile(r"!?\[[^\[\]\n]*\]\([^()\s]*(?:\s+\"[^\"]*\")?\)|<[A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*>")
_URL = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s<>]*")
_MASK, _LINK_MASK = "\0", "\1"
# A key: optional markup, then words, then optional markup (Dataview's FULL_LINE_KEY_PARSER).
_KEY = re.compile(r"[^\w\0\1]*(\w[\w \t/-]*?)[\s_*~`]*")
_ITEM = re.compile(r"[ \t]*(?:[-*+][ \t]+|\d+[.)][ \t]+)?")  # a list marker left in the text
_TASK = re.compile(r"\[.\][ \t]")
LABEL = re.compile(r"[ \t]*(?:[-*+][ \t]+|\d+[.)][ \t]+)?\*\*([^*\n]+?)(?::\*\*|\*\*:)[ \t]+(\S.*?)[ \t]*")
_OPENERS = {"[": "]", "(": ")"}


def line_fields(text: str, line: int) -> list[Field]:
    """The inline fields and bold label of one line of inline text (see the module docstring)."""
    found: list[Field] = []
    if "::" in text:
        masked, links = _masked(text)
        if "::" in masked:
            found = _bracketed(text, masked, links, line) or _full_line(text, masked, links, line)
    if "**" in text and not found:
        label = LABEL.fullmatch(text)
        key = normalize_key(label.group(1)) if label else ""
        if label and key:
            value, subject = label.group(2), ()
            about = trailing_subject(value)  # `**Founded:** 1990 ([[Evra Coast Observatory]])`
            if about is not None:
                subject = (about,)
            found.append(Field(key, value, line, "label", subject))
    return found


def on_task(content: str, source: str) -> bool:
    """Is `content`, a block's inline text starting on the line `source`, a task's: a list item
    whose text opens with a status in brackets (`- [ ] `, `1. [x] `, `> - [?] `)?"""
    if not _TASK.match(content):
        return False
    item = LIST_ITEM.match(source)
    return item is not None and source[item.end() :].lstrip(" \t").startswith(content[:3])


def _masked(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The line with code, links and URLs masked, and its wikilinks as (start, target)."""
    links = []
    masked = text
    if "`" in masked:
        masked = _CODE.sub(lambda m: _MASK * len(m.group()), masked)
    if "[[" in masked:

        def mask(link: Wikilink) -> str:
            links.append((link.start, link.target))
            return _LINK_MASK * (link.end - link.start)

        masked = replace_wikilinks(masked, mask)
    if "](" in masked or "<" in masked:
        masked = _MARKDOWN_LINK.sub(lambda m: _MASK * len(m.group()), masked)
    if "://" in masked:
        masked = _URL.sub(lambda m: _MASK * len(m.group()), masked)
    return masked, links


def trailing_subject(value: str) -> str | None:
    """The target of the link in brackets that ends `value` after some text (`1990 ([[Evra
    Coast Observatory]])`): the entity a label's value is about. None: no such link."""
    if not value.endswith("]])"):
        return None
    last = None
    for last in wikilinks(value):
        pass
    if last is None or last.embed or last.end != len(value) - 1 or value[last.start - 1 : last.start] != "(" or not value[: last.start - 1].strip():
        return None
    return last.target


def _bracketed(text: str, masked: str, links: list[tuple[int, str]], line: int) -> list[Field]:
    found = []
    taken: list[tuple[int, int]] = []  # the fields found so far: a link in a value names no subject
    index = 0
    while True:
        index = min((at for at in (masked.find("[", index), masked.find("(", index)) if at >= 0), default=-1)
        if index < 0:
            return found
        field = _bracketed_at(text, masked, index)
        if field is None:
            index += 1
            continue
        key, value, end = field
        before = [target for start, target in links if start < index and not any(a <= start < b for a, b in taken)]
        found.append(Field(key, value, line, "inline", tuple(before[-1:])))
        taken.append((index, end))
        index = end


def _bracketed_at(text: str, masked: str, start: int) -> tuple[str, str, int] | None:
    """(key, value, end) of a `[key:: value]` or `(key:: value)` opening at `start`."""
    separator = masked.find("::", start + 1)
    if separator < 0:
        return None
    raw_key = masked[start + 1 : separator]
    if any(char in raw_key for char in "[]()\0\1"):
        return None
    key = _KEY.fullmatch(raw_key.strip())
    if key is None:
        return None
    opener, closer = masked[start], _OPENERS[masked[start]]
    value_start = separator + 2
    if value_start < len(masked) and not (masked[value_start].isspace() or masked[value_start] == closer):
        return None  # `(Pump::Stats)`: a name, not a field
    depth, escaped = 0, False
    for index in range(value_start, len(masked)):
        char = masked[index]
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == opener:
            depth += 1
        elif char == closer:
            depth -= 1
            if depth < 0:
                return normalize_key(key.group(1)), text[value_start:index].strip(), index + 1
    return None


def _full_line(text: str, masked: str, links: list[tuple[int, str]], line: int) -> list[Field]:
    begin = _ITEM.match(masked).end()  # type: ignore[union-attr] - matches the empty string at worst
    if _TASK.match(masked, begin):
        return []  # a task: Dataview reads only its bracketed fields
    separator = masked.find("::", begin)
    if separator < 0:
        return []
    value_start = separator + 2
    if value_start < len(masked) and not masked[value_start].isspace():
        return []
    raw_key = masked[begin:separator].replace(_LINK_MASK, "")  # a link in the key names the subject
    key = _KEY.fullmatch(raw_key.strip()) if _MASK not in raw_key else None
    if key is None:
        return []
    named = [target for start, target in links if start < separator]
    return [Field(normalize_key(key.group(1)), text[value_start:].strip(), line, "inline", tuple(named[-1:]))]
