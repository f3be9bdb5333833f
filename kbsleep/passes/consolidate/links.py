"""The `links` task (deterministic): repair links that have exactly one good candidate.

It applies the safe fixes the lint rules already compute, through the same rewriter as
`kbsleep lint --fix`: a broken link whose only near-miss is a page's file name (a renamed page,
wrong case, a misspelling) and a bare alias link, which becomes `[[Target|alias]]`. Only the
spans of the repaired links change: every other byte of the page is kept (`OutsideSpans`).
"""

from __future__ import annotations

from collections import defaultdict

from kbsleep.git.transaction import Edit
from kbsleep.lint import lint, selection_from_config
from kbsleep.lint.fix import fix_spans
from kbsleep.passes import gate
from kbsleep.passes.consolidate import exact
from kbsleep.passes.consolidate.records import Batch, Context, Left, Outcome
from kbsleep.passes.consolidate.safety import problems
from kbsleep.wiki import Wiki

RULES = ("broken-link", "alias-link")


def plan(wiki: Wiki, context: Context) -> Outcome:
    report = lint(wiki, selection_from_config(wiki, select=RULES))
    fixes: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    for diagnostic in report.diagnostics:
        fixes[diagnostic.path].extend(diagnostic.fix)
    edits: list[Edit] = []
    left: list[Left] = []
    done: list[str] = []
    batch = Batch(context.room, context.texts)
    for path, page_fixes in sorted(fixes.items()):
        if not page_fixes or not gate.writable(wiki, path):
            continue
        if batch.closed:
            batch.defer(path)
            continue
        planned = exact.attempt("links", path, lambda: _repair(wiki, context, path, page_fixes), left)
        if planned is None:
            continue
        edit, changed = planned
        # Links change on purpose here; everything else (frontmatter, headings, numbers) must stay.
        rejected = problems(path, [wiki.pages[path].text], edit.text or "", max_shrink=wiki.config.consolidate.max_shrink, check_links=False)
        _, refused = exact.verify(wiki, context, [edit])
        rejected += [r.reason for r in refused]
        if rejected:
            left.append(Left("links", path, "; ".join(rejected)))
            continue
        if batch.take([path], path):
            edits.append(edit)
            done.extend(f"[[{wiki.pages[path].stem}]]: {c}" for c in changed)
    count = len(done)
    summary = f"repair {count} link{'s' if count != 1 else ''} in {len(edits)} page{'s' if len(edits) != 1 else ''}"
    return Outcome("links", summary, tuple(edits), tuple(left), tuple(done), deferred=tuple(batch.deferred))


def _repair(wiki: Wiki, context: Context, path: str, page_fixes: list[tuple[int, int, str, str]]) -> tuple[Edit, list[str]] | None:
    """The page with its links repaired, only their spans changed; None when no fix applies."""
    page = wiki.pages[path]
    spans = fix_spans(page.text, page_fixes)
    if not spans:
        return None
    text = exact.tracked(wiki, context, path)
    for start, end, new in spans:  # right to left: the positions to the left stay valid
        text = text.replace(start, end, new)
    changed = sorted({f"`{page.text[start:end]}` -> `{new}`" for start, end, new in spans})
    return Edit(path, text.text, "repaired " + ", ".join(changed).replace("`", ""), keep=text.keep("the links it repairs")), changed
