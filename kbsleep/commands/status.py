"""`kbsleep status`: what is stale: answers older than their pages, open findings, inbox notes, batches."""

from __future__ import annotations

from kbsleep.commands.common import Globals, folder, load
from kbsleep.errors import Exit
from kbsleep.report import echo


def run(g: Globals, as_json: bool = False) -> int:
    from kbsleep.status import status

    folder(g)
    found = status(load(g))
    if as_json:
        import json

        echo(json.dumps(found.as_dict(), indent=2))
        return Exit.OK
    from kbsleep.report.summaries import status_summary

    status_summary(found, g.color)
    return Exit.OK
