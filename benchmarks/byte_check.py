#!/usr/bin/env python3
"""Check that a kbsleep commit changed no byte of any file outside kbsleep's fences.

Usage::

    python benchmarks/byte_check.py REPO [COMMIT]      # COMMIT defaults to HEAD

For every file COMMIT changed (against its first parent), the old and the new bytes (as git
stores them: no decoding, no line-ending conversion) are cut into lines, the lines from each
``<!-- kbsleep:NAME ...`` comment line through its ``<!-- /kbsleep:NAME -->`` line are dropped,
and what is left is compared:

- ``same``: byte for byte equal;
- ``separator``: the new file is the old one plus one or two line endings, in the line ending
  most of the old file's lines use, at its end: the line ending a last line lacked and the
  blank line kbsleep puts before a section it appends;
- ``new``: a file the commit added whose bytes outside its fences are line endings only (a
  sidecar of answers);
- ``DIFFERENT``: anything else, with the first differing line. Exit status 1 if any.

It shares no code with kbsleep (it reads fences line by line itself), so it checks kbsleep's
own byte check rather than repeating it. Run by hand on a copy of a real vault after
``kbsleep anticipate``; the vaults are never part of this repository.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
OPEN = re.compile(rb"^\s*<!-- kbsleep:([a-z][a-z0-9-]*)[ >-]")
CLOSE = re.compile(rb"^\s*<!-- /kbsleep:([a-z][a-z0-9-]*) -->\s*$")
ENDINGS = re.compile(rb"(?:\r\n|\r|\n)*")


def git(repo: Path, *args: str) -> bytes:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    if done.returncode != 0:
        sys.exit(f"git {' '.join(args)} failed: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def outside(data: bytes) -> bytes:
    """`data` without its kbsleep fences (each from its opening line through its closing line)."""
    kept: list[bytes] = []
    inside: bytes | None = None
    for line in LINE.findall(data):
        if inside is None:
            opening = OPEN.match(line)
            if opening:
                inside = opening.group(1)
                continue
            kept.append(line)
        else:
            closing = CLOSE.match(line)
            if closing and closing.group(1) == inside:
                inside = None
    return b"".join(kept)


def ending(data: bytes) -> bytes:
    """The line ending most of `data`'s lines use (the first met on a tie); LF when none."""
    found = re.findall(rb"\r\n|\r|\n", data)
    counts = Counter(found)
    return max(dict.fromkeys(found), key=counts.__getitem__) if found else b"\n"


def verdict(old: bytes | None, new: bytes | None) -> tuple[str, str]:
    if new is None:
        return "DIFFERENT", "deleted"
    rest = outside(new)
    if old is None:
        return ("new", "") if ENDINGS.fullmatch(rest) else ("DIFFERENT", "new file with text outside its fences")
    was = outside(old)
    if rest == was:
        return "same", ""
    added = rest[len(was) :] if rest.startswith(was) else None
    if added is not None and added in (ending(old), ending(old) * 2):
        return "separator", repr(added.decode("latin-1"))
    at = next((i for i, (a, b) in enumerate(zip(was, rest)) if a != b), min(len(was), len(rest)))
    line = len(re.findall(rb"\r\n|\r|\n", was[:at])) + 1
    return "DIFFERENT", f"outside the fences, first at line {line} of what is left"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("commit", nargs="?", default="HEAD")
    args = parser.parse_args()
    top = Path(git(args.repo, "rev-parse", "--show-toplevel").decode().strip())
    commit = git(top, "rev-parse", args.commit).decode().strip()
    listing = git(top, "diff-tree", "-r", "-z", "--no-renames", "--name-status", f"{commit}^", commit).split(b"\0")
    counts: Counter[str] = Counter()
    bad: list[tuple[str, str]] = []
    for status, name in zip(listing[0::2], listing[1::2]):
        path = name.decode("utf-8", "surrogateescape")
        old = None if status == b"A" else git(top, "cat-file", "blob", f"{commit}^:{path}")
        new = None if status == b"D" else git(top, "cat-file", "blob", f"{commit}:{path}")
        kind, detail = verdict(old, new)
        counts[kind] += 1
        if kind == "DIFFERENT":
            bad.append((path, detail))
        elif kind == "separator":
            counts[f"separator {detail}"] += 1
    print(f"commit {commit[:10]}: {sum(counts[k] for k in ('same', 'separator', 'new', 'DIFFERENT'))} files")
    for kind, count in sorted(counts.items()):
        print(f"  {kind}: {count}")
    for path, detail in bad:
        print(f"  DIFFERENT {path}: {detail}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
