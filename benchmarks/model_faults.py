"""Issue 23's model-side probe, reproduced on a copy of sample_wiki/ through FakeAnthropic.

Runs `kbsleep anticipate` / `sleep` (the CLI, the real SDK) against the fake in four modes and
prints one line per figure: hostile answers written, the wall time of a trickled run with
timeout = 3, the requests made during an outage, and what a bad key prints.

    python benchmarks/model_faults.py
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kbsleep.demo import make_copy
from kbsleep.testing import FakeAnthropic, Fault

HOSTILE = ("```", "%% open", "<script>x</script>", "<!-- c -->", "\x1b[2J", "\x07", "\x9b31m", "x" * 5_000_000)
HOSTILE_BYTES = re.compile(rb"```|%% open|<script>|<!-- c -->|\x1b\[2J|\x07|\xc2\x9b|x{2000}")


def hostile(body: dict) -> str:
    name = re.search(r"for the page \[\[([^\]]+)\]\]", body["messages"][0]["content"]).group(1)
    items = [{"question": f"Q{i} about {name}?", "answer": f"It is. {h} [[{name}]]", "citations": [name]} for i, h in enumerate(HOSTILE)]
    return json.dumps({"questions": items})


def kbsleep(root: Path, fake: FakeAnthropic, *args: str, config: str = "") -> tuple[int, str, float]:
    (root / "kbsleep.toml").write_text(config)
    subprocess.run(["git", "-C", str(root), "commit", "-qam", "config"], check=False, capture_output=True)
    env = {**os.environ, "ANTHROPIC_API_KEY": "sk-ant-probe", "ANTHROPIC_BASE_URL": fake.base_url}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "kbsleep", "--wiki", str(root), *args, "--engine", "anthropic", "--yes"], env=env, capture_output=True, text=True)
    return done.returncode, done.stderr, time.monotonic() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = make_copy(Path(scratch) / "hostile")
        with FakeAnthropic(responder=hostile) as fake:
            code, _, _ = kbsleep(root, fake, "anticipate")
        written = subprocess.run(["git", "-C", str(root), "diff", "HEAD~1", "HEAD"], capture_output=True).stdout
        print(f"hostile outputs: {len(HOSTILE_BYTES.findall(written))} written ({len(HOSTILE)} kinds on every page; exit {code})")

        root = make_copy(Path(scratch) / "trickle")
        with FakeAnthropic(responder=lambda body: Fault.trickle(0.5)) as fake:
            code, _, seconds = kbsleep(root, fake, "anticipate", config="[llm]\ntimeout = 3\nmax-retries = 0\nconcurrency = 4\n")
        print(f"trickle (one byte / 0.5 s, timeout = 3): anticipate ended in {seconds:.1f} s, exit {code}")

        root = make_copy(Path(scratch) / "outage")
        with FakeAnthropic(responder=lambda body: Fault.overloaded()) as fake:
            code, err, _ = kbsleep(root, fake, "sleep", config="")
            print(f"outage (every call 529): {fake.count()} requests, exit {code}: {err.strip().splitlines()[-1]}")

        root = make_copy(Path(scratch) / "badkey")
        with FakeAnthropic(responder=lambda body: Fault.unauthorized()) as fake:
            code, err, _ = kbsleep(root, fake, "anticipate", config="")
            print(f"bad key: {fake.count()} request, exit {code}, {err.count('HTTP 401')} message: {err.strip().splitlines()[-1]}")


if __name__ == "__main__":
    main()
