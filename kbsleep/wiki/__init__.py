"""The Wiki model: every page parsed once, links resolved, the link graph; shared read-only.

Each name is imported from its module when first asked for (PEP 562, `_LAZY`): importing
`kbsleep.wiki.wikilink`, the one wikilink grammar, imports this package, and a warm `ask` that
reads links in its passages must pay neither for a load it never makes (13 ms of modules) nor
for the records a load returns (`Wiki` and `Snapshot` in `kbsleep.wiki.load`: building their
dataclasses costs 1% of a warm `ask`'s instructions).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kbsleep.wiki.graph import Backlinks, Outlinks
    from kbsleep.wiki.load import Snapshot, Wiki, load_wiki, open_wiki, take_snapshot, with_texts
    from kbsleep.wiki.page import Link, Page, Problem
    from kbsleep.wiki.parsing import Progress, Todo, collector_paused
    from kbsleep.wiki.outcomes import Names
    from kbsleep.wiki.resolve import ResolvedLink, Resolver

__all__ = ["Wiki", "Page", "Link", "ResolvedLink", "Snapshot", "collector_paused", "load_wiki", "open_wiki", "take_snapshot", "with_texts"]

# name -> the module it comes from, imported when the name is first asked for
_LAZY = {
    **dict.fromkeys(("discover", "git_toplevel", "set_aside"), "kbsleep.wiki.discovery"),
    **dict.fromkeys(("Backlinks", "Outlinks"), "kbsleep.wiki.graph"),
    **dict.fromkeys(("Snapshot", "Wiki", "load_wiki", "open_wiki", "take_snapshot", "with_texts"), "kbsleep.wiki.load"),
    **dict.fromkeys(("Link", "Page", "Problem"), "kbsleep.wiki.page"),
    **dict.fromkeys(("Progress", "Todo", "collector_paused", "parse_rows"), "kbsleep.wiki.parsing"),
    **dict.fromkeys(("Names", "names_of", "still_valid"), "kbsleep.wiki.outcomes"),
    **dict.fromkeys(("ResolvedLink", "Resolver"), "kbsleep.wiki.resolve"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
