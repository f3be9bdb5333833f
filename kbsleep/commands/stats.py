"""`kbsleep stats`: does sleep-time compute pay? Precomputed-answer share, tokens per ask, break-even."""

from __future__ import annotations

from kbsleep.commands.common import Globals, config
from kbsleep.errors import Exit
from kbsleep.report import echo


def run(g: Globals, as_json: bool = False) -> int:
    from kbsleep import usage

    figures = usage.compute(g.wiki, config(g).llm.prices)
    if as_json:
        import json

        echo(json.dumps(figures.to_json(), indent=2))
        return Exit.OK
    from kbsleep.report.summaries import stats_table

    stats_table(figures, g.color)
    return Exit.OK
