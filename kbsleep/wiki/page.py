"""Page records: what one Markdown file holds, as immutable data.

The small records (links, headings, fields, text blocks, ...) are `NamedTuple`s rather than frozen
dataclasses: a 10k-page wiki has half a million of them, and tuples are built, pickled and
cached several times faster. They are just as immutable and typed. `Page` itself is a frozen
dataclass, stored in the parse cache as plain tuples (`to_row` / `from_row`).
"""

from __future__ import annotations

import dataclasses
import marshal
import re
import unicodedata

from dataclasses import dataclass
from functools import cached_property, partial
from typing import Any, Callable, Literal, Mapping, NamedTuple, Sequence

from kbsleep.wiki.wikilink import Wikilink, replace_wikilinks, wikilink_at

LinkKind = Literal["wikilink", "embed", "markdown"]


LINE_BREAK = re.compile(r"\r\n|\r|\n")
LINE_WITH_END = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def split_lines(text: str) -> list[str]:
    """Lines as the Markdown parser counts them: only CR, LF and CRLF end a line.

    (`str.splitlines` also splits on form feeds and U+2028, which would shift line numbers.)
    """
    lines = LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def split_lines_keepends(text: str) -> list[str]:
    return LINE_WITH_END.findall(text)


class Problem(NamedTuple):
    """Something wrong with the file itself (encoding, frontmatter, size), found while loading."""

    code: str  # the lint rule name that reports it, e.g. "frontmatter-invalid"
    message: str
    line: int = 1
    column: int = 1


class Heading(NamedTuple):
    level: int
    text: str  # as written, inline markup included
    line: int  # 1-based
    slug: str  # GitHub-style anchor, de-duplicated within the page


class Section(NamedTuple):
    """A heading and the lines it governs (up to the next heading of the same or higher level)."""

    heading: Heading | None  # None for the text before the first heading
    start: int  # 1-based, the heading line itself
    end: int  # 1-based, inclusive


class Link(NamedTuple):
    kind: LinkKind
    target: str  # as written, without anchor; "" for a same-page link such as [[#Heading]]
    anchor: str  # "" or the text after the first '#': "H1#H2", "^block-id", "heading-slug"
    display: str | None
    line: int
    column: int
    raw: str  # the link as written: "[[T#H|shown]]" or the Markdown link's href ("[[T|x]]" for `[[T\|x]]` in a table cell)
    in_frontmatter: bool = False
    in_table: bool = False  # in a table cell, where a `|` is written `\|`
    # In a `%%` comment, which reading view hides: Obsidian's metadata cache keeps the link
    # (backlinks, graph, unresolved links), so it counts for who links to whom, but it is never
    # reported, fixed or quoted (docs/obsidian.md, "Comments, code, and kbsleep's fences").
    in_comment: bool = False

    @property
    def block_id(self) -> str | None:
        return self.anchor[1:] if self.anchor.startswith("^") else None

    @property
    def heading_path(self) -> tuple[str, ...]:
        if not self.anchor or self.block_id is not None:
            return ()
        return tuple(part for part in self.anchor.split("#") if part.strip())


_KEY_SEPARATORS = re.compile(r"[\s\-]+")


def _nothing(link: Wikilink) -> str:
    return ""


def normalize_key(key: str) -> str:
    """A field's key as `Field.key` holds it: links and `*` dropped, NFC, casefolded, `_` for
    spaces and dashes."""
    plain = replace_wikilinks(key, _nothing).replace("*", "").strip()
    return _KEY_SEPARATORS.sub("_", unicodedata.normalize("NFC", plain).casefold())


class Field(NamedTuple):
    """A frontmatter key or a Dataview `key:: value` (structured facts), or a bold label
    `**Key:** value` (prose: see `kbsleep.wiki.fields`)."""

    key: str  # normalised: casefolded, spaces and dashes as underscores
    value: str
    line: int
    kind: Literal["frontmatter", "inline", "label"]
    subjects: tuple[str, ...] = ()  # the wikilink target the field is about, when a link names it
    task: bool = False  # an inline field on a task: the task's own, not its page's (Dataview)


class TextBlock(NamedTuple):
    """The inline text of one paragraph, list item, table cell or heading."""

    line: int
    text: str


class Sentence(NamedTuple):
    """A sentence of prose that may state an attribute as a number (see `kbsleep.wiki.claims`)."""

    line: int  # where it starts
    text: str


class Comment(NamedTuple):
    """An HTML or Obsidian (`%%`) comment; kbsleep directives and fences live in these."""

    line: int
    end_line: int
    text: str  # without the comment markers, stripped


class Fence(NamedTuple):
    """A region written by a kbsleep pass: `<!-- kbsleep:NAME k=v ... -->` ... `<!-- /kbsleep:NAME -->`."""

    name: str
    attrs: Mapping[str, str]
    start: int  # line of the opening comment
    end: int  # line of the closing comment


def emptiness(lines: list[str], headings: Sequence[Heading], comments: Sequence[Comment], frontmatter_end: int) -> tuple[bool, tuple[int, ...]]:
    """(Is the page empty, the lines of its empty sections), from its lines and structure.

    A page is empty when every line after the frontmatter that is not an H1 heading or inside a
    comment is blank. A section is empty when the first non-blank line after its heading is the
    end of the page or a heading of the same or a higher level (its own subheadings fill it).
    """
    skip = {h.line for h in headings if h.level == 1}
    skip.update(n for c in comments for n in range(c.line, c.end_line + 1))
    empty = not any(lines[n - 1].strip() for n in range(frontmatter_end + 1, len(lines) + 1) if n not in skip)
    levels = {h.line: h.level for h in headings}
    sections = []
    for heading in headings:
        following = heading.line + 1
        while following <= len(lines) and not lines[following - 1].strip():
            following += 1
        if following > len(lines) or levels.get(following, 7) <= heading.level:
            sections.append(heading.line)
    return empty, tuple(sections)


# (field name, record type) of Page's tuple-of-records fields, for the cache rows.
_RECORDS: tuple[tuple[str, Any], ...] = (
    ("headings", Heading),
    ("links", Link),
    ("fields", Field),
    ("blocks", TextBlock),
    ("claims", Sentence),
    ("comments", Comment),
    ("fences", Fence),
    ("problems", Problem),
)


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
    links: tuple[Link, ...]
    fields: tuple[Field, ...]
    blocks: tuple[TextBlock, ...]
    claims: tuple[Sentence, ...]  # the sentences of `blocks` that contradicting-claims judges
    comments: tuple[Comment, ...]
    fences: tuple[Fence, ...]
    problems: tuple[Problem, ...]
    frontmatter_end: int = 0  # last line of the frontmatter block, 0 when there is none
    parsed: bool = True  # False for binary or oversized files, which are not parsed
    size: int = 0
    # Found while parsing, so that checking every page needs no page's text (see `emptiness`):
    empty: bool = False  # nothing outside the frontmatter, H1 headings and comments is non-blank
    empty_sections: tuple[int, ...] = ()  # lines of headings with only blank lines under them
    numbers: tuple[tuple[str, float, str, int], ...] = ()  # numeric facts about itself: (key, number, value, line); see wiki/claims.py

    @property
    def stem(self) -> str:
        name = self.path.rsplit("/", 1)[-1]
        return name[:-3] if name.lower().endswith(".md") else name

    @cached_property
    def folder(self) -> str:  # asked for every link the page has
        return self.path.rsplit("/", 1)[0] if "/" in self.path else ""

    @cached_property
    def lines(self) -> list[str]:  # cached_property works on frozen dataclasses: it writes __dict__
        return split_lines(self.text)

    @cached_property
    def line_count(self) -> int:
        """Lines, without keeping the list: checks over every page need only the count."""
        return len(self.__dict__["lines"]) if "lines" in self.__dict__ else len(split_lines(self.text))

    @cached_property
    def sections(self) -> tuple[Section, ...]:
        """The text before the first heading (if any), then one section per heading."""
        total = max(self.line_count, 1)
        headings = self.headings
        found = []
        first = headings[0].line if headings else total + 1
        if first > self.frontmatter_end + 1:
            found.append(Section(None, self.frontmatter_end + 1, first - 1))
        for index, heading in enumerate(headings):
            end = total
            for later in headings[index + 1 :]:
                if later.level <= heading.level:
                    end = later.line - 1
                    break
            found.append(Section(heading, heading.line, end))
        return tuple(found)

    @cached_property
    def generated_lines(self) -> frozenset[int]:
        """Lines inside kbsleep fences: text a pass derived from the page, not a source of facts."""
        return frozenset(n for fence in self.fences for n in range(fence.start, fence.end + 1))

    def outside_fences(self) -> str:
        """The page without the lines of kbsleep's own sections: what the page itself says, as a
        model is shown it (frontmatter included), ending in one newline."""
        inside = self.generated_lines
        return "\n".join(line for n, line in enumerate(self.lines, 1) if n not in inside).strip("\n") + "\n"

    def line_text(self, line: int) -> str:
        lines = self.lines
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def written(self, link: Link) -> Wikilink | None:
        """A wikilink or embed of this page as its file holds it (`[[T\\|x]]` in a table cell,
        whose `link.raw` is `[[T|x]]`), the span a writer replaces; None when its line holds no
        such link at its column."""
        found = wikilink_at(self.line_text(link.line), link.column - 1) if link.kind != "markdown" else None
        if found is None:
            return None
        # (A table drops the one backslash before each `|` of a row: see `format_wikilink`.)
        return found if (found.raw.replace("\\|", "|") if link.in_table else found.raw) == link.raw else None

    def section_text(self, section: Section) -> str:
        return "\n".join(self.lines[section.start - 1 : section.end])

    def section_at(self, line: int) -> Section | None:
        """The innermost section containing `line`."""
        best = None
        for section in self.sections:
            if section.start <= line <= section.end and (best is None or section.start >= best.start):
                best = section
        return best

    def to_row(self) -> tuple[Any, ...]:
        """The page as plain builtins (no text), for the parse cache."""
        stored = self.__dict__.get("_stored")
        if stored is not None:  # a page of the base cache: its row as stored
            return stored[0].row(stored[1], (self.path, self.blob))
        row = []
        for name in _FIELD_NAMES:
            if name == "text":
                row.append("")
            elif name in _PACKED:
                packed = self.__dict__.get(_PACKED[name])  # still packed: as it came from the cache
                row.append(packed if packed is not None else marshal.dumps(tuple(map(tuple, getattr(self, name)))))
            elif name in _RECORD_TYPES:
                row.append(tuple(map(tuple, getattr(self, name))))
            else:
                row.append(getattr(self, name))
        return tuple(row)

    @classmethod
    def from_row(cls, row: tuple[Any, ...], text: str | Callable[[], str]) -> Page:
        """A page from its cache row, with its text, or a function that reads it when first used."""
        values = dict(zip(ROW_KEYS, row))  # packed fields land under their `_packed_` names
        del values["text"]
        values["_read_text" if callable(text) else "text"] = text
        for name, make in _EAGER_MAKERS:
            values[name] = tuple(map(make, values[name]))  # no Python frame per record
        # The row is this class's own output, so skip the frozen __init__, which sets each of
        # the 19 fields through object.__setattr__: a third of a warm load's page building.
        page = object.__new__(cls)
        page.__dict__.update(values)
        return page

    @classmethod
    def from_store(cls, store: Any) -> Callable[[int, str, str, str | Callable[[], str]], Page]:
        """What makes the pages of the base parse cache (`cache.Columns`), from a page's place
        in it, path, blob and text: the fields every run reads of every page are set now, the
        rest read from the store's columns when first used. (Made for all pages of a load at
        once: a warm load makes 10k.)"""
        across, names, new, make_claims = store.across(EAGER_COLUMNS), EAGER_COLUMNS, object.__new__, _MAKE["claims"]

        def page(index: int, path: str, blob: str, text: str | Callable[[], str]) -> Page:
            made = new(cls)
            values = made.__dict__
            values.update(zip(names, across[index]))
            values["path"], values["blob"], values["_stored"] = path, blob, (store, index)
            values["_read_text" if callable(text) else "text"] = text
            if values["claims"]:  # the one record field made now: contradicting-claims reads every page's
                values["claims"] = tuple(map(make_claims, values["claims"]))
            return made

        return page

    def __getattr__(self, name: str) -> Any:
        """A packed record field of a cached page, unpacked on first use (see `_PACKED`), a
        field of a page of the base cache, read from its column on first use, or the text of
        a cached page, read on first use."""
        values = self.__dict__
        if name == "text" and "_read_text" in values:
            # The reader goes only once it has read: a page that changed on disk since the
            # load raises its clear error on every read, not an AttributeError after the first.
            text = values["text"] = values["_read_text"]()
            del values["_read_text"]
            return text
        packed = values.pop(_PACKED.get(name, " "), None)
        if packed is None and name in _STORED and "_stored" in values:
            store, index = values["_stored"]
            raw = store.value(_STORED[name], index)
            try:
                value = tuple(map(_MAKE[name], marshal.loads(raw) if name in _PACKED else raw)) if name in _MAKE else raw
            except Exception as exc:  # noqa: BLE001 - what the store holds is not what it wrote
                raise store.damaged(exc) from exc
            values[name] = value
            return value
        if packed is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        value = values[name] = tuple(map(_MAKE[name], marshal.loads(packed)))
        return value


_FIELD_NAMES = tuple(Page.__dataclass_fields__)
_RECORD_TYPES = dict(_RECORDS)
_MAKERS = tuple((name, partial(tuple.__new__, record)) for name, record in _RECORDS)
_MAKE = dict(_MAKERS)
# Record fields a cache row keeps as one marshal string each, unpacked when first read: most
# commands never read most pages' prose blocks, facts or headings, and a warm load of 10k pages
# would otherwise build (and free again) a third of a million records nobody looks at. Links
# too: a warm load takes their outcomes from the link cache and builds a page's resolved links
# only when they are read (see wiki/graph.py).
_PACKED = {name: f"_packed_{name}" for name in ("headings", "links", "fields", "blocks", "comments", "fences")}
ROW_KEYS = tuple(_PACKED.get(name, name) for name in _FIELD_NAMES)
_EAGER_MAKERS = tuple((name, make) for name, make in _MAKERS if name not in _PACKED)
# The fields a page of the base cache gets when it is made: the names every load reads of every
# page, and the fields with defaults (which the class would otherwise answer with); the rest are
# read from their column when first used.
_DEFAULTED = tuple(name for name, spec in Page.__dataclass_fields__.items() if spec.default is not dataclasses.MISSING)
EAGER_COLUMNS = ("title", "aliases", "claims", *_DEFAULTED)
_STORED = {name: key for name, key in zip(_FIELD_NAMES, ROW_KEYS) if name not in ("path", "blob", "text", *EAGER_COLUMNS)}
