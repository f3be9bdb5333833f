"""The model's section summaries as a pass of `sleep` (with `summaries.method = "model"`): it
writes only kbsleep's own cache (`kbsleep.passes.summaries`), never a page, so it commits nothing;
a dry run asks nothing."""

from __future__ import annotations

from dataclasses import dataclass

from kbsleep.git import runner
from kbsleep.wiki import Wiki

PASS = "summaries"


@dataclass(frozen=True)
class Summarised(runner.Unwritten):
    """What the summaries pass did (`runner.Result`)."""

    run_id: str
    written: int = 0  # summaries the model wrote
    due: int = 0  # sections that wanted one
    rejected: tuple[str, ...] = ()  # "Page#Section: why" for replies that were not used

    @property
    def summary(self) -> str:
        return f"{self.written} of {self.due} sections summarised by the model" + (f", {len(self.rejected)} replies not used" if self.rejected else "")


@dataclass(frozen=True)
class Summaries:
    """The pass: summarise the sections that want a summary, with the model."""

    batch: bool = False
    wait: bool = False
    name: str = PASS
    commits: bool = False

    def plan(self, wiki: Wiki, context: runner.Context) -> runner.Planned[Summarised]:
        if context.dry_run or context.model is None:
            return runner.Planned(Summarised(context.run_id))
        from kbsleep.passes.summaries import summarise_sections

        # The model is asked here, where the pass has it; what it writes is kbsleep's cache, no page.
        done = summarise_sections(wiki.root, wiki.config, context.model, budget=context.budget, batch=self.batch, wait=self.wait)
        report, halted = done.report, ""
        if report is not None and report.stop_reason:
            halted = report.stop_reason + (f" ({report.hint})" if report.hint else "")
        return runner.Planned(Summarised(context.run_id, done.written, done.due, done.rejected, tokens=done.tokens, cost_usd=done.cost_usd, halted=halted))

    def finish(self, wiki: Wiki, planned: runner.Planned[Summarised], done: runner.Done) -> Summarised:
        return planned.report
