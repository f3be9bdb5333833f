"""Small, exact text edits on a parsed page: a frontmatter list, a section, a block, a link.

Each is a change of one span of `Page.text` (`Change`), so that the task can say which spans it
changed (`spans.Tracked`) and every other byte is kept."""

from __future__ import annotations

import json
import os
import re
from pathlib import PurePosixPath
from typing import Collection, Mapping, Sequence
from urllib.parse import quote

from kbsleep.wiki.fences import separator
from kbsleep.wiki.page import Link, Page, split_lines_keepends
from kbsleep.wiki.spans import in_ending
from kbsleep.wiki.resolve import fold, fold_heading
from kbsleep.wiki.wikilink import format_wikilink

_KEY = re.compile(r"^([A-Za-z0-9_-](?:[A-Za-z0-9 _-]*[A-Za-z0-9_-])?)\s*:")  # `date created:` too (the Linter plugin's key)


Change = tuple[int, int, str]  # (start, end, new text): a span of `Page.text` and what replaces it


def set_list(page: Page, key: str, values: list[str], ending: str = "\n") -> Change:
    """Frontmatter `key` set to a list of `values`: its lines replaced, in the style the page
    wrote it (`tags: [a, b]` stays a flow list on its line), or a block list added before the
    closing `---`; a frontmatter made for it when the page has none. Lines end `ending`."""
    lines = split_lines_keepends(page.text)
    starts = _starts(lines)
    block = list_block(key, values, ending)
    if page.frontmatter_end == 0:
        return (0, 0, f"---{ending}{block}---{ending}")
    end = page.frontmatter_end - 1  # index of the closing `---`
    for index in range(1, end):
        match = _KEY.match(lines[index])
        if match and match.group(1) == key:
            stop = index + 1
            while stop < end and (lines[stop][:1] in (" ", "\t", "-") or not lines[stop].strip()):
                stop += 1
            if stop == index + 1 and _FLOW.match(lines[index]):
                block = f"{key}: [{', '.join(_flow_scalar(v) for v in values)}]{ending}"
            return (starts[index], starts[stop], block)
    return (starts[end], starts[end], block)


def key_lines(page: Page) -> dict[str, str]:
    """Each top-level frontmatter key -> its lines as the file holds them (the key's line and the
    indented lines, list items and blank lines under it), in page order."""
    if page.frontmatter_end == 0:
        return {}
    lines = split_lines_keepends(page.text)
    end = page.frontmatter_end - 1  # index of the closing `---`
    found: dict[str, str] = {}
    index = 1
    while index < end:
        match = _KEY.match(lines[index])
        stop = index + 1
        while stop < end and (lines[stop][:1] in (" ", "\t", "-") or not lines[stop].strip()):
            stop += 1
        if match and match.group(1) not in found:
            found[match.group(1)] = "".join(lines[index:stop])
        index = stop
    return found


def key_span(page: Page, key: str) -> tuple[int, int] | None:
    """The span of `Page.text` that frontmatter `key`'s lines take (`key_lines`), or None."""
    if page.frontmatter_end == 0:
        return None
    lines = split_lines_keepends(page.text)
    starts = _starts(lines)
    offset = starts[1]
    for name, text in key_lines(page).items():
        at = page.text.find(text, offset)
        if name == key:
            return (at, at + len(text))
        offset = at + len(text)
    return None


def add_lines(page: Page, block: str, ending: str = "\n") -> Change:
    """Frontmatter lines (`block`, ending each line `ending`) added before the closing `---`; a
    frontmatter made for them when the page has none."""
    if page.frontmatter_end == 0:
        return (0, 0, f"---{ending}{block}---{ending}")
    lines = split_lines_keepends(page.text)
    return (_starts(lines)[page.frontmatter_end - 1], _starts(lines)[page.frontmatter_end - 1], block)


def list_block(key: str, values: list[str], ending: str = "\n") -> str:
    """The frontmatter lines that set `key` to a block list of `values`."""
    return "".join([f"{key}:{ending}", *(f"  - {_scalar(v)}{ending}" for v in values)])


def append_to_section(page: Page, title: str, chunk: str, level: int = 2, ending: str = "\n") -> Change:
    """`chunk` as a block at the end of the page's `title` section (after its last non-blank
    line), or appended in a new `title` section when it has none. Nothing is removed: blank
    lines stay, a last line without a newline gets one. Lines end `ending`."""
    lines = split_lines_keepends(page.text)
    starts = _starts(lines)
    body = in_ending(chunk.rstrip("\n"), ending) + ending
    for section in page.sections:
        heading = section.heading
        if heading is not None and heading.level == level and fold_heading(heading.text) == fold_heading(title):
            end = section.end
            while end > section.start and not lines[end - 1].strip():
                end -= 1
            lead = "" if lines[end - 1].endswith(("\n", "\r")) else ending
            after = ending if end < len(lines) and lines[end].strip() else ""
            return (starts[end], starts[end], lead + ending + body + after)
    return (len(page.text), len(page.text), separator(page.text, ending) + f"{'#' * level} {title}{ending}{ending}" + body)


def insert_after_block(page: Page, line: int, chunk: str, ending: str = "\n") -> Change:
    """`chunk` as its own block after the paragraph that holds `line`, a blank line either
    side; nothing else changes. Lines end `ending`."""
    lines = split_lines_keepends(page.text)
    starts = _starts(lines)
    end = max(line, page.frontmatter_end + 1)
    while end < len(lines) and lines[end].strip():
        end += 1
    end = min(end, len(lines))
    lead = ending if lines and not lines[end - 1].endswith(("\n", "\r")) else ""
    after = ending if end < len(lines) and lines[end].strip() else ""
    return (starts[end], starts[end], lead + ending + in_ending(chunk.rstrip("\n"), ending) + ending + after)


def _starts(lines: list[str]) -> list[int]:
    """The offset each line starts at, and the text's length last."""
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    return starts


def relink(page: Page, link: Link, target_path: str, target_name: str, display: str | None) -> tuple[int, int, str, str] | None:
    """The (line, column, old, new) edit that points `link` at another page, or None. `old` is
    the link as the file holds it (in a table cell `[[T\\|x]]`, where `link.raw` is `[[T|x]]`),
    and `new` is written for where the link is (`format_wikilink`)."""
    if link.kind == "markdown":
        found = _destination(page.line_text(link.line), link.column)
        if found is None:
            return None
        start, old, angled = found
        href = os.path.relpath(target_path, page.folder or ".").replace(os.sep, "/")
        if angled:  # `[x](<../a b.md#h>)`: spaces as they are, inside the brackets (a `|` escaped in a table)
            new = f"<{href}{'#' + link.anchor if link.anchor else ''}>"
            return (link.line, start, old, new.replace("|", "\\|") if link.in_table else new)
        return (link.line, start, old, quote(href) + (f"#{quote(link.anchor, safe='^')}" if link.anchor else ""))
    written = page.written(link)
    shown = display if display is not None and fold(display) != fold(target_name) else None
    new = format_wikilink(target_name, link.anchor, shown, embed=link.kind == "embed", in_table=link.in_table)
    if written is None or new is None:
        return None
    return (link.line, link.column, written.raw, new)


def _destination(line: str, column: int) -> tuple[int, str, bool] | None:
    """(1-based column, text, in angle brackets?) of the destination of the Markdown link whose
    `[` is at `column`: `../a%20b.md#h` in `[x](../a%20b.md#h "title")`, `<../a b.md>` in `[x](<../a b.md>)`."""
    opening = line.find("](", column - 1)
    if opening < 0:
        return None
    start = opening + 2
    if line.startswith("<", start):
        end = line.find(">", start)
        return (start + 1, line[start : end + 1], True) if end > 0 else None
    end, depth = start, 0
    while end < len(line) and not line[end].isspace():
        if line[end] == "(":
            depth += 1
        elif line[end] == ")":
            if depth == 0:
                break
            depth -= 1
        end += 1
    return (start + 1, line[start:end], False) if end > start else None


def link_name(names: dict[str, list[str]], path: str) -> str:
    """The shortest wikilink target that opens `path`: its file name, or its path on a clash."""
    stem = PurePosixPath(path).name[:-3]
    return path[:-3] if len(names.get(fold(stem), [])) > 1 else stem


def target_after(by_name: Mapping[str, Sequence[str]], survivor: str, gone: Collection[str], written: str) -> str:
    """The link target that opens `survivor` once the pages `gone` are, in the style of the
    target it replaces (`written`): a path where the file name alone would have done (a vault
    that writes every link as a path, Obsidian's "Absolute path in vault") stays a path, `.md`
    and all; otherwise the shortest that opens it (a path written only because two pages shared
    the name, which a merge makes one). `by_name`: folded file names -> their pages."""
    if "/" in written and len(by_name.get(fold(target_stem(written)), ())) <= 1:
        return survivor if written.lower().endswith(".md") or not survivor.lower().endswith(".md") else survivor[:-3]
    stem = target_stem(survivor)
    return link_name({fold(stem): [p for p in by_name.get(fold(stem), ()) if p not in gone]}, survivor)


def target_stem(target: str) -> str:
    """The file name a link target or path names, without `.md`."""
    name = target.rsplit("/", 1)[-1]
    return name[:-3] if name.lower().endswith(".md") else name


_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#]*(?<!\s)$")


_FLOW = re.compile(r"^[A-Za-z0-9_-]+\s*:\s*\[[^#]*\]\s*$")  # `tags: [a, b]` alone on its line


def _flow_scalar(value: str) -> str:
    """A YAML scalar for `value` inside a flow list: plain only when it holds no `,[]{}`."""
    plain = _scalar(value)
    return plain if plain == value and not any(c in value for c in ",[]{}") else json.dumps(value, ensure_ascii=False)


def _scalar(value: str) -> str:
    """A YAML scalar for `value`: plain when that reads back as the same string, else quoted."""
    import yaml

    if _PLAIN.match(value):
        try:
            if yaml.safe_load(value) == value:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)
