"""The `log` task: append what this run did to `log.md`, one `## [date] consolidate | ...` entry a task.

The entries are appended after the page's last line, in the page's own line ending; nothing
before them changes (`OutsideSpans`). A log page kbsleep cannot read exactly is left as it is.
The page is kept when it exists and created only when asked for (`asked`).
"""

from __future__ import annotations

from kbsleep.git.transaction import Edit
from kbsleep.passes.consolidate import asked, exact
from kbsleep.passes.consolidate.records import Batch, Context, Left, Outcome
from kbsleep.passes.modeltext import inert
from kbsleep.wiki import Wiki
from kbsleep.wiki.content import NotExact
from kbsleep.wiki.fences import line_ending, separator
from kbsleep.wiki.spans import in_ending


def plan(wiki: Wiki, context: Context) -> Outcome:
    path = wiki.config.log_page
    if not asked.may_write(wiki, context, "log"):
        return Outcome("log", f"not run: no {path}", unasked=path)
    entries = []
    for outcome in context.earlier:
        if outcome.edits:
            lines = [f"## [{context.today.isoformat()}] consolidate | {outcome.task}: {outcome.summary}", ""]
            lines += [f"- {item}" for item in outcome.done]
            lines += [f"- left `{inert(left.path)}`: {_plain(left.reason)}" for left in outcome.left]
        elif outcome.deferred:
            lines = [f"## [{context.today.isoformat()}] consolidate | {outcome.task}: left for a later run", ""]
        else:  # a task that changed nothing is not news, even with items left
            continue
        if outcome.deferred:
            count = len(outcome.deferred)
            lines.append(f"- {count} more piece{'s' if count != 1 else ''} of work left for a later run (max-pages-per-run), from `{outcome.deferred[0]}`")
        entries.append("\n".join(lines) + "\n")
    if not entries:
        return Outcome("log", "nothing to log")
    summary = f"log {len(entries)} task{'s' if len(entries) != 1 else ''} in {path}"
    if not Batch(context.room, context.texts).take([path], path):
        return Outcome("log", summary, deferred=(path,))
    added = "\n".join(entries)
    done = (f"appended {len(entries)} entr{'ies' if len(entries) != 1 else 'y'}",)
    if path not in wiki.pages:
        return Outcome("log", summary, (Edit(path, "# Log\n\n" + added, "appended consolidate entries"),), (), done)
    try:
        text = exact.tracked(wiki, context, path)
    except NotExact as exc:
        return Outcome("log", "nothing logged", left=(Left("log", path, str(exc)),))
    ending = line_ending(text.text)
    text = text.insert(len(text.parsed), separator(text.text, ending) + in_ending(added, ending))
    return Outcome("log", summary, (Edit(path, text.text, "appended consolidate entries", keep=text.keep("the entries it appends")),), (), done)


def _plain(reason: str) -> str:
    """A reason as inert text: model words never become links or markup in the log."""
    return inert(reason)
