"""The parse cache: parsed pages keyed by (path, git blob id) and kbsleep version.

One file under `<wiki>/.kbsleep/`, private git-ignored state written by this tool alone, holding
each page as a row of plain builtins (`Page.to_row`) in `marshal` format: several times faster
to load than pickled objects, and it cannot run code. A missing, corrupt or foreign file is an
empty cache, never an error.
"""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path
from typing import Any, Iterator, Mapping

from kbsleep import __version__
from kbsleep.gitops import write_atomic
from kbsleep.state import ensure_state_dir
from kbsleep.wiki.page import Page

CACHE_FILE = "parse-cache.marshal"
SCHEMA = 4


def _parser_fingerprint() -> str:
    """A hash of the parser's own source, so an edited (or editable-installed) parser never
    reads rows an older one wrote under the same version number."""
    here = Path(__file__).parent
    digest = hashlib.sha1()
    for name in ("page.py", "parse.py", "markdown.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:12]


KEY = f"kbsleep {__version__} parse-cache {SCHEMA} {_parser_fingerprint()}"
Rows = dict[tuple[str, str], tuple[Any, ...]]  # (path, blob) -> Page row without text


def read(root: Path) -> Rows:
    try:
        data = memoryview((root / ".kbsleep" / CACHE_FILE).read_bytes())
        rows: Rows = {}
        offset, first = 0, True
        while offset < len(data):
            size = int.from_bytes(data[offset : offset + 8], "little")
            value = marshal.loads(data[offset + 8 : offset + 8 + size])
            offset += 8 + size
            if first:
                if value != KEY:
                    return {}
                first = False
            else:
                rows.update(value)
    except Exception:  # noqa: BLE001 - any unreadable cache is simply rebuilt
        return {}
    return rows


def write(root: Path, pages: Mapping[str, Page]) -> None:
    """Store `pages` without their text (the text is on disk); skipped if the folder is read-only.

    Written in chunks, so a large wiki never holds a second copy of every page as rows.
    """
    try:
        write_atomic(ensure_state_dir(root) / CACHE_FILE, _chunks(list(pages.values())))
    except OSError:
        return  # a read-only wiki: parse again next time


def _chunks(pages: list[Page], size: int = 500) -> Iterator[bytes]:
    """Length-prefixed marshal records: the key, then the rows of `size` pages at a time.

    (The prefix lets `read` use `marshal.loads` on slices; `marshal.load` from a file object
    makes a method call per object and is several times slower.)
    """
    yield _framed(marshal.dumps(KEY))
    for start in range(0, len(pages), size):
        rows = {(page.path, page.blob): page.to_row() for page in pages[start : start + size]}
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
