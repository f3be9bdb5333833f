"""The engine registry and `select_engine`: which `Model` a command talks to."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kbsleep.errors import KbsleepError
from kbsleep.state import ledger_path, responses_path

if TYPE_CHECKING:
    from kbsleep.config import LLMConfig
    from kbsleep.llm.model import Model

# The engines, the response cache and the ledger are imported when an engine is built: an
# offline `ask` asks `engine_name` only (tests/ask/test_ask_imports.py).


def _anthropic(config: LLMConfig, hook: bool, state: Path | None) -> Model:
    from kbsleep.llm.anthropic_engine import AnthropicModel

    return AnthropicModel(config, hook=hook, state_dir=state)


def _offline(config: LLMConfig, hook: bool, state: Path | None) -> Model:
    from kbsleep.llm.offline import OfflineModel

    return OfflineModel(config)


# engine name -> factory(config, hook, state_dir): `hook` asks for short timeouts and no
# retries; `state_dir` (or None) is where an engine keeps what it learns about its endpoint.
ENGINES: dict[str, Callable[[LLMConfig, bool, "Path | None"], Model]] = {
    "anthropic": _anthropic,
    "offline": _offline,
}


def is_configured() -> bool:
    """Whether the environment points the anthropic SDK at an API (the "auto" engine's test)."""
    names = ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL")
    return any(os.environ.get(name) for name in names)


def engine_name(config: LLMConfig, engine_override: str | None = None) -> str:
    """The override, else `llm.engine`; "auto" is anthropic when the environment configures it."""
    name = engine_override or config.engine
    if name == "auto":
        return "anthropic" if is_configured() else "offline"
    if name not in ENGINES:
        known = ", ".join(["auto", *ENGINES])
        raise KbsleepError(f"unknown engine `{name}` (known: {known})")
    if name == "anthropic" and not is_configured():
        raise KbsleepError(
            "the anthropic engine needs ANTHROPIC_API_KEY (or ANTHROPIC_BASE_URL for a local one)",
            hint="or use `--engine offline`",
        )
    return name


def select_engine(
    config: LLMConfig,
    engine_override: str | None = None,
    *,
    state_dir: Path | None = None,
    hook: bool = False,
) -> Model:
    """The configured `Model`; with `state_dir` (from `ensure_state_dir`), cached and logged."""
    if state_dir is not None:
        state_dir.mkdir(parents=True, exist_ok=True)
    from kbsleep.llm.cache import ResponseCache
    from kbsleep.llm.ledger import Ledger
    from kbsleep.llm.recorded import RecordedModel

    model = ENGINES[engine_name(config, engine_override)](config, hook, state_dir)
    if state_dir is None:
        return model
    cache = ResponseCache(responses_path(state_dir))
    return RecordedModel(model, config, cache, Ledger(ledger_path(state_dir)))
