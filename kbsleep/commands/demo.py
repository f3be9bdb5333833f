"""`kbsleep demo`: copy sample_wiki/ into a new git repository and run the whole cycle there."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from kbsleep.commands.common import Globals
from kbsleep.errors import Exit


def run(g: Globals, engine: Optional[str] = None, into: Optional[Path] = None) -> int:
    from kbsleep.demo import demo
    from kbsleep.report.summaries import demo_summary

    demo_summary(demo(engine, into), g.color)
    return Exit.OK
