"""`kbsleep consolidate`: repair links, merge duplicates, fold the inbox, flag conflicts,
rebuild the index page, log it; each task one commit of one undoable run."""

from __future__ import annotations

from typing import Optional

from kbsleep.commands.common import Globals, confirm_big_writes, writing
from kbsleep.errors import Exit
from kbsleep.llm.choice import ModelChoice


def run(g: Globals, only: Optional[str] = None, *, choice: ModelChoice = ModelChoice(), dry_run: bool = False, yes: bool = False) -> int:
    from kbsleep.passes.consolidate import Options
    from kbsleep.passes.consolidate import consolidate as run_consolidate
    from kbsleep.passes.consolidate import named
    from kbsleep.report.summaries import consolidate_summary

    tasks = named(only)  # bad names fail before the wiki is loaded; none named: every task
    with writing(g, "consolidate", writes=not dry_run) as loaded:
        confirm = confirm_big_writes("consolidate")
        report = run_consolidate(loaded, choice.model(loaded), Options(tasks, dry_run, yes), budget=choice.budget(loaded.config), confirm=confirm)
    consolidate_summary(report, dry_run=dry_run, quiet=g.quiet)
    return Exit.OK
