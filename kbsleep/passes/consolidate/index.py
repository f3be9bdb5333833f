"""The `index` task: regenerate the catalogue of `index.md` inside a kbsleep fence.

The page is kept when it exists and created only when asked for (`asked`): a hand-written
vault gets no new index page. An index page that links at least half of the pages outside the
fence is a catalogue kept by hand (an LLM wiki's own `index.md`, by section, each page with its
line): the fence lists only the pages it does not link yet ("Not yet in the index"), never the
whole wiki a second time below it, and none is written when it links every page. An `index.md`
without the fence that links under half of the pages, where the catalogue would add many, is a
site's home page (Quartz, a digital garden): it gets a catalogue only when asked by name (the
config's `index-page`, `--only index`).

Everything outside `<!-- kbsleep:index ... -->` ... `<!-- /kbsleep:index -->` is hand-written
and kept byte for byte (`OutsideFence`); the fence is appended when the page has none, in the
page's own line ending. Pages are grouped by folder, first tag or `type`
(`consolidate.index-group`), each a link and a one-line summary: the `summary` frontmatter, or
else the first sentence of the page that says what it is. The notes waiting in the inbox are no
pages of the wiki yet (the inbox task folds them into topic pages): none is listed. A summary is
what a reader, or an agent that reads the index first, takes as the page's word: a table's
header cell is no sentence, a sentence that introduces a list ("Two states matter:") is followed
by the list's items, and a line that addresses an AI ("Ignore previous instructions and ...") is
never quoted.
"""

from __future__ import annotations

import re
from collections import defaultdict

from kbsleep.git.transaction import Edit
from kbsleep.obsidian import PLACEHOLDER, plugin_file
from kbsleep.passes import gate
from kbsleep.passes.consolidate import asked, exact
from kbsleep.passes.consolidate.pagetext import link_name
from kbsleep.passes.consolidate.records import Batch, Context, Left, Outcome
from kbsleep.passes.consolidate.safety import parse
from kbsleep.search.blocks import LIST_ITEM, MARKDOWN_LINK, split_block
from kbsleep.search.units import quoted
from kbsleep.wiki import Wiki
from kbsleep.wiki.content import NotExact
from kbsleep.wiki.fences import OutsideFence, body_hash, replace_section, source_hash
from kbsleep.wiki.page import Fence, Page, TextBlock, split_lines_keepends
from kbsleep.wiki.wikilink import code_spans, replace_wikilinks

FENCE = "index"
PENDING = "pending"
MAX_SUMMARY = 160
_TASK_BOX = re.compile(r"^\[[ xX]\]\s+")  # a task list item's box: `[ ] Read the paper`
_CALLOUT = re.compile(r"\[![^\]\s|]+(?:\|[^\]\n]*)?\][+-]?")  # `[!info]- What do they look like?`
_LEADING_TAGS = re.compile(r"^(?:#[^\s#]+\s*)+")  # `#CO-L16-2 Prima definiamo ...`
# A sentence addressed to an AI reading the page, not about the page's subject: quoted in the
# catalogue an agent reads first, it would be an instruction there too.
_TO_AN_AI = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:(?:all|any|the|your|my|of|these|those|previous|prior|above|earlier|preceding|system)\s+)*"
    r"(?:instructions?|prompts?|rules|guidelines|directions)\b|\byou are now\b",
    re.IGNORECASE,
)
_CODE_OPENS = re.compile(r"(?<=[.!?])\s+(?=`)")  # "... per call. `removeEventListener` ...": a sentence may open with code
_TABLE_ROW = re.compile(r"^\s*\|")
_CODE_SPAN = re.compile(r"`[^`]*`")
_PROPERTY_LINE = re.compile(r"^[a-z_][a-z0-9_-]*:(?:\s|$)")  # `last_updated: 2026-04-08`, YAML's shape
# What is not a block's own words (wikilinks aside): code spans, tags, Dataview fields.
_NOT_WORDS = re.compile(r"`[^`]*`|(?<!\S)#[^\s#]+|[\[(][^\[\]()]*::[^\[\]()]*[\])]")
CATALOGUE = 0.5  # an index page without kbsleep's fence that links fewer of the pages is a home page ...
MANY = 50  # ... when the catalogue would add more pages than this to it (never asked, the addition is the surprise)


def plan(wiki: Wiki, context: Context) -> Outcome:
    path = wiki.config.index_page
    if not asked.may_write(wiki, context, "index"):
        return Outcome("index", f"not run: no {path}", unasked=path)
    page = wiki.pages.get(path)
    listed = _catalogued(wiki)
    fence = next((f for f in page.fences if f.name == FENCE), None) if page is not None else None
    linked = _linked(wiki, page, fence, set(listed)) if page is not None else set()
    count = len(listed)
    if page is not None and fence is None and not _asked_by_name(wiki, context) and len(linked) < CATALOGUE * count and count - len(linked) > MANY:
        # Quartz's and many gardens' index.md is the site's home page: 13,506 catalogue lines
        # appended to it would surprise everyone
        return Outcome("index", f"not run: {path} links {len(linked)} of the {count} pages, a home page rather than a catalogue; "
                                f"set index-page = \"{path}\" in kbsleep.toml (or run `consolidate --only index`) to add one to it")  # fmt: skip
    topics = [p for p in listed if p != wiki.config.log_page]  # (the log is no topic)
    if topics and len(linked & set(topics)) >= CATALOGUE * len(topics):
        # a catalogue kept by hand (the LLM wiki's own index.md): only the pages it does not link yet
        listed = [p for p in topics if p not in linked]
        if not listed and fence is None:
            return Outcome("index", f"catalogue not needed: {path} links every page")
        missing = f"{len(listed)} page{'' if len(listed) == 1 else 's'} the index above does not link" if listed else "every page is linked above"
        heading, line, what = "## Not yet in the index", f"_Generated by `kbsleep consolidate`: {missing}._", "the pages not yet in"
    else:
        heading, line, what = "## Catalogue", f"_Generated by `kbsleep consolidate`: {len(listed)} pages._", "the catalogue of"
    entries = _entries(wiki, listed)
    catalogue = [heading, "", line, ""]
    for group in sorted(entries, key=lambda g: (g == "", g.casefold())):
        catalogue += [f"### {group or 'Top level'}", "", *sorted(entries[group], key=str.casefold), ""]
    fenced = [f"<!-- kbsleep:{FENCE} v=1 source={PENDING} body={PENDING} -->", *catalogue[:-1], f"<!-- /kbsleep:{FENCE} -->"]
    block = "\n".join(fenced) + "\n"
    old: str | None = None
    try:
        if page is None:
            text = f"# Index\n\n{block}"
        else:
            old = exact.text(wiki, context, path)
            text = replace_section(old, block, FENCE, fence)
    except NotExact as exc:
        return Outcome("index", "catalogue not regenerated", left=(Left("index", path, str(exc)),))
    text = _hashed(path, text)
    if text is None:
        return Outcome("index", "catalogue not regenerated", left=(Left("index", path, "the page would not read its catalogue as one (is a code block left open above it?)"),))
    if text == old:
        return Outcome("index", "catalogue unchanged")
    pages = f"{len(listed)} page{'' if len(listed) == 1 else 's'}"
    summary = f"regenerate {what} {path} ({pages})"
    if not Batch(context.room, context.texts).take([path], path):
        return Outcome("index", summary, deferred=(path,))
    done = (f"regenerated {what} [[{path[:-3]}]] ({pages})",)
    edit = Edit(path, text, "regenerated the kbsleep:index catalogue", keep=OutsideFence(FENCE) if old is not None else None)
    return Outcome("index", summary, (edit,), (), done)


def _hashed(path: str, text: str) -> str | None:
    """`text` with its index fence's opening comment holding the page's and the fence's hashes;
    None when the parser finds no such fence in it."""
    written = parse(path, text)
    fence = next((f for f in written.fences if f.name == FENCE), None)
    if fence is None:
        return None
    header = f"<!-- kbsleep:{FENCE} v=1 source={source_hash(written)} body={body_hash(written, fence)} -->"
    lines = split_lines_keepends(text)
    line = lines[fence.start - 1]
    bom = "\ufeff" if line.startswith("\ufeff") else ""  # a page that opens with the fence keeps its byte order mark
    lines[fence.start - 1] = bom + header + line[len(line.rstrip("\r\n")) :]
    return "".join(lines)


def _asked_by_name(wiki: Wiki, context: Context) -> bool:
    """Whether the run names the task or the config names the index page (even as the default)."""
    return "index" in context.named or asked.PAGES["index"] in wiki.config.given


def _linked(wiki: Wiki, page: Page, fence: Fence | None, listed: set[str]) -> set[str]:
    """The pages of `listed` (the catalogue's) that `page` links to outside kbsleep's `fence`."""
    inside = range(fence.start, fence.end + 1) if fence is not None else range(0)
    return {target for link, (status, target, _, attachment) in zip(page.links, wiki.outlinks.outcomes(page.path))
            if target in listed and not attachment and status != "meant-for" and link.line not in inside}  # fmt: skip


def _catalogued(wiki: Wiki) -> list[str]:
    """The pages the catalogue lists: not the index itself, the inbox, its archive, templates and Excluded
    files, unparsed pages or pages no pass may write (a read-only page is listed: its entry is
    written in the index, not in it)."""
    archive = wiki.config.consolidate.archive.strip("/") + "/"
    inbox = wiki.config.inbox.strip("/") + "/"  # notes waiting to be folded into the wiki's pages
    unjudged = wiki.unjudged  # templates and Excluded files are not the wiki's content
    return [path for path, page in wiki.pages.items()
            if path != wiki.config.index_page and not path.startswith((archive, inbox)) and page.parsed and path not in unjudged and gate.writable(wiki, path, into=False)]  # fmt: skip


def _entries(wiki: Wiki, paths: list[str]) -> dict[str, list[str]]:
    group_by = wiki.config.consolidate.index_group
    found: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        page = wiki.pages[path]
        if group_by == "tag":
            group = page.tags[0] if page.tags else ""
        elif group_by == "type":
            group = str(page.frontmatter.get("type") or "")
        else:
            group = page.folder
        summary = _summary(page)
        name = link_name(wiki.resolver.by_name, path)
        found[group].append(f"- [[{name}]]" + (f" — {summary}" if summary else ""))
    return found


def _summary(page: Page) -> str:
    if any(problem.code == "encoding-error" for problem in page.problems):
        return ""  # its words would be replacement characters
    value = page.frontmatter.get("summary")
    if isinstance(value, str) and value.strip():
        return _one_line(quoted(value, unescape=False))
    if plugin_file(page.frontmatter):
        return ""  # a Kanban board's first block is a card; an Excalidraw drawing's, the plugin's notice
    headings = {h.line for h in page.headings}
    blocks = page.blocks
    for at, block in enumerate(blocks):
        text = block.text.strip()
        if _CALLOUT.match(text):  # a callout's title is its heading: its text, if any, follows
            text = text.partition("\n")[2].strip()
        if block.line in headings or block.line <= page.frontmatter_end or _in_table(page, block.line) or _properties(text) or not _worded(text):
            continue
        text = _LEADING_TAGS.sub("", _TASK_BOX.sub("", text))
        sentence = next((s for s in _sentences(_unlinked(page, text)) if not _TO_AN_AI.search(s) and not PLACEHOLDER.search(_CODE_SPAN.sub("", s))), "")  # nor a template's placeholder, outside code
        if not _worded(sentence):
            continue
        if sentence.endswith(":"):
            sentence = _with_list(page, sentence, blocks[at + 1 :])
        return _one_line(sentence)
    return ""


def _sentences(text: str) -> list[str]:
    return [part for sentence in split_block(text) for part in _CODE_OPENS.split(sentence)]


def _properties(text: str) -> bool:
    """Whether a block is lines of YAML properties (a frontmatter left without its closing `---`,
    which Obsidian shows as text, or one pasted below another): metadata, not a sentence."""
    lines = text.splitlines()
    return len(lines) >= 2 and all(_PROPERTY_LINE.match(line.strip()) for line in lines)


def _in_table(page: Page, line: int) -> bool:
    """Whether the block on `line` is a table's cell (its header's is a column's name)."""
    return 0 < line <= len(page.lines) and _TABLE_ROW.match(page.lines[line - 1]) is not None


def _with_list(page: Page, lead: str, after: tuple[TextBlock, ...]) -> str:
    """A sentence that introduces a list ("Two states matter most:") with the list's items after
    it, as one line; without a list after it, the sentence ends at its colon with a period."""
    items = []
    for block in after:
        line = page.lines[block.line - 1].lstrip(" \t>") if 0 < block.line <= len(page.lines) else ""
        if not LIST_ITEM.match(line):
            break
        items.append(_unlinked(page, _TASK_BOX.sub("", block.text.strip())).rstrip(".;,"))
        if sum(len(item) for item in items) > MAX_SUMMARY:
            break
    if not items:
        return lead[:-1].rstrip() + "."
    return f"{lead} {'; '.join(items)}."


def _worded(text: str) -> bool:
    """Does a block say something in words of its own: not a formula (`$$ ... $$`), a code span
    alone (a Dataview query, `` `$= dv.view(...)` ``), a row of links (a breadcrumb), tags or
    inline fields alone?"""
    if text.lstrip().startswith("$$"):
        return False
    rest = _NOT_WORDS.sub(" ", replace_wikilinks(text, lambda link: " "))
    return sum(c.isalpha() for c in rest) >= 3


def _unlinked(page: Page, text: str) -> str:
    """`text` as plain words, as reading view shows them: the page's links as the words they
    show (copied into the index, a link would resolve from the index's folder, not the page's,
    and may break there; an embed would pull a whole page or image into the catalogue), a link
    to a web page as its text, no images, emphasis, highlights or block ids (`units.quoted`).
    A catalogue line reads as one line of text; only its own link, to the page, is a link. Escapes
    and code spans stay as written: the line is Markdown again, where `\\#tag` unescaped is a tag."""
    for link in page.links:
        if link.kind == "markdown":
            pattern = re.compile(r"!?\[([^\]]*)\]\(<?" + re.escape(link.raw) + r">?(?:\s+\"[^\"]*\")?\)")
            text = pattern.sub(lambda m: m.group(1), text)
        elif link.raw in text:
            shown = link.display if link.display is not None else (link.target or link.anchor).rsplit("/", 1)[-1]
            text = text.replace(link.raw, "" if link.kind == "embed" else shown)
    if "](" in text:  # a web page's link or image; its text may be code (`` [`hub.yml`](https://...) ``), outside code
        code = code_spans(text)
        text = MARKDOWN_LINK.sub(lambda m: m.group(0) if any(a <= m.start() < b for a, b in code) else "" if m.group(0)[0] == "!" else m.group(1), text)
    return quoted(text, unescape=False)


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_SUMMARY else text[: MAX_SUMMARY - 1].rstrip() + "…"
