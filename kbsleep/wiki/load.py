"""The Wiki model and what builds it: a Snapshot of the wiki's files, then every page parsed
once, links resolved, the link graph; shared read-only (`kbsleep.wiki` names all of it).

The modules it is built from (discovery, the caches, the parser's rows, the resolver and the
graph) are imported where a load uses them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
from functools import partial
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Mapping

from kbsleep.config import Config, load_config
from kbsleep.errors import KbsleepError
from kbsleep.wiki.content import blob_id, decode_text
from kbsleep.obsidian import VaultSettings, read_vault

if TYPE_CHECKING:
    from kbsleep.wiki import cache
    from kbsleep.wiki.graph import Backlinks, Outlinks
    from kbsleep.wiki.page import Page, Problem
    from kbsleep.wiki.parsing import Progress, Todo
    from kbsleep.wiki.outcomes import Names
    from kbsleep.wiki.resolve import ResolvedLink, Resolver

# The link and stat caches are rewritten when a load worked out outcomes for at least 1/20 as
# many links as the wiki has pages, or 1/20 of the file statuses changed. Below that, rewriting
# all of them (4.5 MB at 10k pages, 0.06 s: most of a pre-commit run's writing) costs more than
# the next load working the same few out again from the older caches, which still hold for every
# page they do not mark changed.
REWRITE_SHARE = 20


@dataclass(frozen=True, eq=False)  # identity equality: a Wiki is one load of one folder
class Wiki:
    root: Path
    config: Config
    pages: Mapping[str, Page]  # by path relative to root, sorted
    attachments: frozenset[str]  # the files links may open that are no pages, notes git ignores too (see wiki/discovery.py)
    resolver: Resolver
    outlinks: Outlinks  # every link of every page, resolved (on first use: see wiki/graph.py)
    backlinks: Backlinks  # links that open (or were meant for) a page
    git_top: Path | None
    stats: Mapping[str, int]  # "parsed" and "cached" page counts of this load
    vault: VaultSettings = VaultSettings()  # Obsidian's settings: Excluded files, templates folders
    templates: frozenset[str] = frozenset()  # template pages: links checked, content not judged
    excluded: frozenset[str] = frozenset()  # Obsidian's Excluded files, and the agent files (discovery.is_agent_file): link targets, nothing judged
    sidecars: Mapping[str, Page] = dataclasses.field(default_factory=dict)  # by path: files that keep answers beside their pages (no pages)

    @property
    def unjudged(self) -> frozenset[str]:
        """The pages whose content is not judged: templates and Excluded files. No page or fact
        rule reports on them, they are no evidence for other pages' facts, and no pass writes
        questions, merges, folded notes or catalogue entries for them (links are still theirs)."""
        return self.templates | self.excluded if self.excluded else self.templates

    def read_only(self, path: str) -> bool:
        """Is `path` (wiki-relative) a page kbsleep reads and never writes (`read-only`)? A file
        of the answers' sidecar folder is kbsleep's own, never one (it keeps a page's answers
        beside it, leaving the page as it is)."""
        from kbsleep.wiki.discovery import matches

        return matches(self.config.read_only, path) and not path.startswith(self.config.anticipate.sidecar_prefix)

    def links(self) -> Iterator[ResolvedLink]:
        for resolved in self.outlinks.values():
            yield from resolved

    @property
    def index_page(self) -> Page | None:
        return self.pages.get(self.config.index_page)

    def rel(self, path: Path) -> str:
        """A filesystem path as a wiki path ('/' separated, relative to the root)."""
        return path.resolve().relative_to(self.root.resolve()).as_posix()


@dataclass(frozen=True, eq=False)
class Snapshot:
    """The wiki's files and their content hashes at one moment: what a Wiki is built from.

    A page whose file status (size, times, inode) is as it was when kbsleep last read it keeps
    the blob id it had then, as git's index does, and its bytes are read only when needed
    (`data`), checked against that id. Its `fingerprint` changes whenever any page or
    attachment is added, removed, renamed or edited, so results computed from a whole wiki can
    be cached under it.
    """

    root: Path
    config: Config
    git_top: Path | None
    pages: tuple[str, ...]
    attachments: tuple[str, ...]
    contents: Mapping[str, bytes | OSError]  # what was read while taking it
    blobs: Mapping[str, str]
    vault: VaultSettings = VaultSettings()
    templates: frozenset[str] = frozenset()  # see `Wiki.templates`
    excluded: frozenset[str] = frozenset()  # see `Wiki.excluded`
    sidecars: tuple[str, ...] = ()  # the files that keep pages' answers beside them (`anticipate.store`)

    @property
    def fingerprint(self) -> str:
        digest = hashlib.sha1()
        for path in self.pages:
            digest.update(f"{path}\0{self.blobs.get(path, '-')}\n".encode("utf-8", "surrogateescape"))
        for path in self.attachments:
            digest.update(f"{path}\n".encode("utf-8", "surrogateescape"))
        # Which pages are set aside comes from Obsidian's settings files, which are hidden and so
        # in no list above: results that depend on it must not outlive a change to them.
        for kind, paths in (("template", self.templates), ("excluded", self.excluded)):
            for path in sorted(paths):
                digest.update(f"{kind}\0{path}\n".encode("utf-8", "surrogateescape"))
        for path in self.sidecars:  # a stale sidecar is a finding (stale-generated)
            digest.update(f"sidecar {path}\0{self.blobs.get(path, '-')}\n".encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    def data(self, path: str) -> bytes | OSError:
        """A page's bytes: as read with the snapshot, or read now and checked against its blob id."""
        found = self.contents.get(path)
        if found is not None:
            return found
        try:
            data = _read(os.path.join(self.root, path))
        except OSError as exc:
            raise _changed(path) from exc
        if blob_id(data) != self.blobs[path]:
            raise _changed(path)
        return data

    def text(self, path: str) -> str:
        data = self.data(path)
        return "" if isinstance(data, OSError) else decode_text(data)


def _changed(path: str) -> KbsleepError:
    return KbsleepError(f"{path} changed while kbsleep was reading the wiki", hint="run the command again")


RACY_NS = 2_000_000_000  # a file changed this recently may change again within one tick of its clock


def open_wiki(path: Path | str = ".", overrides: Mapping | None = None, progress: Progress | None = None) -> Wiki:
    """Load the wiki at `path` with its config file and command-line overrides."""
    return load_wiki(snapshot=take_snapshot(path, overrides), progress=progress)


def take_snapshot(path: Path | str = ".", overrides: Mapping | None = None, config: Config | None = None, use_cache: bool = True, vault: VaultSettings | None = None, only: Iterable[str] | None = None) -> Snapshot:
    """Find the wiki's files (with its config and Obsidian's settings, unless given) and hash the
    ones changed since kbsleep last did. `only`: of these files alone (see `discover`), a part of
    the wiki for a caller that knows which files may have changed (nothing is loaded from it)."""
    from kbsleep.wiki import cache
    from kbsleep.wiki.discovery import discover, git_toplevel, set_aside

    root = Path(path)
    if not root.is_dir():
        raise KbsleepError(f"wiki folder not found: {root}")
    top = git_toplevel(root)
    config = config or load_config(root, overrides, top)
    vault = vault if vault is not None else read_vault(root, top)
    files = discover(root, config.exclude, in_git=top is not None, include=config.include, sidecars=config.anticipate.sidecar_prefix, only=only)
    templates, excluded = set_aside(files.pages, vault, config.lint.templates, config.include)
    known = cache.read_stats(root) if use_cache else {}
    seen: cache.Stats = {}
    settled = time.time_ns() - RACY_NS
    contents: dict[str, bytes | OSError] = {}
    blobs: dict[str, str] = {}
    folder = os.fspath(root)
    for name in (*files.pages, *files.sidecars):
        status = files.stats.get(name)
        earlier = known.get(name)
        if status is not None and earlier is not None and earlier[0] == status:
            blobs[name] = earlier[1]
            seen[name] = earlier
            continue
        try:
            contents[name] = data = _read(os.path.join(folder, name))
        except OSError as exc:
            contents[name] = exc
            continue
        blobs[name] = blob_id(data)
        if status is not None and max(status[1], status[2]) < settled:
            seen[name] = (status, blobs[name])
    # Rewritten when a real share of entries changed: a page or two out of date costs the next
    # run a read and a hash each, less than writing every page's entry again.
    if use_cache and only is None and seen != known and _differing(seen, known) * REWRITE_SHARE >= max(len(seen), 1):
        cache.save_stats(root, seen)
    return Snapshot(root, config, top, files.pages, files.attachments, contents, blobs, vault, templates, excluded, files.sidecars)


def _differing(now: cache.Stats, before: cache.Stats) -> int:
    return sum(1 for path, entry in now.items() if before.get(path) != entry) + len(before.keys() - now.keys())


def _read(path: str, first: int = 1 << 16) -> bytes:
    """A file's bytes in as few system calls as it takes (a snapshot reads every page, every run)."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        data = os.read(handle, first)
        if len(data) < first:
            return data  # the common case: a page smaller than the first read, no second call
        chunks = [data]
        while chunk := os.read(handle, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(handle)


def load_wiki(root: Path | None = None, config: Config | None = None, *, progress: Progress | None = None, use_cache: bool = True, snapshot: Snapshot | None = None, vault: VaultSettings | None = None) -> Wiki:
    """Build the Wiki from `snapshot`, or from a fresh one of `root` with `config` (and `vault`,
    Obsidian's settings, when `root` is a copy that lacks them)."""
    from kbsleep.wiki import cache
    from kbsleep.wiki.graph import Backlinks, Outlinks
    from kbsleep.wiki.outcomes import names_of
    from kbsleep.wiki.parsing import collector_paused

    if snapshot is None:
        if root is None:
            raise TypeError("load_wiki needs a root or a snapshot")
        snapshot = take_snapshot(root, config=config or Config(), use_cache=use_cache, vault=vault)
    config = snapshot.config
    with collector_paused():
        pages, counts, write_parse_cache = _parse_all(snapshot, progress, use_cache)
        sidecars = {path: pages.pop(path) for path in snapshot.sidecars if path in pages}
        names = names_of(pages)
        resolver = _resolver(snapshot, pages, names, use_cache)
        outlinks = Outlinks(pages, resolver)
        # What the link cache does not hold is worked out now, while the collector sleeps; the
        # parse cache is written meanwhile (by this process, while a child resolves, when there
        # are many).
        outlinks.settle(meanwhile=write_parse_cache)
        if use_cache and resolver.computed * REWRITE_SHARE >= len(pages):
            known = {path: outlinks.outcomes(path) for path in pages}
            state = cache.LinkState(config.links.resolve, names, snapshot.attachments, known)
            cache.save_links(snapshot.root, state)
    return Wiki(
        root=snapshot.root,
        config=config,
        pages=pages,
        attachments=frozenset(snapshot.attachments),
        resolver=resolver,
        outlinks=outlinks,
        backlinks=Backlinks(outlinks),
        git_top=snapshot.git_top,
        stats=counts,
        vault=snapshot.vault,
        templates=snapshot.templates,
        excluded=snapshot.excluded,
        sidecars=sidecars,
    )


def with_texts(wiki: Wiki, texts: Mapping[str, str | None]) -> Wiki:
    """The wiki as it would be with these pages' new texts (None: the page removed), in memory.

    What a pass plans is checked on this before anything is written. Only the changed pages are
    parsed; every other page is `wiki`'s own record, and every link outcome the changes cannot
    have altered is `wiki`'s (`still_valid`), so a few edits to a large wiki cost little. Nothing
    is read from or written to the caches on disk: they describe the files, not a plan.
    """
    from kbsleep.wiki.graph import Backlinks, Outlinks
    from kbsleep.wiki.outcomes import names_of, still_valid
    from kbsleep.wiki.page import Page
    from kbsleep.wiki.parsing import collector_paused, parse_rows
    from kbsleep.wiki.resolve import Resolver

    pages = dict(wiki.pages)
    todo: list[Todo] = []
    for path, text in texts.items():
        if text is None:
            pages.pop(path, None)
        else:
            data = text.encode("utf-8")
            todo.append((path, data, blob_id(data)))
    max_bytes = wiki.config.max_page_bytes
    for (path, data, blob), row in zip(todo, parse_rows(todo, max_bytes, None)):
        pages[path] = Page.from_row(row, decode_text(data))
        _remember((path, blob, max_bytes), row)
    pages = dict(sorted(pages.items()))  # the order discovery gives
    with collector_paused():
        before = {path: wiki.outlinks.outcomes(path) for path in wiki.pages}
        known, recheck = still_valid(before, pages, names_of(wiki.pages), wiki.attachments, names_of(pages), wiki.attachments)
        resolver = Resolver(pages, wiki.attachments, resolve_titles=wiki.config.links.resolve == "titles", known=known, recheck=recheck)
        outlinks = Outlinks(pages, resolver)
        outlinks.settle()
    counts = {"parsed": len(todo), "cached": len(pages) - len(todo)}
    return dataclasses.replace(wiki, pages=pages, resolver=resolver, outlinks=outlinks, backlinks=Backlinks(outlinks), stats=counts)


# Rows of pages parsed from planned texts, by (path, blob, max bytes): when the plan is written,
# the next load finds the same bytes and takes the row instead of parsing the page again (a pass
# that writes thousands of pages would otherwise parse each twice: to check it, then to load it).
_PLANNED: dict[tuple[str, str, int], tuple] = {}
PLANNED_ROWS = 50_000


def _remember(key: tuple[str, str, int], row: tuple) -> None:
    if len(_PLANNED) >= PLANNED_ROWS:
        _PLANNED.clear()
    _PLANNED[key] = row


def _resolver(snapshot: Snapshot, pages: dict[str, Page], names: Names, use_cache: bool) -> Resolver:
    """A resolver that starts from the last load's outcomes the changes since cannot have altered,
    and from the lookup tables of the last load with the same names."""
    from kbsleep.wiki import cache
    from kbsleep.wiki.outcomes import still_valid
    from kbsleep.wiki.resolve import Resolver

    mode = snapshot.config.links.resolve
    if not use_cache:
        return Resolver(pages, snapshot.attachments, resolve_titles=mode == "titles")
    earlier = cache.read_links(snapshot.root)
    known, recheck = None, set()
    if earlier is not None and earlier.mode == mode:
        known, recheck = still_valid(earlier.known, pages, earlier.names, earlier.attachments, names, snapshot.attachments)
    tables = cache.TableStore(snapshot.root, names, snapshot.attachments)
    return Resolver(pages, snapshot.attachments, resolve_titles=mode == "titles", known=known, recheck=recheck, tables=tables)


def _parse_all(snapshot: Snapshot, progress: Progress | None, use_cache: bool) -> tuple[dict[str, Page], dict[str, int], Callable[[], None]]:
    """Every page: from the parse cache, or parsed now; and what writes the parse cache (the
    caller runs it when it suits: a cold load, while a child resolves links). Pages of the base
    cache file are read from it when their fields are used (`Page.from_store`); pages parsed
    now keep their rows in memory."""
    from kbsleep.wiki import cache
    from kbsleep.wiki.page import Page
    from kbsleep.wiki.parsing import parse_rows

    root, max_bytes = snapshot.root, snapshot.config.max_page_bytes
    stored = cache.read(root) if use_cache else cache.Stored()
    keys: dict[str, cache.Key] = {}  # the pages that can be cached: all but unreadable files
    todo: list[Todo] = []
    fresh: cache.Rows = {}
    every = (*snapshot.pages, *snapshot.sidecars)  # sidecars are parsed (and cached) as pages are
    for path in every:
        if isinstance(snapshot.contents.get(path), OSError):
            continue
        key = keys[path] = (path, snapshot.blobs[path])
        if key not in stored:
            planned = _PLANNED.pop((*key, max_bytes), None)  # parsed already, from a pass's plan
            if planned is not None:
                fresh[key] = planned
            else:
                todo.append((path, snapshot.data(path), key[1]))
    for (path, _, blob), row in zip(todo, parse_rows(todo, max_bytes, progress)):
        fresh[(path, blob)] = row
    base, rows = stored.base, {**stored.delta, **fresh}
    stored_page = Page.from_store(base) if base is not None else None
    pages: dict[str, Page] = {}
    contents, read = snapshot.contents, snapshot.text
    for path in every:
        data = contents.get(path)
        if isinstance(data, OSError):
            from kbsleep.wiki.parse import parse_page  # the parser (markdown-it, YAML) only when parsing

            page = parse_page(path, b"")
            pages[path] = dataclasses.replace(page, problems=(*page.problems, _unreadable(data)))
            continue
        key = keys[path]
        text = partial(read, path) if data is None else partial(decode_text, data)  # decoded when first read
        row = rows.get(key)
        pages[path] = Page.from_row(row, text) if row is not None else stored_page(base.index[key], path, key[1], text)  # type: ignore[misc,union-attr]
    write = partial(cache.save, root, list(keys.values()), stored, fresh) if use_cache else (lambda: None)
    return pages, {"parsed": len(todo), "cached": len(pages) - len(todo)}, write


def _unreadable(exc: OSError) -> Problem:
    from kbsleep.wiki.page import Problem

    return Problem("encoding-error", f"cannot read the file: {exc.strerror or exc}")
