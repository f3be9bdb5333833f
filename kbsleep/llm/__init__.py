"""The model layer: one `Model` seam, the anthropic and offline engines, batches, budgets, ledger.

Importing this package never imports the `anthropic` SDK; building an anthropic engine does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kbsleep.llm.anthropic_engine import AvailableModel, list_models
    from kbsleep.llm.batches import collect, pending_batches, run_batch
    from kbsleep.llm.budget import Budget, Cost, Estimate, estimate
    from kbsleep.llm.engines import ENGINES, engine_name, select_engine
    from kbsleep.llm.ledger import Stats, Totals, stats
    from kbsleep.llm.model import Model, Phase, Progress, ProgressHook, Request, Result, Usage
    from kbsleep.llm.passage import Passage
    from kbsleep.llm.offline import OFFLINE_TASKS, offline_result
    from kbsleep.llm.prices import PRICES, Price, price_for
    from kbsleep.llm.runner import RunReport, run
    from kbsleep.state import ensure_state_dir, ledger_path

# Each name is imported from its module when first asked for (PEP 562): `kbsleep.search.bm25` or
# `kbsleep.llm.budget`, which an offline `ask` needs, then does not cost the engines, batches and
# pydantic-typed modules that a model run needs.
_HOME = {
    "AvailableModel": "kbsleep.llm.anthropic_engine",
    "list_models": "kbsleep.llm.anthropic_engine",
    "collect": "kbsleep.llm.batches",
    "pending_batches": "kbsleep.llm.batches",
    "run_batch": "kbsleep.llm.batches",
    "Budget": "kbsleep.llm.budget",
    "Cost": "kbsleep.llm.budget",
    "Estimate": "kbsleep.llm.budget",
    "estimate": "kbsleep.llm.budget",
    "ENGINES": "kbsleep.llm.engines",
    "engine_name": "kbsleep.llm.engines",
    "select_engine": "kbsleep.llm.engines",
    "Stats": "kbsleep.llm.ledger",
    "Totals": "kbsleep.llm.ledger",
    "stats": "kbsleep.llm.ledger",
    "Model": "kbsleep.llm.model",
    "Passage": "kbsleep.llm.passage",
    "Phase": "kbsleep.llm.model",
    "Progress": "kbsleep.llm.model",
    "ProgressHook": "kbsleep.llm.model",
    "Request": "kbsleep.llm.model",
    "Result": "kbsleep.llm.model",
    "Usage": "kbsleep.llm.model",
    "OFFLINE_TASKS": "kbsleep.llm.offline",
    "offline_result": "kbsleep.llm.offline",
    "PRICES": "kbsleep.llm.prices",
    "Price": "kbsleep.llm.prices",
    "price_for": "kbsleep.llm.prices",
    "RunReport": "kbsleep.llm.runner",
    "run": "kbsleep.llm.runner",
    "ensure_state_dir": "kbsleep.state",
    "ledger_path": "kbsleep.state",
}


__all__ = [
    "ENGINES",
    "OFFLINE_TASKS",
    "PRICES",
    "AvailableModel",
    "Budget",
    "Cost",
    "Estimate",
    "Model",
    "Passage",
    "Phase",
    "Price",
    "Progress",
    "ProgressHook",
    "Request",
    "Result",
    "RunReport",
    "Stats",
    "Totals",
    "Usage",
    "collect",
    "engine_name",
    "ensure_state_dir",
    "estimate",
    "ledger_path",
    "list_models",
    "offline_result",
    "pending_batches",
    "price_for",
    "run",
    "run_batch",
    "select_engine",
    "stats",
]


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'kbsleep.llm' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
