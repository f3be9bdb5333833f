"""The wiki model's caches: parsed pages, and the link outcomes of the last load.

Files under `<wiki>/.kbsleep/`, private git-ignored state written by this tool alone. The parse
cache holds each page as a row of plain builtins (`Page.to_row`) keyed by (path, git blob id),
its base file column by column (`Columns`), read as pages' fields are used; the link cache holds
each page's link outcomes with the names they were worked out against. All are `marshal` data:
several times faster to load than pickled objects, and it cannot run code. A missing, corrupt or
foreign file is an empty cache, never an error (a column found damaged after the file was opened
is one: the file is removed, and the next run rebuilds it).
"""

from __future__ import annotations

import hashlib
import marshal
import mmap
import os
from pathlib import Path
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate, chain
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from kbsleep import __version__
from kbsleep.errors import KbsleepError
from kbsleep.state import STATE_DIR, ensure_state_dir
from kbsleep.wiki.page import EAGER_COLUMNS, ROW_KEYS

CACHE_FILE = "parse-cache.marshal"
DELTA_FILE = "parse-cache-delta.marshal"
LINKS_FILE = "link-cache.marshal"
SCHEMA = 6


def _source_fingerprint(*names: str) -> str:
    """A hash of these modules' own source, so an edited (or editable-installed) kbsleep never
    reads what an older one wrote under the same version number."""
    here = Path(__file__).parent
    digest = hashlib.sha1()
    for name in names:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:12]


# The modules a page's cache row is made by (a test checks that the parser imports no other).
PARSER_MODULES = (
    "cache.py", "page.py", "parse.py", "markdown.py", "plain.py", "content.py", "claims.py", "frontmatter.py", "properties.py", "fields.py",
    "wikilink.py", "mdstate.py", "markers.py", "positions.py", "texmath.py",
)
KEY = f"kbsleep {__version__} parse-cache {SCHEMA} {_source_fingerprint(*PARSER_MODULES)}"
# The modules that work out a link's outcome, and which outcomes of an earlier load still hold.
RESOLVER_MODULES = ("resolve.py", "linkpath.py", "outcomes.py")
LINKS_KEY = f"{KEY} links {_source_fingerprint(*RESOLVER_MODULES)}"
Key = tuple[str, str]  # (path, git blob id)
Rows = dict[Key, tuple[Any, ...]]  # key -> Page row without text (`Page.to_row`)
# The fields read as one record each, for every page at once: the ones a run reads of every
# page. The others are kept page by page (each value its own marshal record, found through the
# column of their end offsets, `NAME@`), so reading one page's links or frontmatter does not
# copy in every page's.
WHOLE = frozenset({"keys", "problems", "tags", *EAGER_COLUMNS})
PER_PAGE = frozenset(ROW_KEYS) - WHOLE - {"path", "blob", "text"}
RAW = frozenset(name for name in PER_PAGE if name.startswith("_packed_"))  # values that are marshal data already: kept as they are
COLUMNS = WHOLE | PER_PAGE | {f"{name}@" for name in PER_PAGE}


class Columns:
    """The base parse cache, column by column (see `WHOLE`), read when a page's field is first
    used (`Page.from_store`).

    A pre-commit lint reads the titles, aliases and claims of every page, and the links,
    headings or frontmatter of a few: it unpacks only those. The file is mapped, not read: what
    nobody asks for is never copied in.
    """

    def __init__(self, path: Path, view: mmap.mmap | bytes, spans: Mapping[str, tuple[int, int]], keys: tuple[Key, ...]) -> None:
        self._path, self._view, self._spans = path, view, spans
        self._loaded: dict[str, tuple[Any, ...]] = {}
        self._across: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        self.index = dict(zip(keys, range(len(keys))))  # key -> its place in every column

    def column(self, name: str) -> tuple[Any, ...]:
        """A whole column (`WHOLE`, or a per-page column's end offsets)."""
        found = self._loaded.get(name)
        if found is None:
            start, size = self._spans[name]
            found = self._loads(start, start + size)
            if type(found) is not tuple or len(found) != len(self.index):
                raise self.damaged(ValueError(name))
            self._loaded[name] = found
        return found

    def value(self, name: str, index: int) -> Any:
        """One page's value of a field."""
        if name in WHOLE:
            return self.column(name)[index]
        ends = self.column(f"{name}@")
        start = self._spans[name][0]
        begin, end = start + (ends[index - 1] if index else 0), start + ends[index]
        return self._view[begin:end] if name in RAW else self._loads(begin, end)

    def across(self, names: tuple[str, ...]) -> list[tuple[Any, ...]]:
        """Each page's values of these whole columns, in the order of `names`."""
        found = self._across.get(names)
        if found is None:
            found = self._across[names] = list(zip(*map(self.column, names)))
        return found

    def row(self, index: int, key: Key) -> tuple[Any, ...]:
        """A page's row, as `Page.to_row` makes it."""
        return tuple(key[0] if name == "path" else key[1] if name == "blob" else "" if name == "text" else self.value(name, index) for name in ROW_KEYS)

    def release(self) -> None:
        """Copy the file into memory and unmap it, so that it can be replaced while this load's
        pages still read from it."""
        if isinstance(self._view, mmap.mmap):
            view, self._view = self._view, self._view[:]
            view.close()

    def _loads(self, start: int, end: int) -> Any:
        try:
            return marshal.loads(self._view[start:end])
        except Exception as exc:  # noqa: BLE001 - damaged on disk since it was opened
            raise self.damaged(exc) from exc

    def damaged(self, exc: Exception) -> KbsleepError:
        """The error for a value found damaged since the file was opened; the file goes."""
        self._path.unlink(missing_ok=True)  # rebuilt by the next run
        return KbsleepError(f"the parse cache {self._path} is damaged ({exc})", hint="run the command again")


@dataclass(frozen=True)
class Stored:
    """What the cache held at the start of a load."""

    base: Columns | None = None  # the base file
    delta: Rows = field(default_factory=dict)  # the delta file's rows: pages parsed since the base was written

    def __contains__(self, key: object) -> bool:
        return key in self.delta or (self.base is not None and key in self.base.index)

    def keys(self) -> set[Key]:
        return {*(self.base.index if self.base is not None else ()), *self.delta}

    def row(self, key: Key) -> tuple[Any, ...]:
        found = self.delta.get(key)
        if found is None:
            assert self.base is not None
            found = self.base.row(self.base.index[key], key)
        return found


def read(root: Path) -> Stored:
    base = _read_columns(root / STATE_DIR / CACHE_FILE)
    if base is None:
        return Stored()
    return Stored(base, _read_file(root / STATE_DIR / DELTA_FILE) or {})


def save(root: Path, live: Sequence[Key], stored: Stored, fresh: Rows) -> None:
    """Keep the cache in step after a load (`live`: the keys of its pages, `fresh` the rows of
    those parsed anew), writing as little as it can.

    A few pages parsed anew go to a small delta file beside the base one, so a pre-commit run
    that changed one page does not rewrite the rows of ten thousand. When the delta or the rows
    of pages gone grow past a twentieth of the wiki, everything is written again, compacted.
    The load's pages may still read the old base file: it stays mapped (on Windows, which
    replaces no mapped file, it is copied into memory first).
    """
    limit = max(100, len(live) // 20)
    wanted = set(live)
    stale = len(stored.keys() - wanted)
    if not fresh and stale <= limit:
        return
    recent = (stored.delta.keys() & wanted) | fresh.keys()
    try:
        folder = ensure_state_dir(root)
        if stored.base is not None and len(recent) <= limit and stale <= limit:
            _write(folder / DELTA_FILE, _chunks([(key, fresh.get(key) or stored.row(key)) for key in recent]))
            return
        rows = [(key, fresh.get(key) or stored.row(key)) for key in live]
        if stored.base is not None and os.name == "nt":
            stored.base.release()
        _write(folder / CACHE_FILE, _column_file(rows))
        (folder / DELTA_FILE).unlink(missing_ok=True)
    except OSError:
        return  # a read-only wiki: parse again next time


def _column_file(rows: list[tuple[Key, tuple[Any, ...]]]) -> list[bytes]:
    """The base file: a header (the key, and where each column lies after the header), then
    the columns, in pieces (the pages' values are not joined into one copy of the file first)."""
    try:
        columns = _columns(rows)
    except ValueError:  # an exotic YAML value marshal cannot hold: parse that page again next time
        columns = _columns([(key, row) for key, row in rows if _marshallable(row)])
    spans, offset = {}, 0
    for name, parts in columns.items():
        size = sum(map(len, parts))
        spans[name] = (offset, size)
        offset += size
    return [_framed(marshal.dumps((KEY, spans))), *chain.from_iterable(columns.values())]


def _columns(rows: list[tuple[Key, tuple[Any, ...]]]) -> dict[str, list[bytes]]:
    columns = {"keys": [marshal.dumps(tuple(key for key, _ in rows))]}
    for name, values in zip(ROW_KEYS, zip(*(row for _, row in rows)) if rows else [()] * len(ROW_KEYS)):
        if name in WHOLE:
            columns[name] = [marshal.dumps(values)]
        elif name in PER_PAGE:
            parts = list(values) if name in RAW else [marshal.dumps(value) for value in values]
            columns[name] = parts
            columns[f"{name}@"] = [marshal.dumps(tuple(accumulate(map(len, parts))))]
    return columns


def _read_columns(path: Path) -> Columns | None:
    try:
        with open(path, "rb") as handle:
            view = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # missing, unreadable, or empty
        return None
    try:
        size = int.from_bytes(view[:8], "little")
        key, spans = marshal.loads(view[8 : 8 + size])
        base = 8 + size
        spans = {name: (base + start, length) for name, (start, length) in spans.items()}
        if key != KEY or set(spans) != COLUMNS or any(start + length > len(view) for start, length in spans.values()):
            raise ValueError("foreign")
        start, length = spans["keys"]
        keys = marshal.loads(view[start : start + length])
        if type(keys) is not tuple:
            raise ValueError("foreign")
        return Columns(path, view, spans, keys)
    except Exception:  # noqa: BLE001 - any unreadable cache is simply rebuilt
        view.close()
        return None


@dataclass(frozen=True)
class LinkState:
    """The resolver's outcomes at the end of a load, and the names they were worked out against."""

    mode: str  # the `links.resolve` setting
    names: Mapping[str, tuple[str, tuple[str, ...]]]  # page path -> (blob, (title, *aliases))
    attachments: tuple[str, ...]
    known: Mapping[str, tuple[tuple[Any, ...] | None, ...]]  # page -> its links' outcomes, in order


def read_links(root: Path) -> LinkState | None:
    fields = _read_keyed(root / STATE_DIR / LINKS_FILE, LINKS_KEY)
    try:
        return LinkState(*fields) if fields is not None else None
    except TypeError:
        return None


def save_links(root: Path, state: LinkState) -> None:
    """Write the link state, each distinct outcome once: a tenth as many as links, equal ones
    are written as references to the first (marshal), read back as one object, and read
    twice as fast. (Outcomes worked out in a forked child come back as copies of their own.)"""
    one: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    known = {path: tuple([one.setdefault(o, o) if o is not None else None for o in outcomes]) for path, outcomes in state.known.items()}
    _write_keyed(root, LINKS_FILE, LINKS_KEY, (state.mode, dict(state.names), tuple(state.attachments), known))


TABLES_FILE = "name-tables.marshal"


@dataclass(frozen=True)
class TableStore:
    """The resolver's lookup tables, kept under a hash of the names they were built from."""

    root: Path
    names: Mapping[str, tuple[str, tuple[str, ...]]]  # page path -> (blob, (title, *aliases))
    attachments: tuple[str, ...]

    @cached_property
    def digest(self) -> str:
        """Everything the tables are built from: paths, titles, aliases, attachments."""
        # One string, encoded and hashed at once: a hash update a page costs twice as much.
        names = "".join(["\0".join((path, *titles, "\n")) for path, (_, titles) in self.names.items()])
        digest = hashlib.sha1(names.encode("utf-8", "surrogateescape"))
        digest.update("\0".join(self.attachments).encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    def read(self) -> tuple[dict, ...] | None:
        found = _read_keyed(self.root / STATE_DIR / TABLES_FILE, f"{LINKS_KEY} {self.digest}")
        return found if found is not None and len(found) == 5 and all(type(t) is dict for t in found) else None

    def save(self, tables: tuple[dict, ...]) -> None:
        _write_keyed(self.root, TABLES_FILE, f"{LINKS_KEY} {self.digest}", tables)

    def kept(self, name: str, build: Callable[[], tuple[Any, ...]], also: str = "") -> tuple[Any, ...]:
        """Other tables built from the same names (`build()`'s values, by the caller's `name`,
        which changes with their layout, and `also`, whatever else they are built from): read
        back while the names are unchanged."""
        key = f"{LINKS_KEY} {name} {self.digest} {also}"  # the resolver's source too: names are folded by it
        found = _read_keyed(self.root / STATE_DIR / f"{name}.marshal", key)
        if found is None:
            found = build()
            _write_keyed(self.root, f"{name}.marshal", key, found)
        return found


STATS_FILE = "stat-cache.marshal"
STATS_KEY = "kbsleep stat-cache 1"
Stats = dict[str, tuple[tuple[int, int, int, int], str]]  # page -> (stat key, git blob id)


def read_stats(root: Path) -> Stats:
    """The blob ids of pages as last read, with the file status they were read under."""
    fields = _read_keyed(root / STATE_DIR / STATS_FILE, STATS_KEY)
    if fields is None or len(fields) != 1 or not isinstance(fields[0], dict):
        return {}
    return {path: entry for path, entry in fields[0].items() if type(entry) is tuple and len(entry) == 2 and type(entry[1]) is str}


def save_stats(root: Path, stats: Stats) -> None:
    _write_keyed(root, STATS_FILE, STATS_KEY, (stats,))


def _read_keyed(path: Path, key: str) -> tuple[Any, ...] | None:
    """The values of a one-record cache file written under `key`; None if missing, torn or foreign."""
    try:
        found = marshal.loads(path.read_bytes())
    except Exception:  # noqa: BLE001 - any unreadable cache is simply rebuilt
        return None
    return tuple(found[1:]) if isinstance(found, tuple) and found and found[0] == key else None


def _write_keyed(root: Path, name: str, key: str, values: tuple[Any, ...]) -> None:
    try:
        _write(ensure_state_dir(root) / name, marshal.dumps((key, *values)))
    except (OSError, ValueError):
        return  # a read-only wiki, or a value marshal cannot hold: work it out again next time


def _write(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write a cache file: atomically, without flushing to disk (a torn file is no cache)."""
    from kbsleep.atomic import write_atomic  # not imported by a load that writes nothing

    write_atomic(path, data, durable=False)


def _read_file(path: Path) -> Rows | None:
    try:
        data = memoryview(path.read_bytes())
        rows: Rows = {}
        offset, first = 0, True
        while offset < len(data):
            size = int.from_bytes(data[offset : offset + 8], "little")
            value = marshal.loads(data[offset + 8 : offset + 8 + size])
            offset += 8 + size
            if first:
                if value != KEY:
                    return None
                first = False
            else:
                rows.update(value)
    except Exception:  # noqa: BLE001 - any unreadable cache is simply rebuilt
        return None
    return rows


def _chunks(items: list[tuple[tuple[str, str], tuple[Any, ...]]], size: int = 500) -> Iterator[bytes]:
    """Length-prefixed marshal records: the key, then the rows of `size` pages at a time.

    (The prefix lets `read` use `marshal.loads` on slices; `marshal.load` from a file object
    makes a method call per object and is several times slower.)
    """
    yield _framed(marshal.dumps(KEY))
    for start in range(0, len(items), size):
        rows = dict(items[start : start + size])
        try:
            yield _framed(marshal.dumps(rows))
        except ValueError:  # an exotic YAML value marshal cannot hold: parse that page again next time
            yield _framed(marshal.dumps({key: row for key, row in rows.items() if _marshallable(row)}))


def _framed(data: bytes) -> bytes:
    return len(data).to_bytes(8, "little") + data


def _marshallable(row: tuple[Any, ...]) -> bool:
    try:
        marshal.dumps(row)
    except ValueError:
        return False
    return True
