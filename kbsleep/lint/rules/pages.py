"""Page rules: every page is reachable, unique and has something in it."""

from __future__ import annotations

import re
from typing import Iterator

from kbsleep.lint.namesakes import Claim, groups, judged, similar
from kbsleep.lint.records import EVERY_PAGE, Diagnostic, Focus, Location, Rule
from kbsleep.lint.rules.facts import META_KEYS
from kbsleep.obsidian import plugin_file
from kbsleep.wiki import Wiki
from kbsleep.wiki.discovery import glob_match
from kbsleep.wiki.page import Heading, Page, normalize_key

OPENS = frozenset({"resolved", "shadowed", "missing-anchor"})  # link outcomes that open the page


def orphan_page(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """A page that no other page links to.

    What it does:
        Reports pages with no inbound wikilink, embed or Markdown link from another page.
        `index.md`, `log.md` and the globs in `lint.orphan-exempt` are exempt, and so are
        templates and Obsidian's Excluded files, which are not judged as content.

    Why it matters:
        Nobody navigates to an orphan, and retrieval that follows links never reaches it: its
        knowledge is stored but effectively forgotten.

    Example:
        `notes/Pier 4 inspection.md` exists, but no page mentions `[[Pier 4 inspection]]`.

    Fix:
        Link the page from a topic page and from `index.md`, or merge it into one.
    """
    if focus.paths is None:  # one pass over every link's outcome: no records, no back-link index
        outcomes = wiki.outlinks.outcomes
        opened = {target for source in wiki.pages for status, target, _, attachment in outcomes(source) if status in OPENS and target != source and not attachment}
    else:
        opened = {target for source, (status, target, _, attachment) in wiki.backlinks.into(focus.paths) if status in OPENS and target != source and not attachment}
    # the index page is named only where there is one: a vault written by hand has none
    hint = f"link it from a topic page or from {wiki.config.index_page}" if wiki.index_page is not None else "link it from a page about its topic"
    for path, page in focus.content(wiki):
        if path in opened:
            continue
        if page.parsed and not _exempt(wiki, path):  # after the links: globs cost more, and few pages get here
            yield rule.at(page, 1, 1, f"no page links to {path}", hint=hint)


def duplicate_page(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """Two pages for one thing: they share a name and most of their text.

    What it does:
        Reports two pages that share a title or file name, or where one's title or file name
        is the other's alias (case-insensitively; never a placeholder such as `{{title}}`),
        when at least half of the word 3-shingles (runs of three words) of the page with fewer
        of them are in the other page too. Text that pages of unrelated names share, or that
        more than 8 of the pages sharing names have, is a template's and does not count.
        Templates and Excluded files are not content: they duplicate nothing; nor does a page
        of one file name in each of two parallel folders (folders that share most of their
        page names, one `Documents.md` per university) unless the folders are copies, nor do
        pages whose file names add different qualifiers to one name (`Amulet (DMG).md` and
        `Amulet (XDMG).md`, `Mercury (planet).md` and `Mercury (element).md`): named apart on
        purpose, nor pages that give an identifying property (`id`, `isbn`, any `*_id`)
        different values: two records, as two issues of one title are. Nor does a page repeat
        a read-only page (`read-only`: an LLM wiki's sources, `raw/`): it was written from
        that source; two sources that repeat each other do. Reported once a pair, on the later page, pointing at the earlier one.

    Why it matters:
        Duplicate pages split what is known about one thing; answers drawn from one of them
        miss, or contradict, what the other says.

    Example:
        `concepts/tidal-mixing-notes.md` with `title: Tidal mixing` repeats most of
        `concepts/Tidal Mixing.md`. Two pages that only share a name, such as Obsidian's help
        pages `Plugins/Templates.md` and `Obsidian Web Clipper/Templates.md`, are not
        duplicates; a shared alias alone is `ambiguous-alias`.

    Fix:
        Merge the pages (`kbsleep consolidate --only duplicates`) and keep the other name as an
        alias, or rename the one that means something else.
    """
    judge = [(key, a, b) for key, claims in groups(wiki, focus.paths).items() for i, a in enumerate(claims) for b in claims[i + 1 :] if judged(a, b) and focus.wants(b.path, a.path) and wiki.read_only(a.path) == wiki.read_only(b.path)]
    if not judge:
        return  # no page reported on shares a title or file name: no prose is read
    shares = similar(wiki)
    reported: set[tuple[str, str]] = set()
    for _, first, later in judge:
        pair = (first.path, later.path)
        share = shares.get(pair)
        if share is None or pair in reported:
            continue
        reported.add(pair)
        page = wiki.pages[later.path]
        related = (Location(first.path, _claim_line(wiki.pages[first.path], first), 1, f"{first.kind} `{first.name}`"),)
        message = f"{later.kind} `{later.name}` is also the {first.kind} of {first.path}"
        hint = f"the pages share {share:.0%} of the shorter one's text: merge them, or rename one"
        yield rule.at(page, _claim_line(page, later), 1, message, hint=hint, related=related)


def ambiguous_alias(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """An alias that another page also claims as its alias or title.

    What it does:
        Reports an alias of one page that is also an alias or the title of another page (not a
        duplicate of it), unless the name is some page's file name, which links open first.
        Reported on each later page, pointing at the first one. Two pages titled alike are
        not reported: Obsidian names a page by its file name. Nor is a name a template or an
        Excluded file shares: it means the page with content (see alias-link).

    Why it matters:
        `[[alias]]` names both pages: a reader cannot tell which one it means, `kbsleep lint
        --fix` cannot rewrite it to the right file name (alias-link offers both instead), and
        with `links.resolve = "titles"` it opens whichever page comes first.

    Example:
        `themes/Orion snippet.md` and `plugins/Orion Sync.md` both list `aliases: [Orion]`.

    Fix:
        Keep the alias on the page it names best, or make each more specific
        (`Orion theme`, `Orion plugin`).
    """
    resolver = wiki.resolver
    for key, claims in groups(wiki, focus.paths).items():
        if key in resolver.by_name or key in resolver.by_path:
            continue  # `[[name]]` opens that file, whatever pages list it as an alias
        first = claims[0]  # (no claim is a file name, then)
        for later in claims[1:]:
            if "alias" not in (first.kind, later.kind) or not focus.wants(later.path, first.path):
                continue
            if judged(first, later) and (first.path, later.path) in similar(wiki):
                continue  # one thing written twice: duplicate-page says so
            page = wiki.pages[later.path]
            related = (Location(first.path, _claim_line(wiki.pages[first.path], first), 1, f"{first.kind} `{first.name}`"),)
            message = f"{later.kind} `{later.name}` is also the {first.kind} of {first.path}: `[[{later.name}]]` cannot tell them apart"
            yield rule.at(page, _claim_line(page, later), 1, message, hint="keep the alias on one page, or make each more specific", related=related)


def _claim_line(page: Page, claim: Claim) -> int:
    """Where the page claims the name: its `title` or `aliases` property, its H1, or line 1."""
    if claim.kind == "file name":
        return 1
    if claim.kind == "title" and "title" not in page.frontmatter:
        return next((h.line for h in page.headings if h.level == 1 and h.text == page.title), 1)
    if claim.kind == "title":
        return _frontmatter_line(page, "title")
    start = _frontmatter_line(page, "aliases")
    # The alias's own line in a block list (`- Orion`), else the `aliases:` line.
    return next((n for n in range(start, page.frontmatter_end) if claim.name in page.line_text(n)), start)


def missing_from_index(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """A page that cannot be reached from `index.md` by following links.

    What it does:
        When the wiki has an index page, follows links from it and reports every page that
        cannot be reached. Pages exempt from orphan-page (templates and Excluded files among
        them) are exempt here too.

    Why it matters:
        In an LLM wiki the index is the catalogue the model reads first; what it cannot reach
        from there is invisible to questions.

    Example:
        `places/Old Lighthouse.md` is linked only from `notes/Draft.md`, which nothing links to.

    Fix:
        Add the page to the index (`kbsleep consolidate --only index` regenerates it).
    """
    index = wiki.index_page
    if index is None:
        return
    seen = {index.path}
    frontier = [index.path]
    unseen = None if focus.paths is None else set(focus.paths) - seen  # with a focus: until all of them are reached
    while frontier and (unseen is None or unseen):
        path = frontier.pop()
        for status, target, _, attachment in wiki.outlinks.outcomes(path):  # no link records needed
            if target is not None and not attachment and status != "meant-for" and target not in seen:
                seen.add(target)
                frontier.append(target)
                if unseen is not None:
                    unseen.discard(target)
    for path, page in focus.content(wiki):
        if path not in seen and not _exempt(wiki, path) and page.parsed:
            yield rule.at(page, 1, 1, f"{path} cannot be reached from {index.path}", hint=f"add [[{page.stem}]] to {index.path}")


def empty_page(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """A page with no content beyond its frontmatter's page keys and its title.

    What it does:
        Reports pages whose body, outside frontmatter, a lone H1 and comments, is blank, and
        whose properties state no fact: only keys about the page (`title`, `tags`, `aliases`,
        `type`, `created`, `sources`, ...) or empty values. A page whose properties hold facts
        (`date: 2025-01-14`, `startTime: 10:00`) is a record, as Obsidian's Bases, Dataview and
        calendar plugins keep them, not an empty page. A template (`# {{title}}` alone) or one
        of Obsidian's Excluded files is not reported.

    Why it matters:
        An empty page answers nothing but looks like coverage; links to it promise more than
        the wiki has.

    Example:
        A page holding only `# Harbour Authority`, or `tags: [stub]` and a title.

    Fix:
        Write the page, or delete it and unlink it.
    """
    for path, page in focus.content(wiki):
        if page.parsed and page.empty and not _states_facts(page):  # see `wiki.page.emptiness`
            yield rule.at(page, 1, 1, f"{path} has no content", hint="write the page or remove it")


def _states_facts(page: Page) -> bool:
    """Does the page's frontmatter state a fact: a key about its subject with a value (a list of
    values too: a teacher's `subjects`)?"""
    return any(normalize_key(key) not in META_KEYS and _valued(value) for key, value in page.frontmatter.items())


def _valued(value: object) -> bool:
    if isinstance(value, (list, tuple)):
        return any(_valued(item) for item in value)
    return value is not None and str(value).strip() != ""


def empty_section(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """A heading with nothing under it.

    What it does:
        Reports headings followed by nothing but blank lines before the next heading of the same
        or a higher level (a heading followed by its own subheadings is not empty). Templates,
        whose sections are there to be filled, Obsidian's Excluded files, and the notes a plugin
        keeps in its own format (a Kanban board, whose headings are lanes that are empty until a
        card is put there; an Excalidraw drawing, whose headings are the plugin's data
        sections) are not reported; nor is the log page (`log-page`),
        whose headings are its entries (`## [2026-04-19] ingest | Title`, as consolidate's `log`
        task writes them), complete without a line under them.
        When the next heading is a paragraph made a heading by a `---` right under it (a setext
        heading, where a horizontal rule was likely meant), the hint names that line.

    Why it matters:
        An empty section is an unfinished thought: a model writing the page meant to fill it,
        and a reader following a link to it finds nothing.

    Example:
        `## Instruments` directly followed by `## Staff`.

    Fix:
        Write the section or remove the heading.
    """
    for path, page in focus.content(wiki):
        if not page.empty_sections or plugin_file(page.frontmatter) or path == wiki.config.log_page:
            continue
        at = {h.line: h for h in page.headings}
        for line in page.empty_sections:  # found by the parser: see `wiki.page.emptiness`
            heading = at[line]
            underline = _dashes_under(page, next((h for h in page.headings if h.line > line), None))
            hint = (
                f"the `---` on line {underline} makes the text above it a heading, so this section holds nothing: put a blank line before `---` if it is meant as a horizontal rule"
                if underline else "write the section or remove the heading"
            )
            yield rule.at(page, line, 1, f"section `{heading.text}` is empty", hint=hint, span=len(page.line_text(line)))


# A setext heading's `-` underline: the line that makes the paragraph above it a heading
# (CommonMark; Obsidian renders one so), in a quote too.
_DASH_UNDERLINE = re.compile(r"^(?:[ \t]*>)*[ ]{0,3}-+[ \t]*$")


def _dashes_under(page: Page, heading: Heading | None) -> int | None:
    """The line of the `---` under a setext heading's text (None for a `#` heading, or none)."""
    if heading is None or page.line_text(heading.line).lstrip(" \t>").startswith("#"):
        return None
    for line in range(heading.line + 1, len(page.lines) + 1):
        text = page.line_text(line)
        if _DASH_UNDERLINE.match(text):
            return line
        if not text.strip(" \t>"):
            return None
    return None


def _exempt(wiki: Wiki, path: str) -> bool:
    config = wiki.config
    if path in (config.index_page, config.log_page):
        return True
    return any(glob_match(pattern, path) for pattern in config.lint.orphan_exempt)


def _frontmatter_line(page: Page, key: str) -> int:
    for field in page.fields:
        if field.kind == "frontmatter" and field.key == key:
            return field.line
    for number in range(2, page.frontmatter_end):
        if page.lines[number - 1].startswith(f"{key}:"):
            return number
    return 1
