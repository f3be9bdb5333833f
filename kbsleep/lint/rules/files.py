"""File rules: each page is readable UTF-8 Markdown with well-formed frontmatter."""

from __future__ import annotations

import re
from typing import Iterator

from kbsleep.lint.records import EVERY_PAGE, Diagnostic, Focus, Rule
from kbsleep.wiki import Wiki
from kbsleep.wiki.page import split_lines_keepends

_EMPTY_ITEM = re.compile(r"[ \t]*-[ \t]*")  # a bare `-` alone on its line


def _problems(wiki: Wiki, rule: Rule, focus: Focus, skip: frozenset[str] = frozenset()) -> Iterator[Diagnostic]:
    """The load problems recorded under this rule's name, as diagnostics (none on `skip` pages)."""
    for path, page in focus.pages(wiki):
        if path in skip:
            continue
        for problem in page.problems:
            if problem.code == rule.name:
                yield rule.at(page, problem.line, problem.column, problem.message)


def frontmatter_invalid(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """Frontmatter that Obsidian cannot read: not valid YAML, not terminated, or not a mapping.

    What it does:
        Reports frontmatter that Obsidian shows as invalid properties: YAML that does not parse
        (naming the cause, at the line and column where it is), a key given twice, a missing
        closing `---`, and YAML that is not a mapping of keys to values. Never what Obsidian
        writes or accepts: empty list items, empty properties, `tags: a, b`, `"#tag"`, nested
        lists, numbers and dates in a list (see `empty-property-item` and
        `property-type-mismatch` for the warnings).

    Why it matters:
        Obsidian, Dataview and kbsleep all ignore frontmatter they cannot read: the page loses
        its title, aliases and facts without any visible sign.

    Example:
        `title: [Kestrel` (an unclosed list), `- @kepano` (`@` cannot start a plain value), or
        `tags` given on two lines.

    Fix:
        Correct the YAML: `title: "Kestrel Rover"`, `- "@kepano"`, one `tags:` list.
    """
    return _problems(wiki, rule, focus)


def empty_property_item(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """An empty item in a frontmatter list (a bare `- `); off by default.

    What it does:
        Reports each list item with nothing after its `-` (or only a YAML comment), with a
        caret on the item. Obsidian's property editor writes such items and reads them as
        nothing, so this is tidiness, not breakage: the rule runs only when selected
        (`--select empty-property-item`, or in `lint.select` / `lint.extend-select`).
        Templates are not checked: a property left empty is for the note made from it.

    Why it matters:
        Empty items are noise that every tool reading the frontmatter must skip, and an item
        like `- #draft` is a comment, not the tag its writer meant.

    Example:
        `tags:` followed by `- ` and `- robots`.

    Fix:
        `kbsleep lint --select empty-property-item --fix` deletes the empty items' lines; an
        item holding a comment is left to you (quote it: `- "#draft"`).
    """
    templates = wiki.templates  # a template's values are placeholders, filled in when it is used
    for path, page in focus.pages(wiki):
        if path in templates:
            continue
        for problem in page.problems:
            if problem.code != rule.name:
                continue
            text = page.line_text(problem.line)
            if _EMPTY_ITEM.fullmatch(text):
                whole = split_lines_keepends(page.text)[problem.line - 1]  # with its line ending: the line goes
                yield rule.at(page, problem.line, problem.column, problem.message, hint="delete the empty item", fix=((problem.line, 1, whole, ""),))
            else:
                comment = text.strip()[1:].strip()
                hint = f'if `{comment}` is meant as the value, quote it: `- "{comment}"`' if comment.startswith("#") else "delete the empty item"
                yield rule.at(page, problem.line, problem.column, problem.message, hint=hint)


def property_type_mismatch(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """A `title`, `aliases`, `tags` or `cssclasses` value of a type Obsidian cannot use.

    What it does:
        Reports a list property (`aliases`, `tags`, `cssclasses`) holding a mapping or a
        checkbox, and a `title` that is not text, a number or a date. Obsidian shows these with
        a type-mismatch warning and ignores them; one text instead of a list, numbers, dates,
        nested lists and empty items are what it accepts, and are not reported. Templates are
        not checked: their values are placeholders (`title: {{title}}`).

    Why it matters:
        The page silently loses its aliases or tags: links by alias stop resolving, and
        searches by tag miss it.

    Example:
        `aliases: {Kestrel: rover}`, or `title: [Kestrel, Rover]`.

    Fix:
        Write the value as Obsidian's property editor would: `aliases: [Kestrel]`,
        `title: Kestrel Rover`.
    """
    return _problems(wiki, rule, focus, wiki.templates)  # a template's `{{title}}` is a placeholder


def encoding_error(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """A page that is not valid UTF-8.

    What it does:
        Reports the first byte that is not valid UTF-8; the page is read with replacement
        characters so its links still count.

    Why it matters:
        Editors and models show or rewrite the bad bytes unpredictably, and a rewrite can
        silently destroy text.

    Example:
        A page saved as Latin-1: `caf\\xe9`.

    Fix:
        Re-save the file as UTF-8 (`iconv -f latin1 -t utf-8`).
    """
    return _problems(wiki, rule, focus)


def binary_page(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """A `.md` file that holds binary data.

    What it does:
        Reports `.md` files with NUL bytes in their first 8 KiB; they are not parsed.

    Why it matters:
        A binary file named `.md` is usually a misnamed attachment or a corrupt write, and
        every tool that reads the wiki trips over it.

    Example:
        An image saved as `diagram.md`.

    Fix:
        Rename it to its real extension, or restore the page from git.
    """
    return _problems(wiki, rule, focus)


def unparsed_page(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """A page too large or too deeply nested to parse.

    What it does:
        Reports pages over `max-page-bytes` (default 5 MB) and pages whose nesting exceeds what
        the parser can follow; their links and facts are not checked.

    Why it matters:
        A page that large is rarely a page: it is a dump that no model reads whole and no
        reader scrolls, and it hides whatever is wrong inside it.

    Example:
        A 20 MB export pasted into `notes/archive.md`.

    Fix:
        Split it into topic pages, or move it out of the wiki as an attachment.
    """
    return _problems(wiki, rule, focus)


def required_frontmatter(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """A page missing a frontmatter key the wiki requires.

    What it does:
        Reports pages without each key listed in `lint.required-frontmatter`; the index and
        log pages are exempt.

    Why it matters:
        LLM-wiki conventions rely on keys such as `sources` and `updated` to judge how fresh and
        how well-sourced a page is.

    Example:
        With `required-frontmatter = ["sources"]`, a page with no `sources:`.

    Fix:
        Add the key: `sources: ["[[sources/Harbour Survey 2024]]"]`.
    """
    required = wiki.config.lint.required_frontmatter
    if not required:
        return
    exempt = (wiki.config.index_page, wiki.config.log_page)
    for path, page in focus.pages(wiki):
        if path in exempt or not page.parsed or any(p.code == "frontmatter-invalid" for p in page.problems):
            continue
        missing = [key for key in required if key not in page.frontmatter]
        if missing:
            keys = ", ".join(f"`{k}`" for k in missing)
            yield rule.at(page, 1, 1, f"frontmatter lacks required {keys}", hint="add " + ", ".join(f"`{k}:`" for k in missing))
