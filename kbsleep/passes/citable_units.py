"""A page as the offline question generator reads it: the units one citation covers.

A passage (a page's text, named as a link would name it) is parsed with the project's parser
and cut at its headings: each section's own sentences, list items and table rows become one
`Unit`, cited `[[Page#Section]]`; the text above the first citable heading is cited `[[Page]]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kbsleep.llm.model import Passage
from kbsleep.search.blocks import FENCE, plain
from kbsleep.search.sentences import LIST_ITEM, split_sentences
from kbsleep.search.units import example, field_parts, uncaptioned
from kbsleep.wiki.page import Field, Page, normalize_key
from kbsleep.wiki.parse import parse_page
from kbsleep.wiki.wikilink import without_embeds

_BEFORE_STOP = re.compile(r"[^\S\n]+(?=[.,;:!?])")  # the blank an embed leaves before a stop (a no-break space too)
_REPLY = re.compile(r"^(?:\[![\w-]+\][+-]?\s*)?(?:yes|no|yep|nope)\b", re.IGNORECASE)
PERSON_TAGS = frozenset({"person", "people", "researcher", "staff"})
# "Cobalt is the data pipeline of ...": a subject, a copula, and what it is.
COPULA = re.compile(r"^(?P<subject>.{2,80}?)\s+(?P<verb>is|are|was|were)\s+(?P<rest>(?:a|an|the|one)\s.+)$")
# Words that judge a thing rather than say what it is, the superlatives that rank it and "the same ..." that points
# back: "Machine failure is the worse case", "Rollouts are the binding constraint", "Crashing is the safe move" are
# verdicts, no definition to ask "What is X?" of.
_VERDICT_NOUNS = frozenset(
    "case constraint move answer call choice trade-off tradeoff problem bottleneck risk bet mistake default "
    "win downside upside catch limit cost price prerequisite most least best worst better worse same".split()
)


def verdict(rest: str) -> bool:
    """Whether what a copula says of its subject (`COPULA`'s rest) is a verdict: its noun, within its first
    four words and before any preposition, is one of `_VERDICT_NOUNS` ("the most reused of the three")."""
    words = re.findall(r"[\w'-]+", rest.casefold())
    for at, word in enumerate(words[1:5], 1):
        after = words[at + 1 : at + 2]
        if word in ("place", "time") and after in (["to"], ["for"]):
            return True  # "a natural place to normalise names": what it is good for ("a way to import notes" says what it is)
        if word in _VERDICT_NOUNS and not (word == "same" and after == ["as"]):  # ("the same as the app version" says which)
            return True
        if word in ("of", "for", "to", "in", "on", "that", "which", "who", "with", "by"):
            return False
    return False


# A list item that is one link to a web page and nothing else: the label is that page's title. In a
# callout (an aside: a "Resources" callout's entry) it is a pointer to read, not what the section says;
# in the section's own list ("join one of our community channels:" then its links) it is the answer.
_REFERENCE = re.compile(r"\[[^\[\]]+\]\(\s*<?[A-Za-z][A-Za-z0-9+.-]*://[^\s)]*>?(?:\s+\"[^\"]*\")?\s*\)[\s.,;:]*$")


# A task list item's checkbox (help, *Basic formatting syntax*, "Task lists": `- [ ]` is an incomplete
# task, and "you can use any character inside the brackets to mark it as complete").
_TASK_BOX = re.compile(r"\[(?P<mark>[^\]])\]\s+")


@dataclass(frozen=True)
class Unit:
    """The text one citation covers: a section's own lines, up to the next heading."""

    cite: str  # "Cobalt#Licensing", or "Cobalt" for the top of the page
    heading: str  # "" for the top of the page
    sentences: tuple[str, ...]
    items: tuple[str, ...]  # list items, plain
    rows: tuple[tuple[str, ...], ...]  # table rows, the header first, plain
    unquoted: frozenset[str] = frozenset()  # sentences ending in ":" whose code block is too long to quote
    before_rows: int | None = None  # how many of the sentences come before the first table row (None: no table)


@dataclass(frozen=True)
class Doc:
    name: str  # the citation name: the file name, or the path when the name is ambiguous
    page: Page
    title: str
    person: bool
    units: tuple[Unit, ...]
    source: bool = False  # a page about a document (a report, an interview): asked what it says
    facts: tuple[Field, ...] = ()  # a paragraph's `Key: value` lines ("Developed by: [[denolehov]]"), as labels

    @property
    def plain(self) -> str:
        """All the page's running sentences (not its list items), as plain text."""
        return " ".join(s for u in self.units for s in u.sentences)

    @property
    def definition(self) -> tuple[str, str] | None:
        """(sentence, citation) that defines the page's subject, if its first sentence does."""
        for unit in self.units:
            if unit.sentences:
                first = unit.sentences[0]
                match = COPULA.match(first)
                if match and (names(self, match.group("subject")) or heads(self, match.group("subject"))):
                    return (first[:-1] + "." if first.endswith(":") else first), unit.cite  # (what it introduces is not quoted)
                return None
        return None


def read(passage: Passage) -> Doc:
    """A passage parsed as the page it is (with the project's parser) into citable units."""
    return _read(passage.source, passage.text)


@lru_cache(maxsize=4096)  # a page linked from many pages is parsed once per run, not once per link
def _read(source: str, text: str) -> Doc:
    passage = Passage(source, text)
    page = parse_page(passage.source + ".md", passage.text.encode("utf-8"))
    # Fact lines (`**Key:** value`, `key:: value`) are asked about as facts, not quoted as prose;
    # a task's line is prose, its fields the task's own.
    skip = {f.line for f in page.fields if f.kind != "frontmatter" and not f.task and any(m in page.line_text(f.line) for m in (":**", "::"))}
    facts, fact_lines = _fact_lines(page)
    skip |= fact_lines
    starts = [h.line for h in page.headings] + [len(page.lines) + 1]
    units = []
    top = Unit(passage.source, "", (), (), ())
    spans = [(None, page.frontmatter_end + 1, starts[0])] + [(h, h.line + 1, starts[i + 1]) for i, h in enumerate(page.headings)]
    for heading, first, stop in spans:
        blocks = [b for b in page.blocks if first <= b.line < stop and b.line not in skip]
        sentences, items, rows, unquoted, before_rows = _unit_text(page, blocks)
        if heading is None or heading.level == 1 or not _citable(heading.text):
            if top.before_rows is None and before_rows is not None:
                before_rows += len(top.sentences)
            top = Unit(top.cite, "", top.sentences + sentences, top.items + items, top.rows + rows, top.unquoted | unquoted, top.before_rows if top.before_rows is not None else before_rows)
            continue
        units.append(Unit(f"{passage.source}#{heading.text}", heading.text, sentences, items, rows, unquoted, before_rows))
    tags = {t.casefold() for t in page.tags}
    person = bool(tags & PERSON_TAGS) or page.folder.casefold() in PERSON_TAGS
    label, title = unlabelled(plain(page.title) or page.title)  # as Obsidian shows it: "# A Brief History of the [[Digital garden|Digital Garden]]"
    source = "source" in tags or page.folder.casefold() == "sources" or label in SOURCE_LABELS
    return Doc(passage.source, page, title, person, (top, *units), source, facts)


# A title's first word and a colon that say what kind of page it is ("Source: Workflow Rules",
# "Concept: Mesh quality"), not what it is about: a question names "Workflow Rules", never "Source: Workflow
# Rules". A page labelled as a document is one (`Doc.source`).
SOURCE_LABELS = frozenset("source paper article book report transcript interview talk video podcast lecture".split())
PAGE_LABELS = SOURCE_LABELS | frozenset("concept entity topic note person project tool term pattern glossary".split())
_LABEL = re.compile(r"^(?P<label>[A-Za-z]+):\s+(?=\S)")


def unlabelled(title: str) -> tuple[str, str]:
    """(the label, casefolded, or "", and the title without it): "Source: Workflow Rules" -> ("source", "Workflow Rules")."""
    found = _LABEL.match(title)
    if found is None or found.group("label").casefold() not in PAGE_LABELS:
        return "", title
    return found.group("label").casefold(), title[found.end() :]


def _fact_lines(page: Page) -> tuple[tuple[Field, ...], set[int]]:
    """The lines of a paragraph that is only `Key: value` lines, two or more ("Plugin ID: ..."
    over "Developed by: [[denolehov]]"): Obsidian shows each on its own line (strict line breaks
    are off by default), and each is a fact, as `ask` reads them (`search.units`)."""
    found: list[Field] = []
    lines_of: set[int] = set()  # the paragraphs' lines: no sentence of the page
    taken = {f.line for f in page.fields}
    starts = sorted({b.line for b in page.blocks})
    for block, end in zip(starts, [*starts[1:], len(page.lines) + 1]):  # a block's lines end where the next block starts
        lines = []
        number = block
        while number < end and page.line_text(number).strip():
            lines.append((number, field_parts(page.line_text(number))))
            number += 1
        facts = [(number, parts) for number, parts in lines if parts is not None]
        if block in taken or len(facts) < 2 or len(facts) < len(lines):
            continue
        lines_of.update(number for number, _ in facts)
        for number, (key, value) in facts:
            # ("Repository: [GitHub](...)": a link's label is no value; "First mention: "Learn about ..."": a quoted example)
            if (name := normalize_key(key)) and "](" not in value and not value.startswith(('"', "“", "'")):
                found.append(Field(name, value, number, "label"))
    return tuple(dict.fromkeys(found)), lines_of


def run_on(page: Page, field: Field) -> str:
    """A `**Key:** value` label's value as its paragraph goes on: in a hard-wrapped note,
    "**Owner:** the platform team, who review" goes on with "every change to shared functions."
    on the next line, and the value is both (Obsidian shows one paragraph). A Dataview field
    (`key:: value`) ends with its line, as Dataview reads it; so does a value followed by a list,
    a quote, a table, a heading, a blank line or another `Key: value` line."""
    if field.kind != "label":
        return field.value
    value = field.value.strip()
    number = field.line + 1
    while number <= len(page.lines):
        raw = page.line_text(number).lstrip()
        if not raw or raw.startswith(("#", ">")) or not running(raw) or FENCE.match(raw) or field_parts(raw) is not None:
            break
        value = f"{value} {raw.strip()}"
        number += 1
    return value


def _unit_text(page: Page, blocks: list) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, ...], ...], frozenset[str], int | None]:
    sentences: list[str] = []
    before_rows: int | None = None  # the sentences read before the first table row
    unquoted: set[str] = set()
    items: list[str] = []
    rows: dict[int, list[str]] = {}
    asked = False  # the last sentence read was a question
    for block in blocks:
        raw = page.line_text(block.line).lstrip()
        text = block_text(block.text)
        plain = " ".join(split_sentences(text))
        if raw.startswith("!["):
            continue  # an embedded image or note: no sentence to quote
        if raw.startswith("|"):
            if before_rows is None:
                before_rows = len(sentences)
            rows.setdefault(block.line, []).append(plain)
        elif raw.startswith(">") and LIST_ITEM.match(raw.lstrip("> \t")) and _REFERENCE.match(block.text.strip()):
            continue  # a callout's "- [The Odin Project: Intro to Git](https://...)": an aside's pointer to a web page, named by its title
        elif LIST_ITEM.match(raw):
            done = ""
            if box := _TASK_BOX.match(plain):  # reading view shows a checkbox, not "[x]"; any mark in it is "complete"
                plain, done = plain[box.end() :], "" if box["mark"] == " " else " (done)"
            # "Create a note with the following text:" and its code: the example is the step
            example = _example(page, block.line) if plain.endswith(":") else None
            if not plain.endswith("?"):
                items.append((f"{plain} {example}" if example else plain.rstrip(".;:")) + done)
        else:
            # a question in the text ("Can callouts be nested?") is never part of an answer, nor
            # the reply that needs it ("Yes!, they can.")
            kept = []
            for sentence in split_sentences(text):
                if sentence.endswith("?") or _REPLY.match(sentence) and (asked or kept and kept[-1].endswith("?")):
                    asked = sentence.endswith("?")
                    continue
                asked = False
                kept.append(sentence)
            example = _example(page, block.line) if kept and kept[-1].endswith(":") else None
            if example:
                kept[-1] = f"{kept[-1]} {example}."
            elif kept and kept[-1].endswith(":") and _example(page, block.line, long=True):
                unquoted.add(kept[-1])
            sentences.extend(kept)
    return tuple(sentences), tuple(items), tuple(tuple(r) for _, r in sorted(rows.items())), frozenset(unquoted), before_rows


def block_text(text: str) -> str:
    """A block's inline text as its sentences are read: an icon or image in a step ("select the
    Vault profile ![[icon.svg]].") is no words, nor is an image's caption."""
    return _BEFORE_STOP.sub("", without_embeds(uncaptioned(text)))


def running(raw: str) -> bool:
    """Whether the block on a line that reads `raw` (indentation stripped) is running text, read
    as sentences: not an image or embed, a table row or a list item."""
    return not raw.startswith(("![", "|")) and LIST_ITEM.match(raw) is None


def _example(page: Page, line: int, long: bool = False) -> str | None:
    """The short code block right after the paragraph at `line` ("To embed a PDF:" then
    `![[Document.pdf]]`), as one line: without it, a sentence ending in ":" says nothing.
    `long`: any code block there, as its raw lines (one too long to quote is there too)."""
    lines = page.lines
    at = line - 1
    while at < len(lines) and lines[at].strip():
        at += 1  # the paragraph's last line
    while at < len(lines) and not lines[at].strip():
        at += 1
    if at >= len(lines) or not FENCE.match(lines[at]):
        return None
    close = next((i for i in range(at + 1, len(lines)) if FENCE.match(lines[i])), None)
    if close is not None and long:
        return "\n".join(lines[at : close + 1])
    return example(lines[at + 1 : close]) if close is not None else None  # (an unclosed fence: none)


def _citable(heading: str) -> bool:
    return bool(heading.strip()) and not any(c in heading for c in "[]|#^")


def names(doc: Doc, subject: str) -> bool:
    """Whether `subject` names the page's subject ("Devendra "Dev" Arunachalam" for Devendra Arunachalam)."""
    words = {w for w in re.findall(r"\w+", subject.casefold())}
    for name in (doc.title, *doc.page.aliases, doc.page.stem):
        wanted = set(re.findall(r"\w+", name.casefold()))
        if wanted and wanted <= words | {"the"}:
            return True
    return False


NAMING_KEYS = frozenset({"name", "title"})  # keys whose value names the page's subject (a plugin's id may equal its file name and still be asked)


def restates_name(doc: Doc, value: str) -> bool:
    """Whether a naming fact's value is only the page's own name ("name: Toodle" on *Toodle*):
    it tells nothing the page's name did not, and "The name of Toodle is Toodle." answers nothing."""
    said = set(re.findall(r"\w+", value.casefold())) - {"the"}
    return bool(said) and any(said == set(re.findall(r"\w+", name.casefold())) - {"the"} for name in (doc.title, *doc.page.aliases, doc.page.stem))


def proper_names(doc: Doc) -> frozenset[str]:
    """The words a page writes as names: its own title's, and those of its links' texts and
    targets that are one word or written in Title Case ("Venn", "Roderick Ashford"; not "Legal
    entity structure"). A list item that starts with one keeps its capital when quoted mid-answer."""
    page = doc.page
    found: set[str] = set()
    for name in (page.title, *(t for link in page.links if not link.in_comment for t in (link.display or "", link.target.rsplit("/", 1)[-1]))):
        words = re.findall(r"[^\W\d_][\w'\u2019-]*", name)
        if words and all(w[:1].isupper() for w in words):
            found.update(words)
    return frozenset(found)


def heads(doc: Doc, subject: str) -> bool:
    """Whether `subject` is the head of the title ("Cards" of *Cards view*) or the subject an
    introduction names ("Bases" of *Introduction to Bases*): the page defines it first."""
    title = re.findall(r"\w+", doc.title.casefold())
    words = re.findall(r"\w+", subject.casefold())
    if not words or len(title) < 2:
        return False
    return title[: len(words)] == words or (title[0] in ("introduction", "intro", "about") and title[-len(words) :] == words)


def cite_line(doc: Doc, line: int) -> str:
    """The unit holding `line`; frontmatter facts cite the page."""
    if line <= doc.page.frontmatter_end:
        return doc.name
    section = doc.page.section_at(line)
    heading = section.heading if section else None
    if heading is None or heading.level == 1 or not _citable(heading.text):
        return doc.name
    return f"{doc.name}#{heading.text}"


def lower_first(text: str, context: str = "", proper: frozenset[str] = frozenset()) -> str:
    """"The Old Quay" -> "the Old Quay"; "Instrument support" -> "instrument support".

    A capitalised first word stays when `context` writes it so mid-sentence, or when it is one
    of the `proper` names the page links to (`citable_units.proper_names`): a name ("Reinholt's
    model", "Venn"); acronyms and Title Case Names stay too.
    """
    first, _, rest = text.partition(" ")
    if first in ("The", "A", "An") and rest:
        return f"{first.lower()} {rest}"
    lowered = first[:1].lower() + first[1:]
    if any(c.isupper() for c in first[1:]):
        return text  # "OneDrive", "iCloud": a name however it starts
    if _POSSESSIVE.sub("", first) in proper:
        return text  # "Venn", "Pipe's letter": a name the page links to
    if context and first in context and _capitalised_pattern(first).search(context):
        return text  # written capitalised mid-sentence: a name
    if first[:1].isupper() and first[1:2].islower() and (not rest or rest[:1].islower()):
        return lowered + (" " + rest if rest else "")
    return text


_POSSESSIVE = re.compile(r"['\u2019]s?$|[.,;:!?]+$")


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


@lru_cache(maxsize=4096)
def _capitalised_pattern(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<=[a-z,;] ){re.escape(word)}(?!\w)")


_TAG_OR_LABEL = re.compile(r"(?<![\w#])#[^\s#]+|^\W*\w+:", re.M)


def only_tags(unit: Unit) -> bool:
    """Whether a section holds tags alone, after a label at most."""
    said = [*unit.sentences, *unit.items, *(cell for row in unit.rows for cell in row)]
    return bool(said) and not any(re.search(r"[^\W\d_]", _TAG_OR_LABEL.sub(" ", text)) for text in said)


_OPEN_ENDS = frozenset("the a an of to in on at for with by from as and or but than that this".split())


def unfinished(sentence: str) -> bool:
    """A sentence that stops on a word that needs another ("The Law of Inertia is one of the": the
    text a how-to tells the reader to type, to be finished by a link) is no definition."""
    words = sentence.rstrip(" .!").split()
    return bool(words) and words[-1].casefold() in _OPEN_ENDS
