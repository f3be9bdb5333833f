"""Lint as a step of `sleep`: the findings on the wiki as the passes before it left it, by
tier. It writes nothing (the lint cache aside), so it commits nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from kbsleep.git import runner
from kbsleep.wiki import Wiki

PASS = "lint"
TIERS = ("error", "warning", "judgement")


@dataclass(frozen=True)
class Findings(runner.Unwritten):
    """How many findings of each tier (`runner.Result`)."""

    run_id: str
    counts: dict[str, int] = field(default_factory=dict)  # tier -> findings

    @property
    def summary(self) -> str:
        return ", ".join(f"{n} {tier}{'s' if n != 1 else ''}" for tier, n in self.counts.items() if n) or "no findings"


@dataclass(frozen=True)
class Lint:
    """The pass: lint the whole wiki, write no page."""

    name: str = PASS
    commits: bool = False

    def plan(self, wiki: Wiki, context: runner.Context) -> runner.Planned[Findings]:
        from kbsleep.lint import lint

        report = lint(wiki)
        return runner.Planned(Findings(context.run_id, {tier: report.count(tier) for tier in TIERS}))

    def finish(self, wiki: Wiki, planned: runner.Planned[Findings], done: runner.Done) -> Findings:
        return planned.report
