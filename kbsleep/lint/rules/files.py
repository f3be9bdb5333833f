"""File rules: each page is readable UTF-8 Markdown with well-formed frontmatter."""

from __future__ import annotations

from typing import Iterator

from kbsleep.lint.records import EVERY_PAGE, Diagnostic, Focus, Rule
from kbsleep.wiki import Wiki


def _problems(wiki: Wiki, rule: Rule, focus: Focus) -> Iterator[Diagnostic]:
    """The load problems recorded under this rule's name, as diagnostics."""
    for _, page in focus.pages(wiki):
        for problem in page.problems:
            if problem.code == rule.name:
                yield rule.at(page, problem.line, problem.column, problem.message)


def frontmatter_invalid(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """Frontmatter that is not valid YAML, not terminated, or has values of the wrong type.

    What it does:
        Reports YAML syntax errors (with the line), a missing closing `---`, frontmatter that is
        not a mapping, and `title`, `aliases` or `tags` of the wrong type.

    Why it matters:
        Obsidian, Dataview and kbsleep all ignore frontmatter they cannot read: the page loses
        its title, aliases and facts without any visible sign.

    Example:
        `aliases: {Kestrel: rover}` (a mapping), or `title: [Kestrel` (an unclosed list).

    Fix:
        Correct the YAML: `aliases: [Kestrel]`, `title: "Kestrel Rover"`.
    """
    return _problems(wiki, rule, focus)


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
