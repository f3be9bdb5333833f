#!/usr/bin/env python3
"""List every error-tier finding `kbsleep lint` gives on a real vault, with a verdict for each.

Usage::

    python benchmarks/vault_errors.py WIKI_DIR [--verdicts FILE] [--counts]

Runs ``kbsleep --wiki WIKI_DIR lint --output-format json --exit-zero`` (kbsleep on PATH) and
prints a Markdown table of the error-tier findings: where, rule, message, and the verdict
recorded for it in FILE (a JSON object mapping ``"path:line:CODE"`` to ``"true: why"`` or
``"false: why"``; a finding with no recorded verdict shows ``?``). ``true`` means Obsidian itself
shows the link or property broken; ``false`` is a false error, which is a kbsleep bug. The last
lines count findings by tier and rule, and the verdicts. Exit status: 1 when any error has a
``false`` verdict or none at all, else 0. Run by hand, never in CI: the vaults are public
repositories fetched onto the developer's machine, not part of this repository.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path


def findings(wiki: Path) -> list[dict]:
    command = ["kbsleep", "--wiki", str(wiki), "lint", "--output-format", "json", "--exit-zero"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"kbsleep lint failed ({done.returncode}): {done.stderr.strip()}")
    return json.loads(done.stdout)


def key(finding: dict) -> str:
    return f"{finding['filename']}:{finding['location']['row']}:{finding['code']}"


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("wiki", type=Path)
    parser.add_argument("--verdicts", type=Path, help="JSON: 'path:line:CODE' -> 'true: why' | 'false: why'")
    args = parser.parse_args()
    verdicts = json.loads(args.verdicts.read_text(encoding="utf-8")) if args.verdicts else {}
    found = findings(args.wiki)
    errors = [f for f in found if f["severity"] == "error"]
    print("| where | rule | message | verdict |\n|---|---|---|---|")
    tally: Counter[str] = Counter()
    for finding in errors:
        verdict = verdicts.get(key(finding), "?")
        tally[verdict.split(":", 1)[0]] += 1
        where = f"{finding['filename']}:{finding['location']['row']}"
        print(f"| {cell(where)} | {finding['name']} | {cell(finding['message'])} | {cell(verdict)} |")
    by_rule = Counter(f"{f['severity']} {f['name']}" for f in found)
    print()
    print(f"{len(found)} findings: " + ", ".join(f"{n} {rule}" for rule, n in sorted(by_rule.items())))
    print(f"{len(errors)} errors: {tally['true']} true, {tally['false']} false, {tally['?']} without a verdict")
    return 1 if tally["false"] or tally["?"] else 0


if __name__ == "__main__":
    sys.exit(main())
