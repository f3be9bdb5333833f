#!/usr/bin/env python3
"""How `kbsleep lint --deep` scales: candidate pairs and prompt tokens per 1k pages.

Usage::

    python benchmarks/bench_deep.py [OUT_DIR] [--sizes 1000 5000 10000] [--cap 200]

For each size it generates (once) a synthetic vault with `generate_vault.py --git`, loads it,
selects candidates with no cap (every pair the selection would ever rank) and with `--cap`
(what one run judges, `deep.max-candidates`), builds the offline-judge requests and counts
their prompt tokens with the model layer's local estimate (about four characters a token).
It prints a Markdown table; the per-1k-pages columns stay about flat when growth is linear.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from kbsleep.lint.candidates import select_candidates  # noqa: E402
from kbsleep.lint.deep import PAIR_KINDS, SOURCE_KINDS, build_request  # noqa: E402
from kbsleep.llm.budget import input_text, local_tokens  # noqa: E402
from generate_vault import ensure_vault as vault  # noqa: E402
from kbsleep.wiki import open_wiki  # noqa: E402




def measure(folder: Path, cap: int) -> dict[str, float]:
    wiki = open_wiki(folder)
    started = time.perf_counter()
    every = select_candidates(wiki, 10**9)
    seconds = time.perf_counter() - started
    capped = select_candidates(wiki, cap)
    max_chars = wiki.config.deep.max_section_chars

    def tokens(candidates) -> int:  # type: ignore[no-untyped-def]
        kinds = {"pair": PAIR_KINDS, "sources": SOURCE_KINDS}
        return sum(local_tokens(input_text(build_request(wiki, c, kinds[c.kind], max_chars))) for c in candidates)

    every_tokens = tokens(every.chosen)
    largest = max((local_tokens(input_text(build_request(wiki, c, PAIR_KINDS, max_chars))) for c in every.chosen), default=0)
    return {
        "pages": len(wiki.pages),
        "sections": every.chunks,
        "ranked": every.considered,
        "pairs": len(every.chosen),
        "tokens": every_tokens,
        "largest": largest,
        "capped_pairs": len(capped.chosen),
        "capped_tokens": tokens(capped.chosen),
        "seconds": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out", nargs="?", default="/tmp/kbsleep-bench", type=Path)
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 5000, 10000])
    parser.add_argument("--cap", type=int, default=200, help="deep.max-candidates for the capped columns")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    print("| pages | sections | ranked | candidates (no cap) | per 1k pages | prompt tokens (no cap) | per 1k pages | largest prompt | capped candidates | capped tokens | selection s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        m = measure(vault(args.out, size), args.cap)
        k = m["pages"] / 1000
        print(
            f"| {m['pages']:,} | {m['sections']:,} | {m['ranked']:,} | {m['pairs']:,} | {m['pairs'] / k:,.0f} | {m['tokens']:,} | "
            f"{m['tokens'] / k:,.0f} | {m['largest']:,} | {m['capped_pairs']} | {m['capped_tokens']:,} | {m['seconds']:.2f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
