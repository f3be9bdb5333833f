"""The pieces of a section an answer can be: sentences, list items, table rows and `Key: value` lines.

A list item stands alone ("Select **Upload** to submit"), and an item of a numbered list is a
step of the procedure its list describes; a table row is read with its header ("Tier: VIP;
Price: $100"); a frontmatter or `Key: value` line is a fact. Code blocks are no answer text, and
neither is a paragraph repeating a line of a code block above it (it shows what the code renders).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from kbsleep.search.blocks import HTML_TAG, MARKDOWN_LINK, QUOTE, TABLE_RULE, code_blocks, plain, split_block, table_cells, walk
from kbsleep.wiki.markers import TAG
from kbsleep.wiki.properties import timestamp_key
from kbsleep.wiki.wikilink import code_spans, replace_wikilinks, wikilink_at, wikilinks, without_embeds

CALLOUT = re.compile(r"^\[!([\w-]+)(?:\|[^\]\n]*)?\][+-]?\s*")  # `[!infobox|right wide]`: a type, then its metadata
_ITEM = re.compile(r"^(\s*)([-*+]|(\d{1,9})[.)])\s+(\[[ xX]\]\s+)?")
_FIELD = re.compile(r"^\s*([\w][\w .-]{0,40}?)\s*::?\s+(\S.*)$")
_BOLD_KEY = re.compile(r"^(?:\*\*|__)([^*_:]{1,40}?)(?::(?:\*\*|__)|(?:\*\*|__):)")
_IMAGE = re.compile(r"^!\[[^\]]*\]\([^)]*\)$")
# Frontmatter keys that describe the file, not its subject: never an answer.
META_KEYS = frozenset("permalink aliases alias tags tag cssclass cssclasses publish draft layout id uid created modified updated date mobile banner cover image confidence related fetched retrieved accessed original_url".split())
_INLINE_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")  # icons and images: no words of the answer
_CAPTION = re.compile(r"[ \t]*(?:_[^_\n]+_|\*[^*\n]+\*)")  # a caption in italics, right after an image
_HUNG = re.compile(r"[ \t]+([.,;:!?])(?=\s|$)")  # punctuation after an icon no longer shown
_IMAGE_CAPTIONED = re.compile(f"({_INLINE_IMAGE.pattern})" + _CAPTION.pattern)
_HEADING = re.compile(r"^#{1,6}(?:\s|$)")  # "#placeholder/description" alone on a line is a tag, not a heading
_CLOSING = " \t\"'\u201d\u2019)]*_"  # what may close a question quoted or emphasised: `"What is X?"`, `**Why?**`


def asks(text: str) -> bool:
    """Whether `text` is a question, quoted or emphasised ("Why does 2PC block?" in an exam
    prompt's quotes asks it; it answers nothing)."""
    return text.rstrip(_CLOSING).endswith("?")


@dataclass(frozen=True)
class Unit:
    source: str  # the passage's id, "Page#Section"
    text: str  # plain text, as quoted in an answer
    kind: str  # "sentence", "item", "step" (an item of a numbered list), "row", "field"
    order: int  # position among the passage's units
    block: int  # the paragraph, list or table it belongs to (a list's items share it)
    lead: str = ""  # what introduces it: the sentence before a list, a table's header
    bare: bool = False  # a list item that is only links ("- [[Kerberos SSO Process]]"): it names, it states nothing
    links: tuple[str, ...] = ()  # the pages a list item points to, casefolded file names: its links when it opens with one, and the link item it is nested under
    parent: int | None = None  # the order of the list item a nested item is nested under ("Windows: Recommended locations:" over "1. `D:\\`")


def units(source: str, text: str) -> list[Unit]:
    """The answer units of one passage's Markdown, in order."""
    found: list[Unit] = []
    block = 0
    lead = ""
    header: list[str] | None = None
    paragraph: list[str] = []
    item: list[str] = []
    item_kind = "item"
    item_lead = ""
    asking = ""  # a paragraph that ended asking a question: the next one answers it
    asked_item: tuple[int, str] | None = None  # a list item asking a question, and its indent: the items nested under it answer it
    linked_item: tuple[int, tuple[str, ...]] | None = None  # a list item that is only links, and its indent: the items nested under it describe those pages
    item_indent = 0
    open_items: list[tuple[int, int | None]] = []  # the items of the list that the next item may be nested under: their indent, their unit's order
    item_parent: int | None = None

    def add(text: str, kind: str, lead_text: str = "", under: tuple[str, ...] = (), parent: int | None = None) -> None:
        text_shown = quoted(text)
        if kind in ("field", "row") and ": " in text_shown and not any(ch.isalnum() for ch in text_shown.partition(": ")[2]):
            return  # "Class: -", "species: —": a blank the template left, no value
        if text_shown and any(ch.isalnum() for ch in text_shown) and not _IMAGE.match(text.strip()):  # (a sole embed leaves no `shown`)
            listed = kind in ("item", "step")
            points = _targets(text) if listed and wikilink_at(text.lstrip(), 0) is not None else ()  # "- [[Filename Dates]] for how to ..."
            found.append(Unit(source, text_shown, kind, len(found), block, lead_text, listed and _chrome(text), tuple(dict.fromkeys([*points, *under])), parent))

    def flush_paragraph() -> None:
        nonlocal lead, block, inner, asking
        if inner:
            # a paragraph inside a list item (indented after a blank line): the list goes on, with its lead
            for sentence in split_block(quoted(" ".join(paragraph))):
                if any(ch.isalnum() for ch in sentence):
                    found.append(Unit(source, sentence, "sentence", len(found), block))
            paragraph.clear()
            inner = False
        if len(paragraph) > 1 and all(is_field(line) for line in paragraph):
            # "Designed by: [[kepano]]" over "Modes: dark, light": Obsidian shows each line on its own
            # (strict line breaks are off by default), and each is a fact
            block += 1
            for line in paragraph:
                add(line.replace("::", ":"), "field")
            lead = ""
            paragraph.clear()
        if paragraph and _chrome(" ".join(paragraph)):
            paragraph.clear()  # "#placeholder/description", "[Edit In GitHub](...) | [Copy this note](...)": no statement
        if paragraph:
            block += 1
            sentences = split_block(quoted(" ".join(paragraph)))
            # an FAQ's answer is read with its question ("**Will I lose my data?** No, it is kept
            # for 30 days."), in its paragraph or the one before: the question is its lead
            asked, asking_before = asking, False
            for sentence in sentences:
                question = sentence.rstrip().endswith("?")
                if question:
                    asked = f"{asked} {sentence}" if asking_before else sentence
                if any(ch.isalnum() for ch in sentence) and sentence.casefold() not in rendered:
                    found.append(Unit(source, sentence, "sentence", len(found), block, "" if question else asked))
                asking_before = question
            asking = asked if asking_before else ""
            lead = sentences[-1] if sentences else ""
            paragraph.clear()

    def flush_item() -> None:
        if item:
            added = len(found)
            add(" ".join(item), item_kind, item_lead, linked_item[1] if linked_item is not None and item_indent > linked_item[0] else (), item_parent)
            open_items[-1] = (open_items[-1][0], added if len(found) > added else None)  # (an item showing nothing is no unit: its nested items have no parent)
            item.clear()

    front, body = walk(text)
    codes = iter(code_blocks(text))
    rendered: set[str] = set()  # the lines of the code blocks so far, as shown: a paragraph repeating one shows what the code renders
    in_code = after_heading = False
    if front is not None:  # frontmatter: its `key: value` lines are facts
        block += 1
        for line in front:
            match = _FIELD.match(line)
            if match and not line.startswith((" ", "\t")) and match.group(2).strip() not in ("[]", "|", ">") and match.group(1).strip().casefold() not in META_KEYS and not timestamp_key(match.group(1)):
                value = match.group(2).strip().strip(chr(34))
                if not (match.group(1).strip().casefold() in ("name", "title") and _names_page(value, source)):  # "name: Toodle" on Toodle's page states nothing
                    add(f"{match.group(1)}: {value}", "field")
    in_list = gap = inner = False  # in a list; a blank line since its last line; a paragraph inside an item
    for walked in body:
        if walked is None:  # a code block starts or ends
            flush_paragraph()
            flush_item()
            if not in_code:
                code = next(codes, [])
                _with_example(found, code, after_heading)
                shown = [plain(line).strip().casefold() for line in code if line.strip()]
                rendered.update(line for line in [*shown, " ".join(shown)] if len(line.split()) >= 3)  # "line one line two" renders two lines
            in_code = not in_code
            continue
        line, stripped = walked
        callout = CALLOUT.match(stripped)
        if callout:  # a callout's title is a line of its own: "> [!info]+ Info" names the box, its text starts below
            flush_paragraph()
            flush_item()
            in_list = gap = inner = False
            title = stripped[callout.end() :].strip()
            if title and title.casefold() != callout.group(1).casefold():
                paragraph.append(title)
                flush_paragraph()
            continue
        if not stripped:
            flush_paragraph()
            flush_item()
            gap, header = in_list, None  # a blank line ends a list only if what follows is not in it (a loose list)
            continue
        if header is not None and TABLE_RULE.match(stripped):
            continue  # the rule under a table's header
        if _HEADING.match(stripped):
            flush_paragraph()
            flush_item()
            # "### How long do you keep my data?": an FAQ's question as a heading; the paragraph under it answers it
            in_list, header, lead, asked_item, linked_item = False, None, plain(stripped), None, None
            asking = lead if asks(lead) else ""
            after_heading = True
            continue
        after_heading = False
        if stripped.startswith("|"):
            flush_paragraph()
            flush_item()
            asking = ""
            cells = table_cells(stripped)
            if header is None:
                header = cells
                block += 1
                continue
            add(_row(header, cells), "row", " | ".join(header))
            continue
        header = None
        match = _ITEM.match(stripped)
        if match:
            flush_paragraph()
            flush_item()
            asking = ""
            if not in_list:
                block += 1
                in_list, asked_item, linked_item = True, None, None
                open_items.clear()
            gap = inner = False
            item_kind = "step" if match.group(3) else "item"
            item.append(stripped[match.end() :])
            # "- How to suspend it?" over "    - Ctrl+Z": a nested item answers the item asking
            # above it, as an FAQ's paragraph answers its question (notes taken as questions)
            indent = _indent(line)
            while open_items and open_items[-1][0] >= indent:
                open_items.pop()
            item_parent = open_items[-1][1] if open_items else None
            open_items.append((indent, None))
            if asked_item is not None and indent <= asked_item[0]:
                asked_item = None
            item_lead = asked_item[1] if asked_item is not None else lead
            if asks(item[0]):
                asked_item = (indent, quoted(item[0]))
            # "- [[Line Continuations]]" over "    - Break long instructions up ...": the nested item describes the linked page
            item_indent = indent
            if linked_item is not None and indent <= linked_item[0]:
                linked_item = None
            if _chrome(item[0]) and _targets(item[0]):
                linked_item = (indent, _targets(item[0]))
            continue
        indented = line[:1] in (" ", "\t") or QUOTE.sub("", line)[:1] in (" ", "\t")  # (a quote inside an item: "   > text")
        if in_list and item and indented and not gap:
            item.append(stripped)  # a continuation line of the item
            continue
        if in_list and indented and (gap or inner):
            # "1. Copy this:\n\n   The hash symbol ...\n\n2. Select ...": a paragraph of the item
            flush_item()
            inner, gap = True, False
            paragraph.append(stripped)
            continue
        if inner:
            flush_paragraph()
        flush_item()
        in_list = gap = inner = False
        asked_item = linked_item = None
        if not paragraph and ("::" in stripped or stripped.startswith(("**", "__"))) and is_field(stripped):
            add(stripped.replace("::", ":"), "field")
            continue
        paragraph.append(stripped)
    flush_paragraph()
    flush_item()
    return found


EXAMPLE_LINES = 3  # a code block this short that a sentence ending in ":" introduces ...
EXAMPLE_CHARS = 160  # ... and no longer than this is part of that sentence


def example(code: list[str]) -> str | None:
    """A short code block as a sentence quotes it, in code spans: one line as it is; a properties
    block as its properties (`permalink: about`, not "--- permalink: about ---"); two or three
    commands (`chmod u+x X`, `./X`) or `key: value` lines each in a span of its own; other lines
    as one span, as a paragraph's lines read. A block shaped by its lines (a list, a table, a
    quote, nesting, a template's logic) would read as something else on one line: none."""
    lines = [line.strip() for line in code if line.strip()]
    if len(lines) > 2 and lines[0] == lines[-1] == "---":
        lines = lines[1:-1]  # a note's properties as written at its top
    if not lines or len(lines) > EXAMPLE_LINES or len(" ".join(lines)) > EXAMPLE_CHARS or any("`" in line for line in lines):
        return None
    if len(lines) == 1:
        return f"`{lines[0]}`"
    indents = {len(line) - len(line.lstrip()) for line in code if line.strip()}
    if len(indents) > 1 or any(_SHAPED.match(line) or "|" in line and TABLE_RULE.match(line) for line in lines):
        return None  # (lines nested by indentation, as YAML's and a program's are, are shaped too)
    if all(command_line([line]) or is_field(line) for line in lines):
        return ", ".join(f"`{' '.join(line.split())}`" for line in lines)  # (columns aligned by spaces read as one space)
    return f"`{' '.join(lines)}`"


# a line that is Markdown's structure, not text: a list item, a table row, a quote or a callout's
# title line, a rule, a template's logic ("{% if author %}")
_SHAPED = re.compile(r"^(?:[-*+] |\d+[.)] |\||>|\[!\w|---|\{%)")


def _with_example(found: list[Unit], code: list[str], after_heading: bool) -> None:
    """"To embed a PDF:" followed by a short code block becomes "To embed a PDF: `![[Document.pdf]]`":
    the example is the answer, and the sentence alone says nothing. A block of one command
    (`command_line`) is what the sentence before it says to run, whatever its ending: "Check
    whether a newer version is available." then `foam update`."""
    shown = example(code)
    if after_heading or not found or shown is None:
        return
    last = found[-1]
    announced = last.text.endswith(":") or (command_line(code) and not last.text.endswith("?"))  # ("Did it work?" asks; a question answers nothing)
    if last.kind in ("sentence", "item", "step") and announced and not last.text.endswith("`"):
        found[-1] = dataclasses.replace(last, text=f"{last.text} {shown}")


# a program's name, then its arguments: `foam update`, `$ npm install -g foam-cli`, or a program
# in this folder, run as it is (`./Obsidian.AppImage --no-sandbox`); never Markdown ("# A note",
# "[[link]]"), a `key: value` line or a program's text
_ARGUMENT = r"[^\s:(){};=][^\s(){};]*"
_COMMAND = re.compile(rf"^(?:\$ )?(?:\./[^\s/]+(?: +{_ARGUMENT})*|[a-z][\w.-]*(?: +{_ARGUMENT})+)$")


def command_line(code: list[str]) -> bool:
    """Whether a code block is one command line (a program and its arguments)."""
    lines = [line.strip() for line in code if line.strip()]
    return len(lines) == 1 and _COMMAND.match(lines[0]) is not None


def quoted(text: str, unescape: bool = True) -> str:
    """A unit's text as an answer quotes it: no images or icons, nor the caption in italics an
    image carries ("![[zipf.png | 750]] _Zipf's law for Reuters RCV1_" names a figure, it states nothing).
    An image written in a code span is text, shown as written ("Use `![alt](photo.png)`")."""
    bare = without_embeds(uncaptioned(text))
    code = code_spans(bare)
    bare = _INLINE_IMAGE.sub(lambda found: found.group(0) if any(a <= found.start() < b for a, b in code) else "", bare)
    return _HUNG.sub(r"\1", plain(bare, unescape)) if bare != text else plain(bare, unescape)  # "select More options ![[more.svg#icon]]."


def uncaptioned(text: str) -> str:
    """`text` without the captions in italics its images carry (the images stay)."""
    if "![" not in text:
        return text
    text = _IMAGE_CAPTIONED.sub(r"\1", text)
    cuts = [found.span() for link in wikilinks(text) if link.embed and (found := _CAPTION.match(text, link.end))]
    for start, end in reversed(cuts):
        text = text[:start] + text[end:]
    return text


def _targets(text: str) -> tuple[str, ...]:
    """The pages `text` links to (not embeds, nor its own headings), as casefolded file names:
    Obsidian resolves `[[Folder/Note]]` and `[[Note]]` by the file's name."""
    return tuple(dict.fromkeys(link.target.rsplit("/", 1)[-1].removesuffix(".md").casefold() for link in wikilinks(text) if link.target and not link.embed))


def _indent(line: str) -> int:
    """How far a line is indented, inside its quote or callout (`>     - nested`), tabs as four spaces."""
    unquoted = QUOTE.sub("", line).expandtabs(4)
    return len(unquoted) - len(unquoted.lstrip())


def _names_page(value: str, source: str) -> bool:
    """Whether a frontmatter value is only the name of the page it is on (`source` is "Page#Section")."""
    page = source.partition("#")[0].rsplit("/", 1)[-1]
    return plain(value).casefold() == page.casefold()


def _chrome(text: str) -> bool:
    """Whether a paragraph is only tags, or only links with separators between them: a page's
    navigation or its labels ("Edit In GitHub | Copy this note"), nothing it states."""
    rest = TAG.sub(" ", replace_wikilinks(HTML_TAG.sub(" ", MARKDOWN_LINK.sub(" ", text)), lambda link: " "))
    return not any(ch.isalnum() for ch in rest)


def _unbolded(line: str) -> str:
    """`**Lead:** x` and `**Lead**: x` as `Lead: x`: a label in bold is still a label."""
    return _BOLD_KEY.sub(r"\1:", line, count=1)


def field_parts(line: str) -> tuple[str, str] | None:
    """The key and the value of a `Key: value` line (`is_field`), its bold marks dropped."""
    match = _FIELD.match(_unbolded(line)) if is_field(line) else None
    return (match.group(1).strip(), match.group(2).strip()) if match else None


def is_field(line: str) -> bool:
    """A `Key: value` line: a short label, a colon, a value (not a sentence that has a colon)."""
    match = _FIELD.match(_unbolded(line))
    if match is None or len(plain(line)) >= 160 or len(match.group(1).split()) > 4:  # (a link's address is not shown)
        return False
    value = plain(match.group(2))
    return not (value.endswith((".", "!", "?")) and len(value.split()) > 8)  # "**Note:** a sentence ..." is a sentence


def _row(header: list[str], cells: list[str]) -> str:
    """A table row as text: "Header: cell; Header: cell", or "a: b" for a two-column table."""
    named = [(h, c) for h, c in zip(header, cells) if any(ch.isalnum() for ch in quoted(c))]  # ("-": a blank cell)
    if len(header) == 2 and len(cells) >= 2:
        return f"{cells[0]}: {cells[1]}" if cells[0] else cells[1]
    return "; ".join(f"{h}: {c}" if h else c for h, c in named)
