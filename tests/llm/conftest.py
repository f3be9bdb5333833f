"""Hermetic fixtures: the real anthropic SDK against a local FakeAnthropic, state in tmp dirs."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.config import LLMConfig
from kbsleep.llm import ensure_state_dir, select_engine
from kbsleep.llm.model import Model
from kbsleep.testing import FakeAnthropic


@pytest.fixture
def config() -> LLMConfig:
    return LLMConfig(timeout=2.0, max_retries=1, concurrency=4, max_tokens=256)


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return ensure_state_dir(tmp_path / "wiki")


@pytest.fixture
def model(fake: FakeAnthropic, config: LLMConfig, state: Path) -> Model:
    """The anthropic engine against the fake, with the response cache and ledger."""
    return select_engine(config, state_dir=state)
