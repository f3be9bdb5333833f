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
        line = page.line_text(link.line)
        column = line.find("](" + link.raw)
        if column < 0:
            return None
        href = os.path.relpath(target_path, page.folder or ".").replace(os.sep, "/")
        anchor = f"#{link.anchor}" if link.anchor else ""
        return (link.line, column + 3, link.raw, quote(href) + anchor)
    anchor = f"#{link.anchor}" if link.anchor else ""
    shown = f"|{display}" if display is not None and fold(display) != fold(target_name) else ""
    bang = "!" if link.kind == "embed" else ""
    return (link.line, link.column, link.raw, f"{bang}[[{target_name}{anchor}{shown}]]")


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
