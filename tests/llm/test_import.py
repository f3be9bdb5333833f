"""`import kbsleep.llm` stays light: the anthropic SDK loads only when an engine is built."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout.strip()


def test_importing_the_package_does_not_import_the_sdk() -> None:
    code = "import sys, kbsleep.llm, kbsleep.testing; print('anthropic' in sys.modules)"
    assert run_python(code) == "False"


def test_building_the_anthropic_engine_imports_the_sdk() -> None:
    code = (
        "import os, sys\n"
        "os.environ['ANTHROPIC_API_KEY'] = 'dummy-key-for-import-test'\n"
        "from kbsleep.config import LLMConfig\n"
        "from kbsleep.llm import select_engine\n"
        "print(select_engine(LLMConfig()).engine, 'anthropic' in sys.modules)"
    )
    assert run_python(code) == "anthropic True"
