"""The `links` task (deterministic): repair links that have exactly one good candidate.

It applies the safe fixes the lint rules already compute, through the same rewriter as
`kbsleep lint --fix`: a broken link whose only near-miss is a page's file name (a renamed page,
wrong case, a misspelling) and a bare alias link, which becomes `[[Target|alias]]`.
"""

from __future__ import annotations

from collections import defaultdict

from kbsleep.gitops import Edit
from kbsleep.passes import gate
from kbsleep.lint import lint, selection_from_config
from kbsleep.lint.fix import edit_text
from kbsleep.passes.consolidate.records import Context, Left, Outcome
from kbsleep.passes.consolidate.safety import problems
from kbsleep.wiki import Wiki

RULES = ("broken-link", "alias-link")


def plan(wiki: Wiki, context: Context) -> Outcome:
    report = lint(wiki, selection_from_config(wiki, select=RULES))
    fixes: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    for diagnostic in report.diagnostics:
        fixes[diagnostic.path].extend(diagnostic.fix)
    edits, left, done = [], [], []
    for path, page_fixes in sorted(fixes.items()):
        page = wiki.pages[path]
        if not page_fixes or not page.parsed or any(p.code == "encoding-error" for p in page.problems) or not gate.writable(wiki, path):
            continue
        text, applied = edit_text(page.text, page_fixes)
        if not applied:
            continue
        # Links change on purpose here; everything else (frontmatter, headings, numbers) must stay.
        rejected = problems(path, [page.text], text, max_shrink=wiki.config.consolidate.max_shrink, check_links=False)
        if rejected:
            left.append(Left("links", path, "; ".join(rejected)))
            continue
        changed = sorted({f"`{old}` -> `{new}`" for _, _, old, new in page_fixes})
        edits.append(Edit(path, text, "repaired " + ", ".join(changed).replace("`", "")))
        done.extend(f"[[{page.stem}]]: {c}" for c in changed)
    count = sum(1 for _ in done)
    summary = f"repair {count} link{'s' if count != 1 else ''} in {len(edits)} page{'s' if len(edits) != 1 else ''}"
    return Outcome("links", summary, tuple(edits), tuple(left), tuple(done))
