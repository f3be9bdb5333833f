"""Bytes -> Page: decode, parse once with markdown-it-py, fold the tokens into a Page record.

Bad input never raises: every defect becomes a `Problem` on the page and the rest still loads.
"""

from __future__ import annotations

import datetime
import re
from functools import cached_property
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Iterator
from urllib.parse import unquote

from kbsleep.wiki.claims import claim_sentences, stated_numbers
from kbsleep.wiki.content import BINARY_SNIFF, blob_id, decode_text
from kbsleep.wiki.fields import line_fields, on_task
from kbsleep.wiki.frontmatter import problem_of, read_frontmatter
from kbsleep.wiki.markers import BLOCK_ID, LIST_ITEM, TAG, comment_ranges, fence_marker, github_slug
from kbsleep.wiki.plain import CELL_LEVEL, COMMENT, WIKILINK, plain_page
from kbsleep.wiki.positions import Columns, Where
from kbsleep.wiki.properties import heading_title, plain_mapping, strings_in, texts, title_text
from kbsleep.wiki.texmath import MATH_BLOCK
from kbsleep.wiki.wikilink import wikilinks
from kbsleep.wiki.page import (
    Comment,
    Fence,
    Field,
    Heading,
    Link,
    Page,
    Problem,
    TextBlock,
    emptiness,
    normalize_key,
    split_lines,
)

if TYPE_CHECKING:
    from kbsleep.wiki.plain import Token

SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_HTML_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_LEVEL = attrgetter("level")
# The token kinds `_walk` reads besides "inline".
_FOLDED = frozenset({"heading_open", "front_matter", "html_block", COMMENT, MATH_BLOCK})
_CELL_OPENS = frozenset({"th_open", "td_open"})  # markdown-it's: the inline token next is a table cell's


def parse_page(path: str, data: bytes, *, max_bytes: int = 5_000_000, blob: str | None = None) -> Page:
    """Parse the bytes of one `.md` file (whose git blob id is `blob`, when the caller knows
    it); never raises on bad content."""
    blob, size = blob or blob_id(data), len(data)
    stem = path.rsplit("/", 1)[-1][:-3]
    if b"\0" in data[:BINARY_SNIFF]:
        return _unparsed(path, "", blob, size, Problem("binary-page", "file holds binary data (NUL bytes), not Markdown text"))
    if size > max_bytes:
        message = f"page is {size:,} bytes, over the {max_bytes:,}-byte limit (`max-page-bytes`); not parsed"
        return _unparsed(path, decode_text(data), blob, size, Problem("unparsed-page", message))
    problems: list[Problem] = []
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = decode_text(data)
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(Problem("encoding-error", f"invalid UTF-8 (byte 0x{data[exc.start]:02x}); read with replacement characters", line, column))
    return _Folder(path, stem, text, blob, size, problems).page()


def _unparsed(path: str, text: str, blob: str, size: int, problem: Problem) -> Page:
    stem = path.rsplit("/", 1)[-1][:-3]
    return Page(
        path=path, text=text, blob=blob, frontmatter={}, title=stem, aliases=(), tags=(),
        headings=(), block_ids={}, links=(), fields=(), blocks=(), claims=(), comments=(),
        fences=(), problems=(problem,), parsed=False, size=size,
    )  # fmt: skip


class _Folder:
    """Walks the token stream of one page once and collects everything a Page records."""

    def __init__(self, path: str, stem: str, text: str, blob: str, size: int, problems: list[Problem]) -> None:
        self.path, self.stem, self.text, self.blob, self.size = path, stem, text, blob, size
        self.problems = problems
        # `split_lines` is a regex split; without a carriage return a plain split is the same.
        self.lines = split_lines(text) if "\r" in text else text.split("\n")
        if self.lines and self.lines[-1] == "":
            self.lines.pop()
        self.frontmatter: dict[str, Any] = {}
        self.frontmatter_end = 0
        self.headings: list[Heading] = []
        self.block_ids: dict[str, int] = {}
        self.links: list[Link] = []
        self.fields: list[Field] = []
        self.blocks: list[TextBlock] = []
        self.comments: list[Comment] = []
        self.inline_tags: list[str] = []
        self._column = Columns(self.lines)

    def page(self) -> Page:
        tokens: list[Any] | None = plain_page(self.text)
        plain = tokens is not None
        if not plain:
            from kbsleep.wiki.markdown import parse, parser  # markdown-it, for a page that is not plain

            try:
                tokens = parse(self.text)
            except RecursionError:
                self.problems.append(Problem("unparsed-page", "nesting is too deep to parse; page skipped"))
                return _unparsed(self.path, self.text, self.blob, self.size, self.problems[-1])
        self._walk(tokens, CELL_LEVEL if plain else -1)
        if not plain:
            limit = parser().options.maxNesting
            if tokens and max(map(_LEVEL, tokens)) >= limit - 1:
                message = f"nesting deeper than {limit} levels: the content below that depth is not parsed"
                self.problems.append(Problem("unparsed-page", message))
        if not self.frontmatter_end and self.text.startswith("---") and self.lines and self.lines[0].rstrip() == "---":
            self.problems.append(Problem("frontmatter-invalid", "frontmatter is not terminated: no closing `---` line"))
        title = self._title()
        aliases, tags = self._strings("aliases", "alias"), self._strings("tags", "tag")
        self._strings("cssclasses", "cssclass")  # (not kept: read for its type mismatch)
        fences = tuple(self._fences())
        headings = self._slugged()
        comments = tuple(self.comments)
        empty, empty_sections = emptiness(self.lines, headings, comments, self.frontmatter_end)
        return Page(
            path=self.path,
            text=self.text,
            blob=self.blob,
            frontmatter=self.frontmatter,
            title=title,
            aliases=aliases,
            tags=tuple(dict.fromkeys([*tags, *self.inline_tags])),
            headings=headings,
            block_ids=self.block_ids,
            links=tuple(self.links),
            fields=tuple(self.fields),
            blocks=tuple(self.blocks),
            claims=claim_sentences(self.text, self.blocks, self.fields, fences),
            comments=comments,
            fences=fences,
            problems=tuple(self.problems),
            frontmatter_end=self.frontmatter_end,
            size=self.size,
            empty=empty,
            empty_sections=empty_sections,
            numbers=stated_numbers(self.fields),
        )

    # -- token walk -------------------------------------------------------------------------

    def _walk(self, tokens: list[Token], cell_level: int) -> None:
        """`cell_level`: the level of every table cell's inline token and of no other (a plain
        page's, which has no `td_open` tokens); -1 for markdown-it's tokens."""
        heading_level = 0
        cell = False  # the token before opens a table cell
        for token in tokens:
            kind = token.type
            if kind == "inline":  # the most frequent kind first; most of the rest are skipped
                line = token.map[0] + 1 if token.map else 1
                if heading_level:
                    self._heading(heading_level, token.content, line)
                    heading_level = 0
                self._inline(token, line, cell or token.level == cell_level)
            elif kind not in _FOLDED:
                cell = kind in _CELL_OPENS
                continue
            elif kind == "heading_open":
                heading_level = int(token.tag[1])
            elif kind == "front_matter":
                self._frontmatter(token)
            elif kind == "html_block":
                self._html_comments(token.content, token.map[0] + 1 if token.map else 1)
            elif kind == COMMENT and token.map:
                self._comment(token.content.strip().removeprefix("%%").removesuffix("%%"), token.map[0] + 1, token.map[1])
                if "[[" in token.content:
                    self._comment_links(token.content, token.map[0] + 1, comment_ranges(token.content))
            elif kind == MATH_BLOCK and token.map:
                self._math_block(token.content, token.map[0] + 1, token.map[1])

    def _math_block(self, content: str, first: int, last: int) -> None:
        """A math block is text a reader sees, as a paragraph's (prose, claims and the blocks
        `ask` reads keep it as they did when it was read as one), with no links, tags or
        facts; and a block id after its closing `$$`, on its line (`$$ ^eq-1`)."""
        self.blocks.append(TextBlock(first, content.strip()))
        tail = content.rstrip("\n").rsplit("\n", 1)[-1]  # its closing line, as a paragraph's last
        if "^" in tail.rsplit("$$", 1)[-1]:
            block = BLOCK_ID.search(tail)
            if block:
                self.block_ids.setdefault(block.group(1), last)

    def _frontmatter(self, token: Token) -> None:
        self.frontmatter_end = token.map[1] if token.map else 0
        try:
            data, empty_items = read_frontmatter(token.content)
            plain = plain_mapping(data) if isinstance(data, dict) else None
        except RecursionError:  # deep nesting, or an alias inside the value it names
            self.problems.append(Problem("frontmatter-invalid", "frontmatter nests too deeply"))
            return
        except Exception as exc:  # noqa: BLE001 - PyYAML's errors, and values no constructor can make
            self.problems.append(Problem("frontmatter-invalid", *problem_of(exc, token.content)))
            return
        if data is None:
            return
        if plain is None:
            self.problems.append(Problem("frontmatter-invalid", f"frontmatter must be a mapping of keys to values, not a {type(data).__name__}", 2))
            return
        for line, column in empty_items:
            comment = self.lines[line + 1][column + 1 :].strip() if line + 1 < len(self.lines) else ""
            said = f" (`{comment}` is a YAML comment)" if comment.startswith("#") else ""
            self.problems.append(Problem("empty-property-item", f"empty list item{said}", line + 2, column + 1))
        self.frontmatter = plain
        for key, value in self.frontmatter.items():
            line = self._frontmatter_line(key)
            for text in strings_in(value):
                if "[[" not in text:
                    continue  # (most values)
                for link in wikilinks(text):
                    raw = link.raw[link.embed :]  # (a property's `![[x]]` is a link from its `[[`)
                    self.links.append(Link("wikilink", link.target, link.anchor, link.display, line, self._column(line, raw), raw, in_frontmatter=True))
            if isinstance(value, (str, int, float, datetime.date)) and not isinstance(value, bool):
                self.fields.append(Field(normalize_key(key), str(value), line, "frontmatter"))

    def _frontmatter_line(self, key: str) -> int:
        """The first front matter line that starts with `key:` (quoted or not); 1 if none does."""
        if ":" in key:
            prefixes = (f"{key}:", f'"{key}":', f"'{key}':")
            return next((n for n in range(2, self.frontmatter_end) if self.lines[n - 1].startswith(prefixes)), 1)
        first = self._key_lines
        found = [first[head] for head in (key, f'"{key}"', f"'{key}'") if head in first]
        return min(found) if found else 1

    @cached_property
    def _key_lines(self) -> dict[str, int]:
        """Each front matter line's text before its first colon, to the first line it starts."""
        first: dict[str, int] = {}
        for number in range(2, self.frontmatter_end):
            line = self.lines[number - 1]
            if ":" in line:
                first.setdefault(line[: line.index(":")], number)
        return first

    def _heading(self, level: int, text: str, line: int) -> None:
        self.headings.append(Heading(level, text.strip(), line, ""))

    def _inline(self, token: Token, line: int, in_table: bool) -> None:
        content = token.content
        self.blocks.append(TextBlock(line, content))
        if "^" in content:
            self._block_id(content, line)
        if "::" in content or "**" in content:  # cheap test first: most blocks hold no facts
            task = "::" in content and 0 < line <= len(self.lines) and on_task(content, self.lines[line - 1])
            for offset, text in enumerate(content.split("\n")):
                found = line_fields(text, line + offset)
                self.fields.extend([f._replace(task=True) if f.kind == "inline" else f for f in found] if task else found)
        if token.children is None:  # left unparsed as plain text: its text is its content
            if "#" in content:
                self.inline_tags.extend(TAG.findall(content))
            return
        where = Where(content, line)  # children come in source order: one pass over the content
        for child in token.children:
            kind = child.type
            if kind == "text":  # the most frequent kind first
                if "#" in child.content:
                    self.inline_tags.extend(TAG.findall(child.content))
            elif kind == WIKILINK:
                meta = child.meta
                number, column = where(meta["pos"])
                raw = child.content  # (one line: a wikilink does not span lines)
                self.links.append(Link("embed" if meta["embed"] else "wikilink", meta["target"], meta["anchor"], meta["display"], number, self._column(number, raw, column), raw, False, in_table))
            elif kind in ("link_open", "image"):
                href = child.attrGet("href" if kind == "link_open" else "src") or ""
                self._markdown_link(where, child, str(href), in_table)
            elif kind == "html_inline":
                if "<!--" in child.content:
                    self._html_comments(child.content, where((child.meta or {}).get("pos", 0))[0])
            elif kind == COMMENT:
                first = where(child.meta["pos"])[0]
                self._comment(child.content, first, first + child.content.count("\n"))
                if "[[" in child.content:
                    self._comment_links(child.content, first, [(0, len(child.content))])

    def _block_id(self, content: str, line: int) -> None:
        """The block id that ends a block (its last line), or ends the first line of a list
        item: Obsidian help, "the block identifier can be placed directly on a bullet point",
        and Obsidian itself puts the ids it makes there when an indented line follows."""
        last = content.rfind("\n") + 1
        block = BLOCK_ID.search(content, last)
        if block:
            self.block_ids.setdefault(block.group(1), line + content.count("\n"))
        if last and 0 < line <= len(self.lines) and LIST_ITEM.match(self.lines[line - 1]):
            block = BLOCK_ID.search(content, 0, content.index("\n"))
            if block:
                self.block_ids.setdefault(block.group(1), line)

    def _markdown_link(self, where: Where, child: Token, href: str, in_table: bool) -> None:
        if not href or SCHEME.match(href):
            return  # external URLs (`https:`, `mailto:`, `obsidian:`, any scheme) are not wiki links
        # markdown-it gives the destination percent-encoded (`<My Note.md>` as `My%20Note.md`);
        # the path and the anchor are decoded each, as Obsidian decodes them.
        target, _, anchor = href.partition("#")
        target, anchor = unquote(target), unquote(anchor)
        meta = child.meta or {}
        pos = meta.get("pos", 0)
        # The link's own source (`markdown._positioned` records where it ends), not the rest of
        # its line: finding the rest of a long line for each of its links is quadratic.
        end = meta.get("end")
        if end is None:
            end = where.src.find("\n", pos) % (len(where.src) + 1)  # (to the end of its line)
        raw = where.src[pos:end].split("\n", 1)[0]
        number, column = where(pos)
        display = child.content if child.type == "image" else None
        self.links.append(Link("markdown", target, anchor, display, number, self._column(number, raw, column), href, False, in_table))

    def _html_comments(self, html: str, line: int) -> None:
        counted = 0  # `html` up to here is counted into `line`
        for match in _HTML_COMMENT.finditer(html):
            line += html.count("\n", counted, match.start())
            counted = match.start()
            self._comment(match.group(1), line, line + match.group(0).count("\n"))

    def _comment(self, text: str, line: int, end_line: int) -> None:
        self.comments.append(Comment(line, end_line, text.strip()))

    def _comment_links(self, text: str, line: int, hidden: list[tuple[int, int]]) -> None:
        """The wikilinks and embeds of a `%%` comment's `text` (from `line`): Obsidian's metadata cache
        keeps them (`in_comment`); those outside `hidden` (after a block comment's close) are shown."""
        for link in wikilinks(text):
            number, inside = line + text.count("\n", 0, link.start), any(start <= link.start < end for start, end in hidden)
            self.links.append(Link("embed" if link.embed else "wikilink", link.target, link.anchor, link.display, number, self._column(number, link.raw), link.raw, in_comment=inside))

    # -- derived ----------------------------------------------------------------------------

    def _title(self) -> str:
        value = self.frontmatter.get("title")
        title, mismatch = title_text(value, self._written("title") if isinstance(value, bool) else "")
        if mismatch:
            self.problems.append(Problem("property-type-mismatch", mismatch, self._frontmatter_line("title")))
        if title:
            return title
        return heading_title(self.headings, self.lines, self.frontmatter_end, self.stem) or self.stem

    def _strings(self, *keys: str) -> tuple[str, ...]:
        """The texts of the first of these list properties the page has (see `properties`)."""
        for key in keys:
            if key in self.frontmatter:
                return self._texts(key)
        return ()

    def _texts(self, key: str) -> tuple[str, ...]:
        value = self.frontmatter[key]
        found, mismatch = texts(key, value, self._written(key) if isinstance(value, bool) else "")
        if mismatch:
            line, column = self._frontmatter_line(key), 1
            if mismatch.item:  # the item's own line: the first below the key holding `item:`
                line = next((n for n in range(line + 1, self.frontmatter_end) if f"{mismatch.item}:" in self.lines[n - 1]), line)
                column = self.lines[line - 1].find(mismatch.item) + 1 or 1
            self.problems.append(Problem("property-type-mismatch", mismatch.message, line, column))
        return found

    def _written(self, key: str) -> str:
        """The text after `key:` on the line that gives it ("" when it is not there): a boolean's
        word, which PyYAML does not keep (see `properties`)."""
        line = self._frontmatter_line(key)
        text = self.lines[line - 1] if 1 < line <= len(self.lines) else ""
        return text.split(":", 1)[1].split(" #", 1)[0].strip() if ":" in text else ""

    def _slugged(self) -> tuple[Heading, ...]:
        """Headings with their GitHub slugs, de-duplicated as GitHub does (-1, -2, ...)."""
        seen: dict[str, int] = {}
        headings = []
        for heading in self.headings:
            slug = github_slug(heading.text)
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            headings.append(heading._replace(slug=f"{slug}-{count}" if count else slug))
        return tuple(headings)

    def _fences(self) -> Iterator[Fence]:
        """The kbsleep fences: an HTML comment alone on its line opens or closes one, so a
        comment the parser did not find (in a code block or code span, or in a `%%` comment)
        is no fence marker, nor is one sharing its line with other text. An opening comment
        with no closing one is no fence; a later opening of the same name replaces an earlier
        unclosed one, so a stray opening comment never makes the text after it a section."""
        open_: dict[str, tuple[int, dict[str, str]]] = {}
        for comment in self.comments:
            if comment.line != comment.end_line or not 0 < comment.line <= len(self.lines):
                continue
            marker = fence_marker(self.lines[comment.line - 1])
            if marker is None:
                continue
            closing, name, attrs = marker
            if not closing:
                open_[name] = (comment.line, attrs)
            elif name in open_:
                start, attrs = open_.pop(name)
                yield Fence(name, attrs, start, comment.line)
