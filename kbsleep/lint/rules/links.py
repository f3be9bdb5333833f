"""Link rules: every link opens the page, heading or block it names, as Obsidian opens it."""

from __future__ import annotations

import difflib
import hashlib
from collections import Counter, defaultdict
from functools import cached_property
from typing import Iterable, Iterator
from urllib.parse import quote

from kbsleep.lint.doubled import Meant, meant_markdown
from kbsleep.lint.records import EVERY_PAGE, Diagnostic, Focus, Location, Rule
from kbsleep.lint.typos import acronym_for, number_forms, spelling, spellings, typo, under_named_folder
from kbsleep.wiki import ResolvedLink, Wiki
from kbsleep.wiki.page import Link, Page
from kbsleep.wiki.resolve import fold, others_of
from kbsleep.wiki.wikilink import format_wikilink, heading_anchor
from kbsleep.obsidian import is_placeholder


def broken_link(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """A wikilink, embed or Markdown link that opens no page or attachment.

    What it does:
        Reports links whose target is neither a page (by path or file name) nor an attachment.
        When a page's file name, title or alias is a close match it suggests that page. A
        hidden file (a name starting with `.`) is neither, as in Obsidian; a target that is a
        template expression (`[[{{date}}]]`, `[[<% tp.file.title %>]]`) is not reported, nor
        is a link in a `%% comment %%`, which reading view hides (no link rule reports one).

    Why it matters:
        A broken link is a dead end for the reader and for the model that answers from the
        wiki: the fact it pointed at is lost at question time.

    Example:
        `[[Kestrel Rovr]]` when the page is `vehicles/Kestrel Rover.md`.

    Fix:
        Link to the file name: `[[Kestrel Rover]]`. `kbsleep lint --fix` applies a unique
        near-miss of a file name when it is plainly a typo (case, spacing, punctuation, a letter
        dropped or two swapped in one word; never a digit: `[[Week 6]]` never becomes
        `[[Week 5]]`); otherwise create the page or remove the link. A Markdown link written with
        doubled brackets, `[[Kestrel]](vehicles/Kestrel%20Rover.md)`, is fixed to the Markdown
        link meant when its destination opens (`kbsleep.lint.doubled`).
    """
    missing = list(_links(wiki, focus, "missing"))
    if not missing:
        return  # no name table, no trigram index
    names, near, stems = _near_matches(wiki)
    # A missing target's close matches, found once however many links name it (a page can
    # hold thousands of links to the same missing page).
    guesses: dict[str, tuple[Page | None, bool]] = {}
    for item in missing:
        page = wiki.pages[item.source]
        link = item.link
        if (meant := meant_markdown(wiki, page, link)) is not None:
            yield _doubled(rule, page, link, meant, f"broken link: `{link.raw}` matches no page or attachment")
            continue
        hint, fix = None, ()
        if link.target not in guesses:
            found = _suggest(wiki, names, near, link)
            guesses[link.target] = (found, found is not None and _unique_stem_match(wiki, stems, link, found))
        guess, unique = guesses[link.target]
        if guess is not None:
            hint = f"did you mean {_written(link, guess, wiki)}?"
            if link.kind != "markdown" and fold(guess.title) != fold(link.target) and unique and typo(link.target, guess.stem) and under_named_folder(link.target, guess.path):
                # A link written as a path stays one (the vault writes "absolute path" links):
                # `[[Web/WordPress]]` -> `[[Ports/Wordpress]]`, not `[[Wordpress]]`.
                target = guess.path[:-3] if "/" in link.target else _link_name(wiki, guess)
                fix = _fix(page, link, _rewrite(link, target, link.display))
        what = {"wikilink": "link", "embed": "embed", "markdown": "Markdown link"}[link.kind]
        # A Markdown link as Obsidian decodes it, unless it does not decode (`text20%centered`).
        shown = link.raw if link.kind != "markdown" or "\ufffd" in link.target else link.target
        yield rule.at(page, link.line, link.column, f"broken {what}: `{shown}` matches no page or attachment", hint=hint, span=len(link.raw), fix=fix)


def broken_anchor(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """A link to a heading or block that does not exist on the target page.

    What it does:
        Checks `[[Page#Heading]]`, `[[Page#H1#H2]]` (H2 after H1), `[[Page#^block]]`,
        `[[#Heading]]` and Markdown `page.md#slug` anchors against the target's headings and
        block ids.

    Why it matters:
        The link opens the page but not the place the writer meant; usually the heading was
        renamed and the link is now stale.

    Example:
        `[[Port Evra#Harbour Authority]]` when Port Evra has no such heading.

    Fix:
        Point the link at an existing heading, or add the heading or `^block-id` to the target.
    """
    hints: dict[tuple[str, str], str | None] = {}  # (target, anchor) -> its hint, found once
    nearby: dict[str, NearMatches] = {}  # a target's headings, when it has many
    for item in _links(wiki, focus, "missing-anchor"):
        if item.target is None:
            continue
        page = wiki.pages[item.source]
        target = wiki.pages[item.target]
        link = item.link
        if link.block_id is not None:
            message = f"block `^{link.block_id}` not found in {target.path}"
            hint = None
        else:
            message = f"heading `{link.anchor}` not found in {target.path}"
            key = (target.path, link.anchor)
            if key not in hints:
                near = _near_heading(target, link.anchor, nearby)
                hints[key] = f"did you mean `#{heading_anchor(near)}`?" if near else None  # as a link can write it
            hint = hints[key]
        yield rule.at(page, link.line, link.column, message, hint=hint, span=len(link.raw))


def alias_link(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """A link written as a page's title or alias, which Obsidian will not open.

    What it does:
        Reports wikilinks whose target is not a file name or path but matches the frontmatter
        `title` or an `aliases` entry of a page, and gives the exact rewrite.

    Why it matters:
        Obsidian resolves links by file name only; agents that write wiki pages often link by
        title or alias, which creates an empty page on click instead of opening the right one.

    Example:
        `[[Kestrel]]` where `Kestrel` is an alias of `vehicles/Kestrel Rover.md`.

    Fix:
        `[[Kestrel Rover|Kestrel]]`: the file name as target, the alias as display text.
        `kbsleep lint --fix` applies it, unless another page claims the name too, or has a file
        name spelt like it (`kestrel.md`, or its plural `kestrels.md`): then it offers each and
        applies none. `[[Kestrel]](vehicles/Kestrel%20Rover.md)`, a Markdown
        link written with doubled brackets, becomes the Markdown link meant.
    """
    unjudged = wiki.unjudged
    spelled: dict[str, list[str]] | None = None  # built for the first link that needs it
    for item in _links(wiki, focus, "meant-for"):
        if item.target is None:
            continue
        page = wiki.pages[item.source]
        link = item.link
        # A page with content before a template or Excluded file of that name.
        claimants = [path for path in (item.target, *item.others) if path not in unjudged] or [item.target]
        target = wiki.pages[claimants[0]]
        display = link.display if link.display is not None else (None if link.kind == "embed" else link.target)
        fixed = _rewrite(link, _link_name(wiki, target), display)
        kind = "alias" if fold(link.target) != fold(target.title) else "title"
        message = f"`{link.raw}` is the {kind} of {target.path}, not a file name: Obsidian will not open it"
        if (meant := meant_markdown(wiki, page, link)) is not None:
            yield _doubled(rule, page, link, meant, message)
            continue
        acronym = acronym_for(link.target, target)
        if acronym is not None:  # `[[man]]` and the alias `MAN`: another word, maybe; not ours to rewrite
            message = f"`{link.raw}` matches no file name (`{acronym}`, in capitals, is an alias of {target.path}): Obsidian will not open it"
            yield rule.at(page, link.line, link.column, message, hint=f"if `{acronym}` is meant, write `{fixed}`" if fixed else None, span=len(link.raw))
            continue
        if len(claimants) == 1 and "/" not in link.target:
            # a file name spelled like the link (`visenya-v4.md` for `[[Visenya V4]]`, the title of
            # `visenya-v4-azWa0WEa.md`) is as likely meant as the title: the writer's call too
            if spelled is None:
                spelled = spellings(wiki)
            claimants += [path for form in number_forms(spelling(link.target)) for path in spelled.get(form, ()) if path not in claimants and path != item.source]
        if len(claimants) > 1:  # several pages claim the name (ambiguous-alias): which one is meant is the writer's call
            options = [o for o in (fixed, *(_rewrite(link, _link_name(wiki, wiki.pages[other]), display) for other in claimants[1:])) if o is not None]
            yield rule.at(page, link.line, link.column, message, hint="write " + " or ".join(f"`{o}`" for o in options) if options else None, span=len(link.raw))
            continue
        if target.path == item.source:
            # the page's own name ("[[Tim Hor]]" on timhor.md): a link to itself helps nobody, so no fix is offered
            words = display if display is not None else link.target
            yield rule.at(page, link.line, link.column, message, hint=f"it names this page itself: write `{words}` without the link", span=len(link.raw))
            continue
        yield rule.at(page, link.line, link.column, message, hint=f"write `{fixed}`" if fixed else None, span=len(link.raw), fix=_fix(page, link, fixed))


def _doubled(rule: Rule, page: Page, link: Link, meant: Meant, message: str) -> Diagnostic:
    """A Markdown link written with a wikilink's brackets (`kbsleep.lint.doubled`)."""
    message += f", and shows `{meant.shown}` after it as text"
    return rule.at(page, link.line, link.column, message, hint=f"write the Markdown link `{meant.new}`", span=len(meant.old), fix=((link.line, link.column, meant.old, meant.new),))


def ambiguous_link(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """A link by file name that several pages share.

    What it does:
        Reports wikilinks, and Markdown links that open a page by file name (no page at their
        vault path), whose file name matches more than one page, naming the page Obsidian opens
        (docs/obsidian.md, "Wikilinks": a page under the linking page's folder first, then the
        shortest path) and the others; when two are as near and as long, which one Obsidian
        opens is not decided by the files, and the finding names both.

    Why it matters:
        The link works today but may open a different page tomorrow, when a page is added or
        moved; readers and models cannot tell which one was meant.

    Example:
        `[[Overview]]` with `projects/Overview.md` and `places/Overview.md`.

    Fix:
        Write the path: `[[projects/Overview]]`, or rename one of the pages.
    """
    for path in wiki.pages:  # all of them: a finding shows the other pages, which may be in focus
        found = wiki.outlinks.outcomes(path)  # no records yet
        if not any(map(others_of, found)):
            continue  # most pages: no link of theirs matches several pages (one test at C speed)
        for number, (status, target, others, _) in enumerate(found):
            # A link meant for a title or alias opens no page at all (`alias-link` says so), so
            # the pages sharing that name are no choice Obsidian makes.
            if others and status != "meant-for" and target is not None and focus.wants(path, *others) and not unseen(item := wiki.outlinks[path][number]):
                yield _ambiguous(wiki, rule, item)


def _ambiguous(wiki: Wiki, rule: Rule, item: ResolvedLink) -> Diagnostic:
    page = wiki.pages[item.source]
    link = item.link
    tied = wiki.resolver.tie(page.folder, link, item.target, item.others)
    if tied:  # Obsidian's rule ranks these alike: which one it opens, the files do not decide
        rest = [p for p in (item.target, *item.others) if p not in tied]
        message = f"`{link.raw}` matches {len(item.others) + 1} pages; Obsidian opens {' or '.join(tied)} (as near, paths as long: which one, the files do not decide)"
        message += f" (also: {', '.join(rest)})" if rest else ""
        hint = "write the path of the page meant: " + " or ".join(f"`{_with_path(p, link)}`" for p in tied)
    else:
        message = f"`{link.raw}` matches {len(item.others) + 1} pages; Obsidian opens {item.target} (also: {', '.join(item.others)})"
        hint = f"write the path: `{_with_path(item.target, link)}`"
    related = tuple(Location(p, 1, 1, "another page of the same name") for p in item.others)
    return rule.at(page, link.line, link.column, message, hint=hint, span=len(link.raw), related=related)


def _with_path(target: str, link: Link) -> str:
    """`link` written with the path of `target`: its heading or block and its display text kept."""
    if link.kind == "markdown":
        return quote(target)
    return format_wikilink(target[:-3], link.anchor, link.display, embed=link.kind == "embed", in_table=link.in_table) or target[:-3]


# -- helpers ------------------------------------------------------------------------------------


def _links(wiki: Wiki, focus: Focus, status: str) -> Iterator[ResolvedLink]:
    """The links with this status on the pages in focus (where single-page link findings are
    reported), in page and link order. Records are made only for those: most links are fine,
    and their outcomes say so without one (see wiki/graph.py)."""
    paths = wiki.pages if focus.paths is None else (path for path, _ in focus.pages(wiki))
    outlinks = wiki.outlinks
    for path in paths:
        for number, outcome in enumerate(outlinks.outcomes(path)):
            if outcome[0] == status and not unseen(item := outlinks[path][number]):
                yield item


def unseen(item: ResolvedLink) -> bool:
    """Is the link one no reader follows: a template expression, or a link in a `%%` comment?

    Obsidian keeps a comment's links (its backlinks and graph count them) but reading view
    hides the comment: what it holds is the writer's note (obsidian-hub's template instructions
    name pages never written), never shown broken, so never reported nor fixed.
    """
    return item.link.in_comment or templated(item)


def templated(item: ResolvedLink) -> bool:
    """Is the link a template expression (`[[<% tp.file.title %>]]`, `[[Daily#{{date}}]]`)?

    Obsidian shows such a link unresolved, but it is filled in when a note is made from the
    template: it is not a broken link, in a templates folder or anywhere else.
    """
    link = item.link
    return is_placeholder(link.target) or is_placeholder(link.anchor)


class NearMatches:
    """Close matches for a misspelt name among many, without comparing against every name.

    Candidates are the names sharing the most character trigrams with the query; only those
    are scored with difflib's ratio (the full scan costs seconds on a 10k-page wiki). The
    trigram index is built on the first query: a run that asks nothing pays nothing.
    """

    def __init__(self, names: Iterable[str], grams: dict[str, list[int]] | None = None) -> None:
        self.names = list(dict.fromkeys(names))
        if grams is not None:  # built before, over the same names
            self.__dict__["grams"] = grams

    @cached_property
    def grams(self) -> dict[str, list[int]]:
        grams: dict[str, list[int]] = defaultdict(list)
        for index, name in enumerate(self.names):
            for gram in _trigrams(name):
                grams[gram].append(index)
        return grams

    def find(self, query: str, n: int = 1, cutoff: float = 0.8, pool: int = 30) -> list[str]:
        # The query's trigrams in a fixed order: a set's order changes with the hash seed, and so
        # would the candidates when postings tie in length (a hint that differs run to run).
        postings = sorted((self.grams.get(gram, ()) for gram in sorted(_trigrams(query))), key=len)
        common = max(50, len(self.names) // 100)  # grams shared by this many names say little
        shared: Counter[int] = Counter()
        for index, posting in enumerate(postings):
            if len(posting) > common and index >= 3:
                break
            shared.update(posting)
        candidates = [self.names[i] for i, _ in shared.most_common(pool)]
        return difflib.get_close_matches(query, candidates, n=n, cutoff=cutoff)


def _trigrams(text: str) -> set[str]:
    padded = f"  {text} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


MANY_HEADINGS = 200  # beyond this, a heading hint compares the anchor with the closest few only


def _near_heading(target: Page, anchor: str, nearby: dict[str, NearMatches]) -> str | None:
    """The heading of `target` most like `anchor` (difflib's ratio of at least 0.6), if any. On
    a page with very many headings, only the 30 sharing the most trigrams with it are scored:
    scoring every heading for every broken anchor would be quadratic."""
    if len(target.headings) <= MANY_HEADINGS:
        near = difflib.get_close_matches(anchor, [h.text for h in target.headings], n=1, cutoff=0.6)
    else:
        if target.path not in nearby:
            nearby[target.path] = NearMatches(h.text for h in target.headings)
        near = nearby[target.path].find(anchor, cutoff=0.6)
    return near[0] if near else None


def _suggest(wiki: Wiki, names: dict[str, str], near: NearMatches, link: Link) -> Page | None:
    match = near.find(fold(link.target.rsplit("/", 1)[-1].removesuffix(".md")))
    return wiki.pages[names[match[0]]] if match else None


def _unique_stem_match(wiki: Wiki, stems: NearMatches, link: Link, guess: Page) -> bool:
    """Safe to fix only when exactly one file name is a near miss and it names one page."""
    close = stems.find(fold(link.target.rsplit("/", 1)[-1].removesuffix(".md")), n=2)
    return len(close) == 1 and wiki.resolver.by_name[close[0]] == [guess.path]


NEAR_TABLES = "near-names-1"  # the name of the cached tables below: a new number when their layout changes


def _near_matches(wiki: Wiki) -> tuple[dict[str, str], NearMatches, NearMatches]:
    """Every name (see `_names`), and close matches among them and among file names.

    Building the two trigram indexes costs 0.3 s at 10k pages, so they are kept with the
    resolver's tables and read back while no page's path, title or aliases change."""

    def build() -> tuple[dict[str, str], dict[str, list[int]], dict[str, list[int]]]:
        names = _names(wiki)
        return names, dict(NearMatches(names).grams), dict(NearMatches(wiki.resolver.by_name).grams)

    unjudged = "\0".join(sorted(wiki.unjudged))  # they come last among the names: see `_names`
    also = hashlib.sha1(unjudged.encode("utf-8", "surrogateescape")).hexdigest() if unjudged else ""
    names, grams, stem_grams = wiki.resolver.kept(NEAR_TABLES, build, also)
    return names, NearMatches(names, grams), NearMatches(wiki.resolver.by_name, stem_grams)


def _names(wiki: Wiki) -> dict[str, str]:
    """Every file name, title and alias, folded, to the page it names: a page whose content is
    judged before a template or Excluded file of the same name (Obsidian too ranks Excluded
    files last among link suggestions)."""
    names: dict[str, str] = {}
    unjudged = wiki.unjudged
    pages = sorted(wiki.pages.items(), key=lambda item: item[0] in unjudged) if unjudged else wiki.pages.items()
    for path, page in pages:
        for name in (page.stem, page.title, *page.aliases):
            names.setdefault(fold(name), path)
    return names


def _link_name(wiki: Wiki, page: Page) -> str:
    """The shortest target that opens `page`: its file name, or its path when names clash."""
    clash = len(wiki.resolver.by_name.get(fold(page.stem), [])) > 1
    return page.path[:-3] if clash else page.stem


def _written(link: Link, page: Page, wiki: Wiki) -> str:
    return f"[[{_link_name(wiki, page)}]]" if link.kind != "markdown" else f"`{page.path}`"


def _rewrite(link: Link, target: str, display: str | None) -> str | None:
    """`link` pointed at `target`, with its anchor and kind, showing `display` (unless that is
    the target), written as it must be where the link is (a table cell: `\\|`); None when no
    link says it (see `format_wikilink`)."""
    shown = display if display is not None and display != target else None
    return format_wikilink(target, link.anchor, shown, embed=link.kind == "embed", in_table=link.in_table)


def _fix(page: Page, link: Link, new: str | None) -> tuple[tuple[int, int, str, str], ...]:
    """The edit that replaces `link`, as the file holds it (`page.written`), with `new`; none
    when there is nothing to write or the line does not hold the link where it says."""
    if new is None or (written := page.written(link)) is None:
        return ()
    return ((link.line, link.column, written.raw, new),)
