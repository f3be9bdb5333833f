"""Bringing the index up to date with the wiki: which pages changed, and their rows rewritten.

The pages are the wiki model's (`kbsleep.wiki.take_snapshot`: discovery's files and their git
blob ids, through the same stat cache lint uses), less Obsidian's Excluded files, the agent's
instruction files, the catalogue and the log. A page is re-indexed when its blob id changed, or
when the file that keeps its answers did (`held`: with `anticipate.store = "sidecar"`, the
sidecar's blob id; sidecars are never indexed as pages).

Which pages to look at comes from one `git status` (`kbsleep.changes`): an unchanged
fingerprint means no page changed and nothing is listed at all (a warm `ask`); with HEAD as at
the last refresh, only the files dirty then or now are looked at. Outside git, every refresh
takes a whole snapshot.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kbsleep import changes
from kbsleep.config import Config
from kbsleep.search import storage
from kbsleep.state import immediate

if TYPE_CHECKING:
    from kbsleep.obsidian import VaultSettings
    from kbsleep.search.expansion import Expander
    from kbsleep.wiki import Snapshot
    from kbsleep.wiki.page import Page

# `kbsleep.wiki` (the Markdown parser) is imported only when pages changed: a warm `ask` must
# not pay for it.

BULK = 400  # at least this many changed pages: parse them through the wiki loader (parallel, cached)


@dataclass(frozen=True)
class Refresh:
    pages: int  # pages in the index afterwards
    updated: int  # pages (re)indexed
    removed: int
    rebuilt: bool  # the index file was missing, corrupt or of another version
    seconds: float  # the whole refresh, the vectors' included


def settings(config: Config, vault: VaultSettings) -> str:
    """What decides which files are pages and what their rows hold: a change re-checks every page."""
    answers = (config.anticipate.store, config.anticipate.sidecar_prefix)
    return repr((storage.VERSION, config.exclude, config.include, config.index_page, config.log_page, config.max_page_bytes, vault.prefix, vault.excluded, answers))


def refresh(db: sqlite3.Connection, root: Path, config: Config, vault: VaultSettings, rebuilt: bool, expander: Expander | None = None) -> Refresh:
    """Re-index the pages that changed since the last refresh; returns what changed."""
    started = time.perf_counter()
    setting = settings(config, vault)
    status = changes.status(root, setting)
    only: set[str] | None = None
    if status is not None and not rebuilt:
        meta = storage.meta(db)
        if meta.get("fingerprint") == status.mark:
            pages = db.execute("SELECT count(*) FROM pages").fetchone()[0]
            return Refresh(pages, 0, 0, False, time.perf_counter() - started)
        if meta.get("head") == status.head and meta.get("settings") == setting and "dirty" in meta:
            # Same commit as at the last refresh: only a file dirty then or now can differ.
            only = set(json.loads(meta["dirty"])) | set(status.dirty)
    done = _update(db, root, config, vault, rebuilt, only, expander)
    if status is not None:
        db.executemany(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            [("fingerprint", status.mark), ("head", status.head), ("settings", setting), ("dirty", json.dumps(sorted(status.dirty)))],
        )
    return Refresh(done.pages, done.updated, done.removed, done.rebuilt, time.perf_counter() - started)


def _update(db: sqlite3.Connection, root: Path, config: Config, vault: VaultSettings, rebuilt: bool, only: set[str] | None,
            expander: Expander | None = None) -> Refresh:  # fmt: skip
    """Re-index the pages that changed: among all pages, or among `only` (wiki paths); their
    sections expanded by `expander` (search/expansion.py)."""
    from kbsleep.wiki import take_snapshot

    anticipate = config.anticipate
    names = None
    if only is not None:
        # A sidecar that changed stands for its page (whose answers it keeps), and a page's
        # sidecar tells whether its answers changed.
        names = {n.removeprefix(anticipate.sidecar_prefix) for n in only if n.lower().endswith(".md")}
        if anticipate.store == "sidecar":
            names |= {anticipate.sidecar(n) for n in names}
    snapshot = take_snapshot(root, config=config, vault=vault, only=names)
    listed = set(snapshot.pages) - snapshot.excluded - {config.index_page, config.log_page}
    stored = {row[0]: (row[1], row[2]) for row in db.execute("SELECT path, blob, held FROM pages")}
    changed: dict[str, tuple[str, str]] = {}  # path -> (blob, held)
    for path in sorted(listed):
        blob = snapshot.blobs.get(path)
        if blob is None:
            continue  # unreadable: kept as it was
        now = (blob, _held(snapshot, config, path))
        if stored.get(path) != now:
            changed[path] = now
    removed = (set(stored) if only is None else set(stored) & only) - listed
    pages, sidecars = _parse(snapshot, changed, partial=names is not None)
    # Every stored page changed or went: clear the tables instead of deleting row by row.
    rebuild = only is None and not (set(stored) - set(changed) - removed)
    with immediate(db):
        if rebuild:
            for table in storage.PAGE_TABLES:
                db.execute(f"DELETE FROM {table}")
        else:
            for path in removed | set(changed):
                storage.delete_page(db, path)
        db.executemany("DELETE FROM pages WHERE path = ?", [(path,) for path in removed])
        storage.insert_pages(db, pages.values(), sidecars, in_page=anticipate.store != "sidecar", expander=expander)
        db.executemany(
            "INSERT OR REPLACE INTO pages (path, blob, held, name) VALUES (?, ?, ?, ?)",
            [(path, *changed[path], storage.name_key(path)) for path in pages],
        )
        if pages or removed:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('generation', ?)", (str(time.time_ns()),))
    total = db.execute("SELECT count(*) FROM pages").fetchone()[0]
    return Refresh(total, len(pages), len(removed), rebuilt, 0.0)


def _held(snapshot: Snapshot, config: Config, path: str) -> str:
    """The state of the file that keeps `path`'s answers: "page", or the sidecar's blob id."""
    if config.anticipate.store != "sidecar":
        return "page"
    blob = snapshot.blobs.get(config.anticipate.sidecar(path))
    return f"sidecar {blob}" if blob else "sidecar"


def _parse(snapshot: Snapshot, changed: dict[str, tuple[str, str]], partial: bool) -> tuple[dict[str, Page], dict[str, Page]]:
    """The changed pages, parsed, and the sidecars that keep their answers (by page path);
    `partial`: `snapshot` is of the files that may have changed only."""
    config = snapshot.config
    anticipate = config.anticipate
    with_sidecar = [path for path, (_, held) in changed.items() if held.startswith("sidecar ")]
    if len(changed) >= BULK:
        # Many pages: the wiki loader parses them a process per core and shares its cache.
        from kbsleep.wiki import load_wiki, take_snapshot

        whole = take_snapshot(snapshot.root, config=config, vault=snapshot.vault) if partial else snapshot
        loaded = load_wiki(snapshot=whole)
        pages = {path: loaded.pages[path] for path in changed if path in loaded.pages}
        held = {path: loaded.sidecars[anticipate.sidecar(path)] for path in with_sidecar if anticipate.sidecar(path) in loaded.sidecars}
        return pages, held
    from kbsleep.wiki.parse import parse_page

    limit = config.max_page_bytes
    pages = {path: parse_page(path, snapshot.data(path), max_bytes=limit, blob=blob) for path, (blob, _) in changed.items()}
    held = {}
    for path in with_sidecar:
        sidecar = anticipate.sidecar(path)
        held[path] = parse_page(sidecar, snapshot.data(sidecar), max_bytes=limit, blob=snapshot.blobs[sidecar])
    return pages, held
