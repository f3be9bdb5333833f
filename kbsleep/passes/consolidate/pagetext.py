"""Small, exact text edits on a parsed page: a frontmatter list, a section, a block, a link."""

from __future__ import annotations

import json
import os
import re
from pathlib import PurePosixPath
from urllib.parse import quote

from kbsleep.wiki.page import Link, Page, split_lines_keepends
from kbsleep.wiki.resolve import fold, fold_heading

_KEY = re.compile(r"^([A-Za-z0-9_-]+)\s*:")


def set_list(page: Page, key: str, values: list[str]) -> str:
    """The page text with frontmatter `key` set to a block list of `values`, everything else kept."""
    lines = split_lines_keepends(page.text)
    block = [f"{key}:\n", *(f"  - {_scalar(v)}\n" for v in values)]
    if page.frontmatter_end == 0:
        return "".join(["---\n", *block, "---\n", *lines])
    end = page.frontmatter_end - 1  # index of the closing `---`
    for index in range(1, end):
        match = _KEY.match(lines[index])
        if match and match.group(1) == key:
            stop = index + 1
            while stop < end and (lines[stop][:1] in (" ", "\t", "-") or not lines[stop].strip()):
                stop += 1
            return "".join(lines[:index] + block + lines[stop:])
    return "".join(lines[:end] + block + lines[end:])


def append_to_section(page: Page, title: str, chunk: str, level: int = 2) -> str:
    """The page text with `chunk` at the end of its `title` section, which is added when missing."""
    lines = split_lines_keepends(page.text)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n"
    for section in page.sections:
        heading = section.heading
        if heading is not None and heading.level == level and fold_heading(heading.text) == fold_heading(title):
            end = section.end
            while end > section.start and not lines[end - 1].strip():
                end -= 1
            return "".join(lines[:end] + ["\n", chunk.rstrip("\n") + "\n"] + (["\n"] if end < len(lines) else []) + lines[section.end :])
    while lines and not lines[-1].strip():
        lines.pop()
    return "".join(lines + ["\n", f"{'#' * level} {title}\n", "\n", chunk.rstrip("\n") + "\n"])


def insert_after_block(page: Page, line: int, chunk: str) -> str:
    """The page text with `chunk` as its own block after the paragraph that holds `line`."""
    lines = split_lines_keepends(page.text)
    end = max(line, page.frontmatter_end + 1)
    while end < len(lines) and lines[end].strip():
        end += 1
    before = lines[:end]
    if before and not before[-1].endswith(("\n", "\r")):
        before[-1] += "\n"
    return "".join(before + ["\n", chunk.rstrip("\n") + "\n"] + (["\n"] if end < len(lines) and lines[end].strip() else []) + lines[end:])


def relink(page: Page, link: Link, target_path: str, target_name: str, display: str | None) -> tuple[int, int, str, str] | None:
    """The (line, column, old, new) edit that points `link` at another page, or None."""
    if link.kind == "markdown":
        found = _destination(page.line_text(link.line), link.column)
        if found is None:
            return None
        start, old, angled = found
        href = os.path.relpath(target_path, page.folder or ".").replace(os.sep, "/")
        if angled:  # `[x](<../a b.md#h>)`: spaces as they are, inside the brackets
            return (link.line, start, old, f"<{href}{'#' + link.anchor if link.anchor else ''}>")
        return (link.line, start, old, quote(href) + (f"#{quote(link.anchor, safe='^')}" if link.anchor else ""))
    anchor = f"#{link.anchor}" if link.anchor else ""
    shown = f"|{display}" if display is not None and fold(display) != fold(target_name) else ""
    bang = "!" if link.kind == "embed" else ""
    return (link.line, link.column, link.raw, f"{bang}[[{target_name}{anchor}{shown}]]")


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


_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#]*(?<!\s)$")


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
