"""The wiki model's caches: parsed pages, and the link outcomes of the last load.

Files under `<wiki>/.kbsleep/`, private git-ignored state written by this tool alone. The parse
cache holds each page as a row of plain builtins (`Page.to_row`) keyed by (path, git blob id);
the link cache holds each page's link outcomes with the names they were worked out against. Both
are `marshal` data: several times faster to load than pickled objects, and it cannot run code.
A missing, corrupt or foreign file is an empty cache, never an error.
"""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Collection, Iterable, Iterator, Mapping

from kbsleep import __version__
from kbsleep.state import STATE_DIR, ensure_state_dir

CACHE_FILE = "parse-cache.marshal"
DELTA_FILE = "parse-cache-delta.marshal"
LINKS_FILE = "link-cache.marshal"
SCHEMA = 5


def _source_fingerprint(*names: str) -> str:
    """A hash of these modules' own source, so an edited (or editable-installed) kbsleep never
    reads what an older one wrote under the same version number."""
    here = Path(__file__).parent
    digest = hashlib.sha1()
    for name in names:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:12]


KEY = f"kbsleep {__version__} parse-cache {SCHEMA} {_source_fingerprint('page.py', 'parse.py', 'markdown.py', 'content.py', 'claims.py')}"
LINKS_KEY = f"{KEY} links {_source_fingerprint('resolve.py')}"
Rows = dict[tuple[str, str], tuple[Any, ...]]  # (path, blob) -> Page row without text


@dataclass(frozen=True)
class Stored:
    """What the cache held at the start of a load."""

    rows: Rows  # the base file's rows, updated with the delta file's
    delta: frozenset[tuple[str, str]] = frozenset()  # the keys that came from the delta file
    base: bool = False  # a base file of this parser exists


def read(root: Path) -> Stored:
    base = _read_file(root / STATE_DIR / CACHE_FILE)
    if base is None:
        return Stored({})
    delta = _read_file(root / STATE_DIR / DELTA_FILE) or {}
    return Stored({**base, **delta}, frozenset(delta), True)


def save(root: Path, live: Rows, stored: Stored, fresh: Collection[tuple[str, str]]) -> None:
    """Keep the cache in step after a load (`live`: the rows of its pages, `fresh` the keys of
    those parsed anew), writing as little as it can.

    A few pages parsed anew go to a small delta file beside the base one, so a pre-commit run
    that changed one page does not rewrite the rows of ten thousand. When the delta or the rows
    of pages gone grow past a twentieth of the wiki, everything is written again, compacted.
    """
    limit = max(100, len(live) // 20)
    stale = len(stored.rows.keys() - live.keys())
    if not fresh and stale <= limit:
        return
    recent = (stored.delta & live.keys()) | set(fresh)
    try:
        folder = ensure_state_dir(root)
        if stored.base and len(recent) <= limit and stale <= limit:
            _write(folder / DELTA_FILE, _chunks([(key, live[key]) for key in recent]))
        else:
            _write(folder / CACHE_FILE, _chunks(list(live.items())))
            (folder / DELTA_FILE).unlink(missing_ok=True)
    except OSError:
        return  # a read-only wiki: parse again next time


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
    _write_keyed(root, LINKS_FILE, LINKS_KEY, (state.mode, dict(state.names), tuple(state.attachments), dict(state.known)))


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
        digest = hashlib.sha1()
        for path, (_, titles) in self.names.items():
            digest.update("\0".join((path, *titles, "\n")).encode("utf-8", "surrogateescape"))
        digest.update("\0".join(self.attachments).encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    def read(self) -> tuple[dict, ...] | None:
        found = _read_keyed(self.root / STATE_DIR / TABLES_FILE, f"{LINKS_KEY} {self.digest}")
        return found if found is not None and len(found) == 5 and all(type(t) is dict for t in found) else None

    def save(self, tables: tuple[dict, ...]) -> None:
        _write_keyed(self.root, TABLES_FILE, f"{LINKS_KEY} {self.digest}", tables)

    def kept(self, name: str, build: Callable[[], tuple[Any, ...]]) -> tuple[Any, ...]:
        """Other tables built from the same names (`build()`'s values, by the caller's `name`,
        which changes with their layout): read back while the names are unchanged."""
        key = f"{KEY} {name} {self.digest}"
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
    from kbsleep.gitops import write_atomic  # not imported by a load that writes nothing

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
