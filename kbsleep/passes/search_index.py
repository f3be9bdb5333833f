"""The search index update as a pass: it writes only kbsleep's own cache (`.kbsleep/index.sqlite`),
never a page, so it commits nothing; a dry run leaves the index as it is."""

from __future__ import annotations

from dataclasses import dataclass

from kbsleep.git import runner
from kbsleep.wiki import Wiki

PASS = "index"


@dataclass(frozen=True)
class Refreshed(runner.Unwritten):
    """What the index update did (`runner.Result`)."""

    run_id: str
    pages_indexed: int = 0  # pages in the index afterwards
    updated: int = 0  # pages (re)indexed
    dry_run: bool = False

    @property
    def summary(self) -> str:
        if self.dry_run:
            return "not re-indexed (dry run)"
        return f"{self.updated} of {self.pages_indexed} pages re-indexed"


@dataclass(frozen=True)
class SearchIndex:
    """The pass: bring the search index up to date with the pages as they are now."""

    name: str = PASS
    commits: bool = False

    def plan(self, wiki: Wiki, context: runner.Context) -> runner.Planned[Refreshed]:
        return runner.Planned(Refreshed(context.run_id, dry_run=context.dry_run))

    def finish(self, wiki: Wiki, planned: runner.Planned[Refreshed], done: runner.Done) -> Refreshed:
        if done.dry_run:
            return planned.report
        from kbsleep.search.index import Index

        with Index(wiki.root, wiki.config) as index:
            refreshed = index.refresh()
        return Refreshed(done.run_id, refreshed.pages, refreshed.updated)
