#!/usr/bin/env python3
"""Prompt caching on one `anticipate` of `sample_wiki/`: requests, input tokens, cache writes and
reads, and what they cost, for the kbsleep under test and (optionally) an older checkout.

Usage::

    python benchmarks/bench_model_cache.py [--before DIR] [--models claude-haiku-4-5 claude-sonnet-4-5] [--wiki DIR]

For each kbsleep (this checkout, and `--before DIR`, a checkout of an older commit, e.g. from
`git archive`) and each model, it copies `sample_wiki/` (or `--wiki DIR`) into a fresh git
repository without its `.git` or `.kbsleep` folders, starts
this checkout's `FakeAnthropic` (which bills cache reads and writes like the API, with each
model's minimum cacheable prefix) and runs `kbsleep anticipate --engine anthropic` from that
kbsleep as a separate process against it. Every request gets the same valid reply, so the
output is the same and the difference is in the input. Prints a Markdown table; costs use
kbsleep's price table (this checkout's).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from kbsleep.llm.model import Usage  # noqa: E402
from kbsleep.llm.prices import cost, price_for  # noqa: E402
from kbsleep.testing import FakeAnthropic  # noqa: E402


def reply(body: dict) -> str:
    """Eight questions about the page the request names, the same for every kbsleep."""
    name = re.search(r"for the page \[\[([^\]]+)\]\]", body["messages"][0]["content"]).group(1)
    qas = [{"question": f"Question {i} about {name}?", "answer": f"Answer {i}. [[{name}]]", "citations": [name]} for i in range(8)]
    return json.dumps({"questions": qas})


def wiki_copy(source: Path, into: Path, model: str) -> Path:
    shutil.copytree(source, into, ignore=shutil.ignore_patterns(".git", ".kbsleep"))
    (into / "kbsleep.toml").write_text(f'[llm]\nmodel = "{model}"\nmax-retries = 0\n', encoding="utf-8")
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@b.invalid", "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@b.invalid"}
    for command in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "sample"]):
        subprocess.run(command, cwd=into, check=True, env=env)
    return into


def measure(kbsleep: Path, model: str, source: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="kbsleep-cache-") as tmp, FakeAnthropic(responder=reply) as fake:
        wiki = wiki_copy(source, Path(tmp) / "wiki", model)
        env = {**os.environ, "PYTHONPATH": str(kbsleep), "ANTHROPIC_API_KEY": "sk-ant-bench-dummy", "ANTHROPIC_BASE_URL": fake.base_url}
        done = subprocess.run([sys.executable, "-m", "kbsleep", "--wiki", str(wiki), "-q", "anticipate", "--engine", "anthropic"],
                              env=env, capture_output=True, text=True, cwd=tmp)  # fmt: skip
        if done.returncode not in (0, 1):
            raise SystemExit(f"{kbsleep}: anticipate exited {done.returncode}: {done.stderr.strip()}")
        answered = [r for r in fake.requests if r.path == "/v1/messages" and r.usage]
        usage = sum((Usage(u["input_tokens"], u["output_tokens"], u["cache_read_input_tokens"], u["cache_creation_input_tokens"])
                     for u in (r.usage for r in answered)), Usage())  # fmt: skip
        refused = sum(1 for r in fake.requests if r.status == 400)
    return {
        "requests": len(answered),
        "refused": refused,
        "input": usage.input_tokens,
        "write": usage.cache_write_tokens,
        "read": usage.cache_read_tokens,
        "output": usage.output_tokens,
        "usd": cost(usage, price_for(model)),
        "usd_uncached": cost(Usage(usage.input_tokens + usage.cache_write_tokens + usage.cache_read_tokens, usage.output_tokens), price_for(model)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, help="a checkout of the kbsleep to compare with")
    parser.add_argument("--models", nargs="+", default=["claude-haiku-4-5", "claude-sonnet-4-5"])
    parser.add_argument("--wiki", type=Path, default=ROOT / "sample_wiki", help="the wiki folder to copy")
    args = parser.parse_args()
    checkouts = ([("before", args.before)] if args.before else []) + [("after", ROOT)]
    print("| kbsleep | model (min. cached prefix) | requests | input tokens | cache writes | cache reads | output tokens | input+output USD | without caching USD |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for model in args.models:
        for label, checkout in checkouts:
            m = measure(checkout, model, args.wiki.resolve())
            price = price_for(model)
            minimum = f"{price.min_cache_tokens:,}" if price else "?"
            print(f"| {label} | {model} ({minimum}) | {m['requests']} | {m['input']:,} | {m['write']:,} | {m['read']:,} | {m['output']:,} | ${m['usd']:.4f} | ${m['usd_uncached']:.4f} |", flush=True)


if __name__ == "__main__":
    main()
