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
from typing import Any, Mapping

from kbsleep import __version__
from kbsleep.gitops import write_atomic
from kbsleep.state import ensure_state_dir
from kbsleep.wiki.page import Page

CACHE_FILE = "parse-cache.marshal"
SCHEMA = 2


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
        data = (root / ".kbsleep" / CACHE_FILE).read_bytes()
        key, rows = marshal.loads(data)
    except Exception:  # noqa: BLE001 - any unreadable cache is simply rebuilt
        return {}
    return rows if key == KEY and isinstance(rows, dict) else {}


def write(root: Path, pages: Mapping[str, Page]) -> None:
    """Store `pages` without their text (the text is on disk); skipped if the folder is read-only."""
    rows = {}
    for page in pages.values():
        row = page.to_row()
        try:
            marshal.dumps(row)
        except ValueError:
            continue  # an exotic YAML value marshal cannot hold: parse this page again next time
        rows[(page.path, page.blob)] = row
    try:
        write_atomic(ensure_state_dir(root) / CACHE_FILE, marshal.dumps((KEY, rows)))
    except OSError:
        return  # a read-only wiki: parse again next time
