"""Whether consolidate may write the wiki's index and log pages: the rule for pages it would create.

An index page and a log page are the LLM wiki's (an `index.md` catalogue, an append-only
`log.md`); a vault written by hand has neither, and two new top-level pages would be a write
its owner has to undo. So the `index` and `log` tasks keep their page up to date when it
exists, and create it only when asked: the config sets its key (`index-page`, `log-page`,
even to the default; `kbsleep init` does for a new wiki or with `--agent`), or the task is
named outright (`kbsleep consolidate --only index`). Otherwise the task does nothing, and the
report says why and how to turn it on (`note`), in one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from kbsleep.passes.consolidate.records import Context
    from kbsleep.wiki import Wiki

# task -> the config key naming its page (snake_case, as `Config.given` holds it)
PAGES = {"index": "index_page", "log": "log_page"}


def page(wiki: Wiki, task: str) -> str:
    """The page `task` keeps (`index.md`, `log.md` unless the config names another)."""
    return str(getattr(wiki.config, PAGES[task]))


def may_write(wiki: Wiki, context: Context, task: str) -> bool:
    """Whether `task` may write its page: it exists, the config names it, or the run named the task."""
    return page(wiki, task) in wiki.pages or PAGES[task] in wiki.config.given or task in context.named


def creatable(wiki: Wiki, context: Context) -> frozenset[str]:
    """The pages this run may create that are not yet pages of the wiki: the index and log asked for."""
    return frozenset(page(wiki, task) for task in PAGES if may_write(wiki, context, task))


def note(unasked: Sequence[tuple[str, str]], source: Path | None) -> str:
    """The report's line for the tasks that did nothing because their page is not there and was
    not asked for: `unasked` holds (task, page) in run order; "" when there are none."""
    if not unasked:
        return ""
    tasks = ", ".join(task for task, _ in unasked)
    paths = " or ".join(path for _, path in unasked)
    keys = " and ".join(f'{PAGES[task].replace("_", "-")} = "{path}"' for task, path in unasked)
    where = "[tool.kbsleep] in pyproject.toml" if source is not None and source.name == "pyproject.toml" else (source.name if source is not None else "kbsleep.toml")
    if len(unasked) > 1:
        return f"{tasks}: not run: the wiki has no {paths}, and its config names neither; to have consolidate create and keep them, set {keys} in {where}"
    return f"{tasks}: not run: the wiki has no {paths}, and its config does not name it; to have consolidate create and keep it, set {keys} in {where}"
