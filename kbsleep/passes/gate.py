"""The gate every pass's plan goes through before anything is written: only pages, no new errors.

Two checks, one place, for every pass (anticipate and each consolidate task):

- `refused`: a pass writes only pages of the wiki. Hidden files and folders (a name starting
  with `.`, at any depth: Obsidian does not show them; unless the config's `include` makes one
  a page), files the config's `exclude` names, and files the Wiki does not hold as pages are
  never written, whatever a plan says. (Templates and Obsidian's Excluded files are pages whose
  links the `links` task still repairs; the content passes leave them out: `Wiki.unjudged`.)
  Nor are the pages the config's `read-only` names (an LLM wiki's sources, `raw/`): they stay
  pages, read, linted, searched and linked to, and a pass may write *about* one elsewhere (a
  catalogue entry, answers in a sidecar file), never into it. The runner refuses a plan that
  writes one all the same (`kbsleep.git.runner`). Nor is a note a plugin keeps in its own
  format (a Kanban board, an Excalidraw drawing: `kbsleep.obsidian.plugin_file`), which the
  plugin writes back from its own data, dropping what another writer added.
- `check`: after the plan, no page may have an error-tier lint finding it did not have before.
  The plan is applied to the Wiki in memory (`with_texts`: only the changed pages are parsed,
  every other page and link outcome is reused), and only the touched pages and the pages
  linking to them are linted, before and after. A finding that moved with merged text (from a
  merged-away page to its survivor) is not new.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Iterable, Mapping, Sequence

from kbsleep.git.transaction import Edit
from kbsleep.lint import Selection, lint, selection_from_config
from kbsleep.lint.records import Diagnostic
from kbsleep.obsidian import is_hidden, plugin_file
from kbsleep.wiki import Wiki, with_texts
from kbsleep.wiki.discovery import glob_match

TIER = "error"  # the findings a plan may not add
SHOWN = 3  # findings named in a refusal's reason


READ_ONLY = "read-only (the config's `read-only`: kbsleep reads it and never writes it)"


def refused(wiki: Wiki, path: str, *, into: bool = True) -> str | None:
    """Why a pass may not write `path` (a wiki-relative path), or None when it may.

    A path the Wiki does not hold as a page may be created only where no file is yet (the
    index and log pages, an inbox archive), and never when it is hidden or excluded. With
    `into` False the pass writes about the page elsewhere (a catalogue entry, a sidecar's
    answers), which a read-only page allows.
    """
    pure = PurePosixPath(path)
    if not path or pure.is_absolute() or ".." in pure.parts or "\\" in path or "\0" in path:
        return "outside the wiki"
    if not path.lower().endswith(".md"):
        return "not a Markdown page"
    if is_hidden(path) and path not in wiki.pages:  # a hidden page is one only where `include` names it
        return "hidden (a file or folder name starting with `.`, which Obsidian does not show)"
    if any(glob_match(pattern, path) for pattern in wiki.config.exclude):
        return "excluded by the config (`exclude`)"
    if into and wiki.read_only(path):
        return READ_ONLY
    page = wiki.pages.get(path)
    what = plugin_file(page.frontmatter) if into and page is not None else None
    if what:
        return f"{what}, which its plugin writes back from its own data (text added to it is lost)"
    if path not in wiki.pages and (wiki.root / path).exists():
        return "not a page of the wiki (ignored by git, or not a regular file)"
    return None


def writable(wiki: Wiki, path: str, *, into: bool = True) -> bool:
    return refused(wiki, path, into=into) is None


@dataclass(frozen=True)
class Verdict:
    """What a plan would do to the wiki's error-tier findings."""

    after: Wiki  # the wiki with the plan applied, in memory
    new: tuple[Diagnostic, ...]  # error-tier findings the plan would add
    checked: int  # pages linted, before and after: the touched ones and the pages linking to them

    @property
    def ok(self) -> bool:
        return not self.new

    def reason(self) -> str:
        """The new findings in words, for a refusal."""
        shown = "; ".join(f"{d.path}:{d.location.line} {d.name}: {d.message}" for d in self.new[:SHOWN])
        more = f" (and {len(self.new) - SHOWN} more)" if len(self.new) > SHOWN else ""
        count = len(self.new)
        return f"it would add {count} error-tier lint finding{'s' if count != 1 else ''}: {shown}{more}"


def check(wiki: Wiki, edits: Sequence[Edit], moved: Mapping[str, str] | None = None) -> Verdict:
    """Apply `edits` to `wiki` in memory and find the error-tier findings they would add.

    `moved` maps a page the plan removes to the page its text went to (a merge): its findings
    before count as that page's, so a broken link carried over by a merge is not new.
    """
    moved = moved or {}
    after = with_texts(wiki, {e.path: e.text for e in edits})
    touched = {e.path for e in edits}
    focus = touched | wiki.backlinks.linking(touched & wiki.pages.keys()) | after.backlinks.linking(touched & after.pages.keys())
    selection = _errors_only(selection_from_config(wiki))
    before = Counter(_key(d, moved) for d in _findings(wiki, selection, focus))
    new: list[Diagnostic] = []
    for diagnostic in _findings(after, selection, focus):
        key = _key(diagnostic, {})
        if before[key] > 0:
            before[key] -= 1
        else:
            new.append(diagnostic)
    return Verdict(after, tuple(new), len(focus))


def _errors_only(selection: Selection) -> Selection | None:
    """The configured selection narrowed to its error-tier rules; None when it has none."""
    codes = tuple(rule.code for rule in selection.rules() if rule.severity == TIER)
    return dataclasses.replace(selection, select=codes, extend_select=()) if codes else None


def _findings(wiki: Wiki, selection: Selection | None, focus: Iterable[str]) -> list[Diagnostic]:
    scope = [path for path in focus if path in wiki.pages]
    if not scope or selection is None:
        return []
    return [d for d in lint(wiki, selection, scope=scope).diagnostics if d.severity == TIER]


def _key(diagnostic: Diagnostic, moved: Mapping[str, str]) -> tuple[str, str, str]:
    """A finding as line numbers aside: edits above it move it without changing it."""
    message = diagnostic.message
    for old, new in moved.items():
        message = message.replace(old, new)
    return (moved.get(diagnostic.path, diagnostic.path), diagnostic.code, message)
