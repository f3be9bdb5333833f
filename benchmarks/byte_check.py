#!/usr/bin/env python3
"""Check that kbsleep commits changed no byte of any file outside kbsleep's fences and the edits
their pass planned.

Usage::

    python benchmarks/byte_check.py REPO [COMMIT ...]      # COMMIT defaults to HEAD
    python benchmarks/byte_check.py REPO --run [RUN_ID]    # every commit of a kbsleep run (default: the last)

For every file a commit changed (against its first parent), the old and the new bytes (as git
stores them: no decoding, no line-ending conversion) are cut into lines, the lines from each
``<!-- kbsleep:NAME ...`` comment line through its ``<!-- /kbsleep:NAME -->`` line are dropped,
and what is left is compared:

- ``same``: byte for byte equal;
- ``separator``: the new file is the old one plus one or two line endings, in the line ending
  most of the old file's lines use, at its end: the line ending a last line lacked and the
  blank line kbsleep puts before a section it appends;
- ``new``: a file the commit added whose bytes outside its fences are line endings only (a
  sidecar of answers, a new index);
- ``inserted``: the old lines with whole lines inserted, at one point or several (an appended
  log entry, a folded note, the blank lines around fenced callouts), every line ending of them
  the one most of the old file's lines use;
- ``links``: the same lines, with the same line endings, differing only inside links
  (``[[...]]``, ``![[...]]``, ``[...](...)``): a repaired or relinked link;
- ``merged``: a page the commit message says a merge rewrote (``- PATH: merged ...``): its byte
  order mark kept, its frontmatter lines outside the keys a merge unions (``aliases``, ``tags``,
  ``sources``) kept, every line ending of what is new the old file's own; the body is the merge's;
- ``removed``: a file the commit deleted that its message says was merged or archived;
- ``moved``: a file the commit added whose bytes are those of a file it deleted (an archived note);
- ``created``: a page a consolidate commit added (an index or log page the wiki did not have):
  no byte of it was there to keep;
- ``DIFFERENT``: anything else, with the first differing line. Exit status 1 if any.

It shares no code with kbsleep (it reads fences, links and frontmatter line by line itself), so
it checks kbsleep's own byte check rather than repeating it. Run by hand on a copy of a real
vault after ``kbsleep anticipate``, ``consolidate`` or ``sleep``; the vaults are never part of
this repository.
"""

from __future__ import annotations

import argparse
import difflib
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


LINK = re.compile(rb"!?\[\[[^\]\r\n]*\]\]|!?\[[^\]\r\n]*\]\((?:<[^>\r\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"\r\n]*\")?\)")
UNIONED = (b"aliases", b"tags", b"sources")
BOM = b"\xef\xbb\xbf"


def verdict(old: bytes | None, new: bytes | None, merged: bool = False) -> tuple[str, str]:
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
    if links_only(was, rest):
        return "links", ""
    inserted = insertion(was, rest)
    if inserted is not None:
        others = set(re.findall(rb"\r\n|\r|\n", inserted)) - {ending(old)}
        return ("inserted", "") if not others else ("DIFFERENT", f"inserted lines end {sorted(others)}, the page's lines {ending(old)!r}")
    if merged:
        why = merge_kept(old, new)
        return ("merged", "") if why is None else ("DIFFERENT", why)
    at = next((i for i, (a, b) in enumerate(zip(was, rest)) if a != b), min(len(was), len(rest)))
    line = len(re.findall(rb"\r\n|\r|\n", was[:at])) + 1
    return "DIFFERENT", f"outside the fences, first at line {line} of what is left"


def insertion(old: bytes, new: bytes) -> bytes | None:
    """What `new` adds to `old` by inserting whole lines (at one point or several; after a last
    line without newline, the line ending it lacked first), or None when it does more than that."""
    if len(new) <= len(old):
        return None
    if new.startswith(old):
        return new[len(old) :]
    was, now = LINE.findall(old), LINE.findall(new)
    added: list[bytes] = []
    for tag, _, _, start, end in difflib.SequenceMatcher(None, was, now, autojunk=False).get_opcodes():
        if tag == "insert":
            added += now[start:end]
        elif tag != "equal":
            return None
    return b"".join(added)


def links_only(old: bytes, new: bytes) -> bool:
    """The same lines, line endings and all, but for what is inside links."""
    was, now = LINE.findall(old), LINE.findall(new)
    return len(was) == len(now) and all(a == b or LINK.sub(b"\0", a) == LINK.sub(b"\0", b) for a, b in zip(was, now))


def frontmatter(data: bytes) -> tuple[list[bytes], int]:
    """The frontmatter's lines (its `---` lines included) and where the body starts; none: ([], 0)."""
    lines = LINE.findall(data)
    if not lines or lines[0].rstrip(b"\r\n") != b"---":
        return [], 0
    for index in range(1, len(lines)):
        if lines[index].rstrip(b"\r\n") == b"---":
            return lines[: index + 1], sum(len(line) for line in lines[: index + 1])
    return [], 0


def without_unioned(lines: list[bytes]) -> list[bytes]:
    """Frontmatter lines without the blocks of the keys a merge unions."""
    kept, skipping = [], False
    for line in lines:
        key = re.match(rb"([A-Za-z0-9_-]+)\s*:", line)
        if key:
            skipping = key.group(1) in UNIONED
        elif not line[:1] in (b" ", b"\t", b"-") and line.strip():
            skipping = False
        if not skipping:
            kept.append(line)
    return kept


def merge_kept(old: bytes, new: bytes) -> str | None:
    """Why a merged page does not keep what a merge must keep of its survivor, or None."""
    if old.startswith(BOM) != new.startswith(BOM):
        return "the byte order mark changed"
    old_front, _ = frontmatter(old.removeprefix(BOM))
    new_front, _ = frontmatter(new.removeprefix(BOM))
    was = [LINK.sub(b"\0", line) for line in without_unioned(old_front)]  # a link in it may be relinked
    now = [LINK.sub(b"\0", line) for line in without_unioned(new_front)]
    if (was != now) if old_front else ([line.rstrip(b"\r\n") for line in now] not in ([], [b"---", b"---"])):
        return "frontmatter lines outside aliases, tags and sources changed"
    kept = set(old_front)
    others = {e for line in LINE.findall(new) if line not in kept for e in re.findall(rb"\r\n|\r|\n", line)} - {ending(old)}
    return f"new lines end {sorted(others)}, the page's lines {ending(old)!r}" if others else None


def commits(top: Path, args: list[str], run: str | None) -> list[str]:
    if run is None:
        return [git(top, "rev-parse", c or "HEAD").decode().strip() for c in (args or ["HEAD"])]
    log = git(top, "log", "--format=%H%x00%B%x01").decode("utf-8", "replace")
    found: dict[str, list[str]] = {}
    order: list[str] = []
    for record in log.split("\x01"):
        sha, _, body = record.strip("\n").partition("\0")
        got = re.search(r"^Kbsleep-Run: (\S+)$", body, re.M)
        if got and "Kbsleep-Undo" not in body:
            found.setdefault(got.group(1), []).append(sha)
            order.append(got.group(1))
    wanted = run or (order[0] if order else "")
    if wanted not in found:
        sys.exit(f"no kbsleep run {wanted or ''} on this branch")
    return list(reversed(found[wanted]))


def check(top: Path, commit: str, totals: Counter[str]) -> list[tuple[str, str]]:
    """Verdicts for every file `commit` changed; the DIFFERENT ones."""
    message = git(top, "log", "-1", "--format=%B", commit).decode("utf-8", "surrogateescape")
    reasons = dict(re.findall(r"^- (.+?): (merged .*|archived to .*|archived from .*|links to merged .*)$", message, re.M))
    listing = git(top, "diff-tree", "-r", "-z", "--no-renames", "--name-status", f"{commit}^", commit).split(b"\0")
    changes = []
    for status, name in zip(listing[0::2], listing[1::2]):
        path = name.decode("utf-8", "surrogateescape")
        old = None if status == b"A" else git(top, "cat-file", "blob", f"{commit}^:{path}")
        new = None if status == b"D" else git(top, "cat-file", "blob", f"{commit}:{path}")
        changes.append((path, old, new))
    gone = {old for _, old, new in changes if new is None and old is not None}
    removed = {path: old for path, old, new in changes if new is None}
    consolidating = re.search(r"^Kbsleep-Pass: consolidate$", message, re.M) is not None
    counts: Counter[str] = Counter()
    bad: list[tuple[str, str]] = []
    for path, old, new in changes:
        reason = reasons.get(path, "")
        if new is None and reason.startswith(("merged into", "archived to")):
            kind, detail = "removed", ""
        elif old is None and reason.startswith("archived from "):
            origin = removed.get(reason.removeprefix("archived from "))
            kind, detail = ("moved", "") if origin == new else ("DIFFERENT", f"not the bytes of {reason.removeprefix('archived from ')}")
        elif old is None and new in gone:
            kind, detail = "moved", ""
        elif old is None and consolidating and path.endswith(".md"):
            kind, detail = "created", ""
        else:
            kind, detail = verdict(old, new, merged=reason.startswith("merged ") and not reason.startswith("merged into"))
        counts[kind] += 1
        if kind == "DIFFERENT":
            bad.append((path, detail))
        elif kind == "separator":
            counts[f"separator {detail}"] += 1
    subject = message.splitlines()[0] if message else ""
    print(f"commit {commit[:10]} ({subject[:70]}): {sum(counts[k] for k in KINDS)} files")
    for kind, count in sorted(counts.items()):
        print(f"  {kind}: {count}")
    for path, detail in bad:
        print(f"  DIFFERENT {path}: {detail}")
    totals.update({k: v for k, v in counts.items() if k in KINDS})
    return bad


KINDS = ("same", "separator", "new", "inserted", "links", "merged", "removed", "moved", "created", "DIFFERENT")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("commit", nargs="*")
    parser.add_argument("--run", nargs="?", const="", default=None, help="every commit of this kbsleep run (default: the last run)")
    args = parser.parse_args()
    top = Path(git(args.repo, "rev-parse", "--show-toplevel").decode().strip())
    totals: Counter[str] = Counter()
    bad = [item for commit in commits(top, args.commit, args.run) for item in check(top, commit, totals)]
    print("all: " + ", ".join(f"{kind} {totals[kind]}" for kind in KINDS if totals[kind]))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
