"""Generated-section rules: what a kbsleep pass wrote still matches the page it came from."""

from __future__ import annotations

from typing import Iterator

from kbsleep.lint.records import EVERY_PAGE, Diagnostic, Focus, Location, Rule
from kbsleep.wiki import Wiki
from kbsleep.wiki.fences import source_hash

# The command that writes each fence again: a fence is named after its pass, but the index's
# catalogue is consolidate's task (`kbsleep index` builds the search index).
REGENERATES = {"anticipate": "anticipate", "index": "consolidate --only index"}


def _regenerate(name: str) -> str:
    return f"run `kbsleep {REGENERATES.get(name, name)}` to regenerate it"


def stale_generated(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """A section written by a kbsleep pass whose page has changed since.

    What it does:
        Compares the `source=` hash recorded in each `<!-- kbsleep:NAME ... -->` fence with the
        hash of the page outside its fences today; with `anticipate.store = "sidecar"`, also
        the fences of the page's sidecar file (its answers, kept beside it).

    Why it matters:
        Precomputed answers are only as good as the text they were computed from; after an
        edit they may state what the page no longer says, and `ask` would serve them.

    Example:
        `<!-- kbsleep:anticipate v=1 source=3f2a... -->` on a page edited after the pass ran.

    Fix:
        Run `kbsleep anticipate` (or `kbsleep sleep`) to regenerate the section.
    """
    sidecars = wiki.config.anticipate.store == "sidecar" and wiki.sidecars
    for _, page in focus.pages(wiki):
        held = wiki.sidecars.get(wiki.config.anticipate.sidecar(page.path)) if sidecars else None
        if not page.fences and held is None:
            continue
        current = source_hash(page)
        for fence in page.fences:
            recorded = fence.attrs.get("source")
            if recorded is not None and recorded != current:
                message = f"generated `{fence.name}` section is stale: the page changed since it was written"
                yield rule.at(page, fence.start, 1, message, hint=_regenerate(fence.name))
        for fence in held.fences if held is not None else ():
            recorded = fence.attrs.get("source")
            if recorded is not None and recorded != current:
                message = f"generated `{fence.name}` section in {held.path} is stale: the page changed since it was written"
                hint = _regenerate(fence.name)
                yield rule.at(page, 1, 1, message, hint=hint, related=(Location(held.path, fence.start, 1),))
