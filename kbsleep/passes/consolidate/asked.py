"""Whether consolidate may do the work of an LLM wiki: its index and log pages, and its inbox.

An index page and a log page are the LLM wiki's (an `index.md` catalogue, an append-only
`log.md`); a vault written by hand has neither, and two new top-level pages would be a write
its owner has to undo. So the `index` and `log` tasks keep their page up to date when it
exists, and create it only when asked: the config sets its key (`index-page`, `log-page`,
even to the default; `kbsleep init` does for a new wiki or with `--agent`), or the task is
named outright (`kbsleep consolidate --only index`).

The inbox is the same kind of thing: an LLM wiki's folder of raw notes to fold in, but in a
vault written by hand `inbox/` is the owner's own capture folder, and moving its notes into
topic pages is a rewrite nobody asked for. So the `inbox` task folds notes only when asked:
the config sets `inbox` (or `consolidate.archive`, whose only use is the inbox), the task is
named outright (`--only inbox`), or the wiki is an LLM wiki by the signs above (its index or
log page exists, or its config names one).

Otherwise the task does nothing, and the report says why and how to turn it on (`note`), in
one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from kbsleep.passes.consolidate.records import Context
    from kbsleep.wiki import Wiki

# task -> the config key naming its page (snake_case, as `Config.given` holds it)
PAGES = {"index": "index_page", "log": "log_page"}
# task -> the config keys that ask for it; a page task's key names its page
KEYS = {**{task: (key,) for task, key in PAGES.items()}, "inbox": ("inbox", "consolidate.archive")}


def page(wiki: Wiki, task: str) -> str:
    """The page `task` keeps (`index.md`, `log.md` unless the config names another)."""
    return str(getattr(wiki.config, PAGES[task]))


def llm_wiki(wiki: Wiki) -> bool:
    """Whether the wiki shows the signs of an LLM wiki: its index or log page exists, or its config names one."""
    return any(page(wiki, task) in wiki.pages or PAGES[task] in wiki.config.given for task in PAGES)


def wanted(wiki: Wiki, task: str) -> bool:
    """Whether the wiki asks for `task`'s work whatever the run names: the config sets one of its
    keys; an index or log task also when its page exists, the inbox task also in an LLM wiki
    (`llm_wiki`). `kbsleep status` counts inbox notes as waiting only then."""
    if any(key in wiki.config.given for key in KEYS[task]):
        return True
    return page(wiki, task) in wiki.pages if task in PAGES else llm_wiki(wiki)


def may_write(wiki: Wiki, context: Context, task: str) -> bool:
    """Whether `task` may do its work: the run named it, or the wiki asks for it (`wanted`)."""
    return task in context.named or wanted(wiki, task)


def creatable(wiki: Wiki, context: Context) -> frozenset[str]:
    """The pages this run may create that are not yet pages of the wiki: the index and log asked for."""
    return frozenset(page(wiki, task) for task in PAGES if may_write(wiki, context, task))


def note(unasked: Sequence[tuple[str, str]], source: Path | None) -> str:
    """The report's line for the tasks that did nothing because they were not asked for:
    `unasked` holds (task, its page or, for the inbox, its folder) in run order; "" when there are none."""
    where = "[tool.kbsleep] in pyproject.toml" if source is not None and source.name == "pyproject.toml" else (source.name if source is not None else "kbsleep.toml")
    pages = [(task, path) for task, path in unasked if task in PAGES]
    parts = [_pages_note(pages, where)] if pages else []
    parts += [_inbox_note(folder, where, bool(pages)) for task, folder in unasked if task == "inbox"]
    return "; ".join(parts)


def _pages_note(unasked: Sequence[tuple[str, str]], where: str) -> str:
    tasks = ", ".join(task for task, _ in unasked)
    paths = " or ".join(path for _, path in unasked)
    keys = " and ".join(f'{PAGES[task].replace("_", "-")} = "{path}"' for task, path in unasked)
    if len(unasked) > 1:
        return f"{tasks}: not run: the wiki has no {paths}, and its config names neither; to have consolidate create and keep them, set {keys} in {where}"
    return f"{tasks}: not run: the wiki has no {paths}, and its config does not name it; to have consolidate create and keep it, set {keys} in {where}"


def _inbox_note(folder: str, where: str, after_pages: bool) -> str:
    """The inbox's part of the line; `after_pages`: it follows the index and log's, which says why."""
    if after_pages:  # no index or log page, none named: the same reason, said once
        return f'inbox: not run either, so the notes in {folder}/ stay where they are; to have consolidate fold them into topic pages, set inbox = "{folder}" too'
    return (
        f"inbox: not run: the notes in {folder}/ stay where they are, as the wiki has no index or log page and its config names none, nor its inbox; "
        f'to have consolidate fold them into topic pages, set inbox = "{folder}" in {where}'
    )
