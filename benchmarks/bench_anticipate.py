#!/usr/bin/env python3
"""How `kbsleep anticipate` scales: offline time and memory, model calls and tokens per page.

Usage::

    python benchmarks/bench_anticipate.py [OUT_DIR] [--sizes 1000 10000] [--fake-pages 1000]

For each size it generates (once) a synthetic vault with `generate_vault.py --git`, copies it,
and runs `kbsleep anticipate --engine offline` on the copy as a whole process (wall time and
peak RSS from `wait4`), then runs it again on the unchanged wiki. Then, on the smallest
vault, it runs the pass in-process with the anthropic engine against `FakeAnthropic` (the
real SDK, a local server) and reports calls, input/cache/output tokens per page, and the calls
a second run makes (0 expected). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

RSS_PER_MIB = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux

from generate_vault import ensure_vault as vault  # noqa: E402


def fresh_copy(source: Path, name: str) -> Path:
    """A clone of the generated vault (copying .git could race a background `git gc`)."""
    target = source.parent / name
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", str(source), str(target)], check=True)
    return target


def timed(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int, str]:
    """Wall seconds, peak RSS MiB, exit code and stdout of one whole-process run."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, usage.ru_maxrss / RSS_PER_MIB, proc.returncode, out


def offline_rows(out: Path, sizes: list[int]) -> Iterator[str]:
    for size in sizes:
        wiki = fresh_copy(vault(out, size), f"anticipate-{size}")
        command = [sys.executable, "-m", "kbsleep", "--wiki", str(wiki), "anticipate", "--engine", "offline"]
        first = timed(command)
        written = re.search(r"wrote (\d+) pages", first[3])
        again = timed(command)
        current = re.search(r"(\d+) pages already up to date", again[3])
        yield (
            f"| offline, {size:,} pages, first run | {first[0]:.1f} | {first[1]:.0f} | {written.group(1) if written else first[3].strip()} pages written |"
        )
        yield (
            f"| offline, {size:,} pages, unchanged re-run | {again[0]:.1f} | {again[1]:.0f} | {current.group(1) if current else again[3].strip()} up to date, 0 requests |"
        )


def fake_rows(out: Path, pages: int) -> list[str]:
    from kbsleep.llm import select_engine
    from kbsleep.passes.anticipate import Options, anticipate
    from kbsleep.state import ensure_state_dir
    from kbsleep.testing import FakeAnthropic
    from kbsleep.wiki import open_wiki

    def reply(body: dict) -> str:
        name = re.search(r"for the page \[\[([^\]]+)\]\]", body["messages"][0]["content"]).group(1)
        qas = [{"question": f"Question {i} about {name}?", "answer": f"Answer {i}. [[{name}]]", "citations": [name]} for i in range(8)]
        return json.dumps({"questions": qas})

    wiki_dir = fresh_copy(vault(out, pages), f"anticipate-fake-{pages}")
    with FakeAnthropic(responder=reply) as fake:
        os.environ.update(ANTHROPIC_API_KEY="sk-ant-bench-dummy", ANTHROPIC_BASE_URL=fake.base_url)
        wiki = open_wiki(wiki_dir)
        model = select_engine(wiki.config.llm, "anthropic", state_dir=ensure_state_dir(wiki_dir))
        started = time.perf_counter()
        outcome = anticipate(wiki, model, Options())
        seconds = time.perf_counter() - started
        calls = fake.count()
        again = anticipate(open_wiki(wiki_dir), model, Options())
        second_calls = fake.count() - calls
    report = outcome.report
    n = max(1, len(report.results))
    usage = report.usage
    return [
        f"| fake server, {pages:,} pages, first run | {seconds:.1f} | - | {calls} calls for {len(outcome.written)} pages written "
        f"({calls / n:.2f} per page); per page: {usage.input_tokens / n:,.0f} input, {usage.cache_write_tokens / n:,.0f} cache-write, "
        f"{usage.cache_read_tokens / n:,.0f} cache-read, {usage.output_tokens / n:,.0f} output tokens; ${report.cost_usd:.2f} |",
        f"| fake server, {pages:,} pages, unchanged re-run | - | - | {second_calls} calls, {again.work.current} up to date |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", nargs="?", type=Path, default=Path("/tmp/kbsleep-bench"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--fake-pages", type=int, default=1000)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    print("| run | wall s | peak RSS MB | result |\n|---|---:|---:|---|")
    for row in offline_rows(args.out, args.sizes):
        print(row, flush=True)
    for row in fake_rows(args.out, args.fake_pages):
        print(row, flush=True)


if __name__ == "__main__":
    main()
