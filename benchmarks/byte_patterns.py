#!/usr/bin/env python3
"""Save some pages of a generated vault as other editors and systems save them, then commit.

Usage::

    python benchmarks/generate_vault.py VAULT --pages 10000 --git --force --quiet
    python benchmarks/byte_patterns.py VAULT [--seed 1]
    python benchmarks/bench_sleep.py VAULT --yes

Deterministically (standard library only), of the pages outside hidden folders and templates:
about 4% get CRLF line endings, 2% a byte order mark, 1% both, 1% mixed line endings (every
other line CRLF), 2% no newline after their last line, and 0.5% a Latin-1 sentence (bytes that
are not UTF-8: kbsleep must leave those pages as they are). What kbsleep writes into the others
must keep their bytes (`byte_check.py`).
"""

from __future__ import annotations

import argparse
import random
import subprocess
from collections import Counter
from pathlib import Path

BOM = b"\xef\xbb\xbf"
FORMS = (("crlf", 0.04), ("bom", 0.02), ("bom+crlf", 0.01), ("mixed", 0.01), ("no final newline", 0.02), ("latin-1", 0.005))
LATIN1 = "Le caf\u00e9 cr\u00e8me est \u00e0 c\u00f4t\u00e9 du march\u00e9.".encode("latin-1")


def form(data: bytes, name: str) -> bytes:
    if name == "crlf":
        return data.replace(b"\n", b"\r\n")
    if name == "bom":
        return BOM + data
    if name == "bom+crlf":
        return BOM + data.replace(b"\n", b"\r\n")
    if name == "mixed":
        lines = data.split(b"\n")
        return b"".join(line + (b"\r\n" if i % 2 else b"\n") for i, line in enumerate(lines[:-1])) + lines[-1]
    if name == "no final newline":
        return data.rstrip(b"\n")
    # latin-1: a sentence after the first paragraph of the body
    at = data.find(b"\n\n", data.find(b"\n# ") + 1)
    return data[:at] + b"\n\n" + LATIN1 + data[at:] if at > 0 else data + b"\n" + LATIN1 + b"\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("vault", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    pick = random.Random(args.seed)
    pages = sorted(p for p in args.vault.rglob("*.md") if not any(part.startswith(".") for part in p.relative_to(args.vault).parts) and "Templates" not in p.parts)
    done: Counter[str] = Counter()
    for page in pages:
        roll = pick.random()
        for name, share in FORMS:
            if roll < share:
                page.write_bytes(form(page.read_bytes(), name))
                done[name] += 1
                break
            roll -= share
    subprocess.run(["git", "-C", str(args.vault), "-c", "core.autocrlf=false", "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(args.vault), "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "commit", "-qm", "pages saved by other editors"], check=True)
    print(", ".join(f"{count} {name}" for name, count in sorted(done.items())) + f" (of {len(pages)} pages)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
