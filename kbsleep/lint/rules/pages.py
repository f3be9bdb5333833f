"""Page rules: every page is reachable, unique and has something in it."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from kbsleep.lint.records import EVERY_PAGE, Diagnostic, Focus, Location, Rule
from kbsleep.wiki import Wiki
from kbsleep.wiki.discovery import glob_match
from kbsleep.wiki.page import Page
from kbsleep.wiki.resolve import fold
from kbsleep.obsidian import is_placeholder

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
    for path, page in focus.content(wiki):
        if path in opened:
            continue
        if page.parsed and not _exempt(wiki, path):  # after the links: globs cost more, and few pages get here
            yield rule.at(page, 1, 1, f"no page links to {path}", hint=f"link it from a topic page or from {wiki.config.index_page}")


def duplicate_page(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """Two or more pages that share a title or alias.

    What it does:
        Compares every page's title and aliases case-insensitively and reports each name
        claimed by more than one page, on the later page, pointing at the earlier one.

    Why it matters:
        Duplicate pages split what is known about one thing; answers drawn from one of them
        miss, or contradict, what the other says.

    Example:
        `concepts/Tidal Mixing.md` and `concepts/tidal-mixing-notes.md` with `title: Tidal mixing`.

    Fix:
        Merge the pages (`kbsleep consolidate --only duplicates`) and keep the other name as an
        alias, or rename the one that means something else.
    """
    reported: set[tuple[str, str]] = set()
    unjudged = wiki.unjudged
    for key, claims in _owners(wiki, focus).items():
        if unjudged:  # templates and Excluded files are not content: they duplicate nothing
            claims = [claim for claim in claims if claim[0] not in unjudged]
        if len(claims) < 2 or is_placeholder(key):  # `{{title}}` names no page
            continue
        first_path, first_kind = claims[0]
        for path, kind in claims[1:]:
            if (first_path, path) in reported or not focus.wants(path, first_path):
                continue
            reported.add((first_path, path))
            page = wiki.pages[path]
            name = page.title if kind == "title" else next(a for a in page.aliases if fold(a) == key)
            message = f"{kind} `{name}` is also the {first_kind} of {first_path}"
            line = _frontmatter_line(page, "title" if kind == "title" else "aliases")
            first = wiki.pages[first_path]
            # The related location shows the first page's own spelling, not the later page's.
            first_name = first.title if first_kind == "title" else next(a for a in first.aliases if fold(a) == key)
            related = (Location(first_path, _frontmatter_line(first, "title" if first_kind == "title" else "aliases"), 1, f"{first_kind} `{first_name}`"),)
            yield rule.at(page, line, 1, message, hint="merge the pages, or rename one", related=related)


def _owners(wiki: Wiki, focus: Focus) -> dict[str, list[tuple[str, str]]]:
    """Folded name -> the pages claiming it as ("title" or "alias"), in page order; names are in
    the order they first appear. With a focus, only the names of pages in focus: the resolver's
    title table already lists who claims each one."""
    owners: dict[str, list[tuple[str, str]]] = defaultdict(list)
    if focus.paths is None:
        for path, page in wiki.pages.items():
            for kind, name in (("title", page.title), *(("alias", a) for a in page.aliases)):
                key = fold(name)
                if key and (not owners[key] or owners[key][-1][0] != path):  # this page's claims come last
                    owners[key].append((path, kind))
        return owners
    by_title = wiki.resolver.by_title
    for _, page in focus.pages(wiki):
        for name in (page.title, *page.aliases):
            key = fold(name)
            if key and len(by_title.get(key, ())) > 1:
                owners[key] = [(path, "title" if fold(wiki.pages[path].title) == key else "alias") for path in by_title[key]]
    order = list(wiki.pages)

    def first_seen(key: str) -> tuple[int, int]:  # where the whole-wiki loop above would meet it
        first = wiki.pages[owners[key][0][0]]
        return order.index(first.path), [fold(name) for name in (first.title, *first.aliases)].index(key)

    return {key: owners[key] for key in sorted(owners, key=first_seen)}


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
    """A page with no content beyond its frontmatter and title.

    What it does:
        Reports pages whose body, outside frontmatter, a lone H1 and comments, is blank. A
        template (`# {{title}}` alone) or one of Obsidian's Excluded files is not reported.

    Why it matters:
        An empty page answers nothing but looks like coverage; links to it promise more than
        the wiki has.

    Example:
        A page holding only `# Harbour Authority`.

    Fix:
        Write the page, or delete it and unlink it.
    """
    for path, page in focus.content(wiki):
        if page.parsed and page.empty:  # found by the parser: see `wiki.page.emptiness`
            yield rule.at(page, 1, 1, f"{path} has no content", hint="write the page or remove it")


def empty_section(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """A heading with nothing under it.

    What it does:
        Reports headings followed by nothing but blank lines before the next heading of the same
        or a higher level (a heading followed by its own subheadings is not empty). Templates,
        whose sections are there to be filled, and Obsidian's Excluded files are not reported.

    Why it matters:
        An empty section is an unfinished thought: a model writing the page meant to fill it,
        and a reader following a link to it finds nothing.

    Example:
        `## Instruments` directly followed by `## Staff`.

    Fix:
        Write the section or remove the heading.
    """
    for _, page in focus.content(wiki):
        for line in page.empty_sections:  # found by the parser: see `wiki.page.emptiness`
            heading = next(h for h in page.headings if h.line == line)
            yield rule.at(page, line, 1, f"section `{heading.text}` is empty", hint="write the section or remove the heading", span=len(page.line_text(line)))


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
