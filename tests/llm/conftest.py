"""Hermetic fixtures: the real anthropic SDK against a local FakeAnthropic, state in tmp dirs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kbsleep.config import LLMConfig
from kbsleep.llm import ensure_state_dir, select_engine
from kbsleep.llm.model import Model
from kbsleep.testing import FakeAnthropic
from tests.llm.support import TEST_KEY

ANTHROPIC_ENV = (
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "ANTHROPIC_BASE_URL",
    "ANTHROPIC_CUSTOM_HEADERS",
    "ANTHROPIC_PROFILE",
    "ANTHROPIC_LOG",
)


@pytest.fixture(autouse=True)
def hermetic_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No real credentials or endpoints reach a test; the SDK's profile lookup sees an empty dir."""
    for name in ANTHROPIC_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ANTHROPIC_CONFIG_DIR", str(tmp_path_factory.mktemp("anthropic-config")))


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAnthropic]:
    with FakeAnthropic() as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", TEST_KEY)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        yield server


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
