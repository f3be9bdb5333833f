"""Page records: what one Markdown file holds, as immutable data."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, Mapping

LinkKind = Literal["wikilink", "embed", "markdown"]


@dataclass(frozen=True)
class Problem:
    """Something wrong with the file itself (encoding, frontmatter, size), found while loading."""

    code: str  # the lint rule name that reports it, e.g. "frontmatter-invalid"
    message: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True)
class Heading:
    level: int
    text: str  # as written, inline markup included
    line: int  # 1-based
    slug: str  # GitHub-style anchor, de-duplicated within the page


@dataclass(frozen=True)
class Section:
    """A heading and the lines it governs (up to the next heading of the same or higher level)."""

    heading: Heading | None  # None for the text before the first heading
    start: int  # 1-based, the heading line itself
    end: int  # 1-based, inclusive


@dataclass(frozen=True)
class Link:
    kind: LinkKind
    target: str  # as written, without anchor; "" for a same-page link such as [[#Heading]]
    anchor: str  # "" or the text after the first '#': "H1#H2", "^block-id", "heading-slug"
    display: str | None
    line: int
    column: int
    raw: str  # the link as written: "[[T#H|shown]]" or the Markdown link's href
    in_frontmatter: bool = False

    @property
    def block_id(self) -> str | None:
        return self.anchor[1:] if self.anchor.startswith("^") else None

    @property
    def heading_path(self) -> tuple[str, ...]:
        if not self.anchor or self.block_id is not None:
            return ()
        return tuple(part for part in self.anchor.split("#") if part.strip())


@dataclass(frozen=True)
class Field:
    """A structured fact: frontmatter key, Dataview `key:: value` or `**Key:** value`."""

    key: str  # normalised: casefolded, spaces and dashes as underscores
    value: str
    line: int
    kind: Literal["frontmatter", "inline", "definition"]
    subjects: tuple[str, ...] = ()  # wikilink targets named on the same line


@dataclass(frozen=True)
class TextBlock:
    """The inline text of one paragraph, list item, table cell or heading."""

    line: int
    text: str


@dataclass(frozen=True)
class Comment:
    """An HTML or Obsidian (`%%`) comment; kbsleep directives and fences live in these."""

    line: int
    end_line: int
    text: str  # without the comment markers, stripped


@dataclass(frozen=True)
class Fence:
    """A region written by a kbsleep pass: `<!-- kbsleep:NAME k=v ... -->` ... `<!-- /kbsleep:NAME -->`."""

    name: str
    attrs: Mapping[str, str]
    start: int  # line of the opening comment
    end: int  # line of the closing comment


@dataclass(frozen=True)
class Page:
    path: str  # relative to the wiki root, with '/'
    text: str
    blob: str  # git blob id of the bytes on disk
    frontmatter: Mapping[str, Any]
    title: str
    aliases: tuple[str, ...]
    tags: tuple[str, ...]
    headings: tuple[Heading, ...]
    block_ids: Mapping[str, int]  # id -> line
    sections: tuple[Section, ...]
    links: tuple[Link, ...]
    fields: tuple[Field, ...]
    blocks: tuple[TextBlock, ...]
    comments: tuple[Comment, ...]
    fences: tuple[Fence, ...]
    problems: tuple[Problem, ...]
    frontmatter_end: int = 0  # last line of the frontmatter block, 0 when there is none
    parsed: bool = True  # False for binary or oversized files, which are not parsed
    size: int = field(default=0)

    @property
    def stem(self) -> str:
        name = self.path.rsplit("/", 1)[-1]
        return name[:-3] if name.lower().endswith(".md") else name

    @property
    def folder(self) -> str:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else ""

    @cached_property
    def lines(self) -> list[str]:  # cached_property works on frozen dataclasses: it writes __dict__
        return self.text.splitlines()

    def line_text(self, line: int) -> str:
        lines = self.lines
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def section_text(self, section: Section) -> str:
        return "\n".join(self.lines[section.start - 1 : section.end])

    def section_at(self, line: int) -> Section | None:
        """The innermost section containing `line`."""
        best = None
        for section in self.sections:
            if section.start <= line <= section.end:
                if best is None or section.start >= best.start:
                    best = section
        return best
