"""`kbsleep index`: build or update the search index (.kbsleep/index.sqlite)."""

from __future__ import annotations

from kbsleep.commands.ask import build
from kbsleep.commands.common import Globals, config
from kbsleep.errors import Exit


def run(g: Globals, rebuild: bool = False) -> int:
    settings = config(g)
    done, counts = build(g, settings, "Building the search index" if rebuild else "Updating the search index", enabled=g.chatty, rebuild=rebuild)
    if not g.quiet:
        from kbsleep.report.summaries import index_summary

        index_summary(done, counts)
    return Exit.OK
