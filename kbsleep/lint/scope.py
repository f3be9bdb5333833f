"""Which pages a lint run reports on: the paths given, the staged pages, or those changed since a ref.

Deleted and renamed pages widen the scope to the pages whose links they break, since a commit
that renames `A.md` breaks `[[A]]` elsewhere without touching those pages.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterable

from kbsleep.errors import KbsleepError
from kbsleep.git import failures, reads
from kbsleep.wiki import Wiki
from kbsleep.wiki.outcomes import names_matched
from kbsleep.wiki.resolve import fold


def from_paths(wiki: Wiki, paths: Iterable[str]) -> set[str]:
    """Command-line paths (relative to the current directory) as wiki pages; folders expand."""
    root = wiki.root.resolve()
    scope: set[str] = set()
    for raw in paths:
        path = Path(raw).resolve()
        try:
            rel = path.relative_to(root).as_posix()
        except ValueError:
            continue  # outside the wiki: pre-commit passes every staged Markdown file of the repo
        if path.is_dir():
            prefix = "" if rel == "." else rel + "/"
            scope.update(p for p in wiki.pages if p.startswith(prefix))
        elif rel in wiki.pages:
            scope.add(rel)
        elif not path.exists():
            raise KbsleepError(f"no such file: {raw}")
    return scope


def from_git(wiki: Wiki, staged: bool = False, since: str | None = None) -> set[str]:
    """Pages added or modified in the index (`staged`) or since `since`, plus pages whose links broke."""
    if wiki.git_top is None:
        if shutil.which("git") is None:
            raise failures.git_missing()
        given = "--staged" if staged else "--changed-since"  # name only the option given: the lint tool takes one of them
        raise KbsleepError(f"`{given}` needs the wiki to be in a git repository", hint=f"run `kbsleep lint` without `{given}` to check every page, or `git init` the wiki and commit it")
    found = reads.staged(wiki.root) if staged else reads.changed_since(wiki.root, since or "HEAD")
    return {p for p in found.changed if p in wiki.pages} | broken_by(wiki, found.gone)


def broken_by(wiki: Wiki, gone: Iterable[str]) -> set[str]:
    """Pages with a now-missing link that could have opened one of the `gone` files (a page or
    an attachment, by path or file name; a Markdown link too, which falls back to the file name)."""
    names = set()
    for path in gone:
        whole = fold(path)
        names.update((whole, whole.rsplit("/", 1)[-1]))
        if whole.endswith(".md"):
            names.update((whole[:-3], whole[:-3].rsplit("/", 1)[-1]))
    if not names:
        return set()
    return {
        item.source for item in wiki.links()
        if item.status in ("missing", "meant-for")
        and not names.isdisjoint(names_matched(item.link.kind, item.link.target, item.source.rsplit("/", 1)[0] if "/" in item.source else ""))
    }  # fmt: skip
