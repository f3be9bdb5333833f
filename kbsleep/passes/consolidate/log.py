"""The `log` task: append what this run did to `log.md`, one `## [date] consolidate | ...` entry a task."""

from __future__ import annotations

from kbsleep.gitops import Edit
from kbsleep.passes.consolidate.records import Context, Outcome
from kbsleep.passes.modeltext import inert
from kbsleep.wiki import Wiki


def plan(wiki: Wiki, context: Context) -> Outcome:
    path = wiki.config.log_page
    page = wiki.pages.get(path)
    entries = []
    for outcome in context.earlier:
        if not outcome.edits:  # a task that changed nothing is not news, even with items left
            continue
        lines = [f"## [{context.today.isoformat()}] consolidate | {outcome.task}: {outcome.summary}", ""]
        lines += [f"- {item}" for item in outcome.done]
        lines += [f"- left `{inert(left.path)}`: {_plain(left.reason)}" for left in outcome.left]
        entries.append("\n".join(lines) + "\n")
    if not entries:
        return Outcome("log", "nothing to log")
    text = page.text if page is not None else "# Log\n"
    text = text.rstrip("\n") + "\n\n" + "\n".join(entries)
    done = (f"appended {len(entries)} entr{'ies' if len(entries) != 1 else 'y'}",)
    return Outcome("log", f"log {len(entries)} task{'s' if len(entries) != 1 else ''} in {path}", (Edit(path, text, "appended consolidate entries"),), (), done)


def _plain(reason: str) -> str:
    """A reason as inert text: model words never become links or markup in the log."""
    return inert(reason)
