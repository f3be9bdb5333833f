"""The parse cache: parsed pages keyed by (path, git blob id) and kbsleep version.

One pickle file under `<wiki>/.kbsleep/`, which is private, git-ignored state written by this
tool alone. A missing, corrupt or foreign file is an empty cache, never an error.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import tempfile
from pathlib import Path
from typing import Mapping

from kbsleep import __version__
from kbsleep.wiki.page import Page

CACHE_FILE = "parse-cache.pickle"
SCHEMA = 1
KEY = f"kbsleep {__version__} parse-cache {SCHEMA}"
GITIGNORE = "# Written by kbsleep: private state, never committed.\n*\n"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by kbsleep.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)

Entries = dict[tuple[str, str], Page]


def state_dir(root: Path) -> Path:
    """`<wiki>/.kbsleep/`, created with its `.gitignore` and `CACHEDIR.TAG` on first use."""
    folder = root / ".kbsleep"
    folder.mkdir(exist_ok=True)
    for name, text in ((".gitignore", GITIGNORE), ("CACHEDIR.TAG", CACHEDIR_TAG)):
        if not (folder / name).exists():
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def read(root: Path) -> Entries:
    try:
        with open(root / ".kbsleep" / CACHE_FILE, "rb") as handle:
            key, entries = pickle.load(handle)
    except Exception:  # noqa: BLE001 - any unreadable cache is simply rebuilt
        return {}
    return entries if key == KEY and isinstance(entries, dict) else {}


def write(root: Path, pages: Mapping[str, Page]) -> None:
    """Store `pages` without their text (the text is on disk); skipped if the folder is read-only."""
    entries = {(page.path, page.blob): dataclasses.replace(page, text="") for page in pages.values()}
    try:
        folder = state_dir(root)
        handle, temp = tempfile.mkstemp(dir=folder, prefix=".parse-cache.")
        with os.fdopen(handle, "wb") as out:
            pickle.dump((KEY, entries), out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, folder / CACHE_FILE)
    except OSError:
        return
