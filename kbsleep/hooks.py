"""Git hooks that run kbsleep: a plain pre-commit hook, and the post-commit sleep trigger."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from kbsleep.errors import KbsleepError
from kbsleep.git import reads

MARKER = "# installed by kbsleep"

SCRIPTS = {
    "pre-commit": 'exec {kbsleep} --wiki {wiki} lint --staged --output-format concise "$@"\n',
    "post-commit": (
        "# Sleep after each commit, detached and at low priority: never blocks the commit.\n"
        "# kbsleep's own commits (they carry a Kbsleep-Run trailer) do not wake it again.\n"
        "git log -1 --format=%B | grep -q '^Kbsleep-Run:' && exit 0\n"
        "mkdir -p {state}\n"
        "nohup nice -n 10 {kbsleep} --wiki {wiki} --quiet sleep >> {state}/sleep.log 2>&1 &\n"
    ),
}


def install(wiki: Path, kind: str = "pre-commit", force: bool = False) -> Path:
    """Write `.git/hooks/<kind>`; refuse to replace a hook kbsleep did not write unless `force`."""
    if kind not in SCRIPTS:
        raise KbsleepError(f"unknown hook `{kind}`")
    hooks_dir = reads.hooks_folder(wiki)  # outside git (or without it): our error, with the way out
    path = hooks_dir / kind
    if path.exists() and not force and MARKER not in path.read_text(encoding="utf-8", errors="replace"):
        raise KbsleepError(f"{path} exists and was not written by kbsleep", hint="pass --force to replace it")
    top = toplevel(wiki)
    rel_wiki = os.path.relpath(wiki.resolve(), top.resolve())
    body = SCRIPTS[kind].format(
        kbsleep=shlex.join([sys.executable, "-m", "kbsleep"]),
        wiki=shlex.quote(rel_wiki),
        state=shlex.quote(os.path.join(rel_wiki, ".kbsleep")),
    )
    hooks_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{MARKER}\n{body}", encoding="utf-8")
    path.chmod(0o755)
    return path


def uninstall(wiki: Path, kind: str = "pre-commit") -> tuple[str, Path]:
    """Remove `.git/hooks/<kind>` if kbsleep wrote it; a hook of the user's own is left alone.
    Returns what was done ("removed", "absent" or "not ours") and the hook's path."""
    if kind not in SCRIPTS:
        raise KbsleepError(f"unknown hook `{kind}`")
    path = reads.hooks_folder(wiki) / kind
    if not path.exists():
        return "absent", path
    if MARKER not in path.read_text(encoding="utf-8", errors="replace"):
        return "not ours", path
    path.unlink()
    return "removed", path


def toplevel(wiki: Path) -> Path:
    """The top of the git work tree holding the wiki."""
    return reads.work_tree_top(wiki)
