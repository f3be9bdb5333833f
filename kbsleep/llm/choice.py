"""What a model-calling command was asked for (engine, batch, budget), resolved against config."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from kbsleep.config import Config
    from kbsleep.llm.budget import Budget
    from kbsleep.llm.model import Model
    from kbsleep.wiki import Wiki


@dataclass(frozen=True)
class ModelChoice:
    """The engine and budget options of one run; `None` means "as the wiki's config says"."""

    engine: Optional[str] = None
    batch: bool = False
    wait: bool = False
    max_cost: Optional[float] = None
    max_tokens: Optional[int] = None

    def budget(self, config: Config) -> Budget:
        from kbsleep.llm import Budget

        cost = self.max_cost if self.max_cost is not None else (config.llm.max_cost_usd or None)
        tokens = self.max_tokens if self.max_tokens is not None else (config.llm.max_run_tokens or None)
        return Budget(max_cost_usd=cost, max_tokens=tokens)

    def model(self, wiki: Wiki, hook: bool = False) -> Model:
        """The engine, with the response cache and ledger under the wiki's `.kbsleep/`."""
        from kbsleep.llm import select_engine
        from kbsleep.state import ensure_state_dir

        return select_engine(wiki.config.llm, self.engine, state_dir=ensure_state_dir(wiki.root), hook=hook)
