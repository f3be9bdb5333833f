"""`kbsleep anticipate`: write each page's likely questions, with cited answers."""

from __future__ import annotations

from typing import Sequence

from kbsleep.commands.common import Globals, confirm_big_writes, writing
from kbsleep.errors import Exit
from kbsleep.llm.choice import ModelChoice


def run(
    g: Globals,
    paths: Sequence[str] = (),
    *,
    choice: ModelChoice = ModelChoice(),
    force: bool = False,
    questions: int | None = None,
    dry_run: bool = False,
    yes: bool = False,
) -> int:
    """Exit 0 done, 1 when pages were skipped, 2 when the endpoint stopped the run."""
    from kbsleep.git import transaction
    from kbsleep.passes.anticipate import Options
    from kbsleep.passes.anticipate import anticipate as run_pass
    from kbsleep.report import progress
    from kbsleep.answers import in_pages_note
    from kbsleep.report import echo
    from kbsleep.report.summaries import anticipate_summary

    options = Options(tuple(paths), force, dry_run, choice.batch, choice.wait, questions, yes)
    with writing(g, "anticipate", writes=not dry_run) as loaded, progress("Anticipating", enabled=g.chatty, unit="page") as tick:
        hook = (lambda p: tick(p.done, p.total)) if tick else None
        confirm = confirm_big_writes("anticipate")
        outcome = run_pass(loaded, choice.model(loaded), options, budget=choice.budget(loaded.config), progress=hook, run_id=transaction.new_run_id(), confirm=confirm)
        limit = loaded.config.max_pages_per_run
    anticipate_summary(outcome, dry_run=dry_run, quiet=g.quiet, limit=limit)
    note = in_pages_note(loaded, len(outcome.commit.paths) if outcome.commit is not None else 0)
    if note and not g.quiet:
        echo(note, err=True)
    if outcome.stopped:
        return Exit.ERROR  # the endpoint, not the pages: nothing more could have been done
    return Exit.FINDINGS if outcome.skipped else Exit.OK
