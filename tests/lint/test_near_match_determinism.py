"""A "did you mean" hint is the same on every run, whatever Python's hash seed.

Found on a 13,000-note zettelkasten: a fresh `kbsleep lint` said `did you mean [[Silcon]]?` under
one hash seed and gave no hint under another, because the query's trigrams were read in a set's
order and postings of equal length then decided which names made the candidate pool.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).parents[2]
# 40 names, each sharing exactly 3 trigrams with the query: the pool of 30 candidates is decided
# by which equal-length postings are read first.
PROBE = """
from kbsleep.lint.rules.links import NearMatches
names = [f"qwe{i:02d}zz" for i in range(20)] + [f"zz{i:02d}erty" for i in range(20)]
print(NearMatches(names).find("qwerty", n=1, cutoff=0.3))
"""


def test_close_matches_do_not_depend_on_the_hash_seed() -> None:
    found = set()
    for seed in ("1", "2", "3", "5", "8"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
        done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
        found.add(done.stdout.strip())
    assert found == {"['zz09erty']"}
