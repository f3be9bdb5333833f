"""`kbsleep sleep`: the whole cycle (consolidate, lint, anticipate, index): one run, one budget,
one undo."""

from __future__ import annotations

from kbsleep.commands.common import Globals, confirm_big_writes, writing
from kbsleep.errors import Exit
from kbsleep.llm.choice import ModelChoice


def run(g: Globals, *, choice: ModelChoice = ModelChoice(), force: bool = False, yes: bool = False) -> int:
    """Exit 0 done, 1 when a step failed and was skipped, 2 when the run stopped."""
    import dataclasses

    from kbsleep.answers import in_pages_note
    from kbsleep.report import echo
    from kbsleep.report.summaries import sleep_problems, sleep_summary
    from kbsleep.sleep import SleepOptions, sleep

    with writing(g, "sleep") as wiki:
        choice = dataclasses.replace(choice, batch=choice.batch or wiki.config.llm.batch)
        options = SleepOptions(batch=choice.batch, wait=choice.wait, force=force, yes=yes)
        asks = (confirm_big_writes("sleep's consolidate step"), confirm_big_writes("sleep's anticipate step"))
        report = sleep(wiki, choice.model(wiki), options, budget=choice.budget(wiki.config), confirm=asks[1], confirm_consolidate=asks[0])
    if not g.quiet:
        sleep_summary(report, g.color)
        note = in_pages_note(wiki, sum(step.pages_changed for step in report.steps if step.name == "anticipate"))
        if note:
            echo(note, err=True)
    sleep_problems(report)
    if report.stopped:
        return Exit.ERROR
    return Exit.FINDINGS if report.failed else Exit.OK
