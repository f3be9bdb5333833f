"""`kbsleep init`: set up a wiki: a commented kbsleep.toml, the .kbsleep/ folder, optionally the
pre-commit hook, a CI workflow and the agent's house rules."""

from __future__ import annotations

from typing import Optional

from kbsleep.commands.common import Globals
from kbsleep.errors import Exit


def run(g: Globals, *, hook: bool = False, ci: Optional[str] = None, force: bool = False, agent: bool = False) -> int:
    from kbsleep.init import init
    from kbsleep.report.summaries import init_summary

    created = init(g.wiki, hook=hook, ci=ci, force=force, agent=agent)
    if not g.quiet:
        init_summary(created)
    return Exit.OK
