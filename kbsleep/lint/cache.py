"""The lint result cache: a whole run's diagnostics under the fingerprint of everything they depend on.

A warm `kbsleep lint` over an unchanged wiki (the terminal, a CI re-run, an editor on save)
reads the result instead of loading and checking every page. The key covers the files
(`Snapshot.fingerprint`), the config, the rule selection, kbsleep's version and the source of
the lint rules themselves and of the wiki model (the parser, the link resolver, discovery,
which pages are set aside as hidden, templates or Excluded files); any change is a miss. Like the parse cache it lives in
`.kbsleep/`, is written atomically, and a missing or corrupt file is simply a miss.
"""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path
from typing import Sequence

from kbsleep import __version__
from kbsleep.lint.records import Diagnostic, Location
from kbsleep.state import STATE_DIR, ensure_state_dir
from kbsleep.wiki.cache import KEY as PARSE_KEY

CACHE_FILE = "lint-cache.marshal"


def _sources() -> list[Path]:
    """The modules whose code the diagnostics depend on: the lint rules and the whole wiki model
    (not only the parser: how links resolve, which files are pages, which are set aside by
    Obsidian's settings, ...), the git read path (which files git lists) and the config's
    defaults. A test checks the rules import no other."""
    here = Path(__file__).parent
    package = here.parent
    model = [*(package / "wiki").glob("*.py"), package / "obsidian.py", package / "config.py", package / "git" / "reads.py"]
    return sorted([*here.glob("*.py"), *(here / "rules").glob("*.py"), *model])


def _source_fingerprint() -> str:
    digest = hashlib.sha1()
    for path in _sources():
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def key(fingerprint: str, *parts: object) -> str:
    """The cache key for a run over files with this fingerprint, with these settings."""
    text = "\n".join([__version__, _source_fingerprint(), PARSE_KEY, fingerprint, *(repr(p) for p in parts)])
    return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()


def read(root: Path, wanted: str) -> tuple[Diagnostic, ...] | None:
    """The diagnostics stored under `wanted`; on a miss only the key is unpacked (a pre-commit
    run always misses: it changed a page)."""
    try:
        data = (root / STATE_DIR / CACHE_FILE).read_bytes()
        size = int.from_bytes(data[:8], "little")
        if marshal.loads(data[8 : 8 + size]) != wanted:
            return None
        return tuple(_diagnostic(row) for row in marshal.loads(data[8 + size :]))
    except Exception:  # noqa: BLE001 - a corrupt cache is a miss, whatever is wrong with it
        return None


def write(root: Path, wanted: str, diagnostics: Sequence[Diagnostic]) -> None:
    from kbsleep.atomic import write_atomic  # not imported by a run that writes no cache

    rows = [_row(d) for d in diagnostics]
    try:
        key = marshal.dumps(wanted)
        write_atomic(ensure_state_dir(root) / CACHE_FILE, [len(key).to_bytes(8, "little"), key, marshal.dumps(rows)], durable=False)
    except (OSError, ValueError):
        return


def _row(d: Diagnostic) -> tuple:
    location = tuple(d.location.__dict__.values())
    related = tuple(tuple(r.__dict__.values()) for r in d.related)
    return (d.code, d.name, d.severity, location, d.message, d.hint, d.source_line, d.span, related, d.fix)


def _diagnostic(row: tuple) -> Diagnostic:
    code, name, severity, location, message, hint, source_line, span, related, fix = row
    return Diagnostic(code, name, severity, Location(*location), message, hint, source_line, span, tuple(Location(*r) for r in related), tuple(fix))
