"""The model layer: one `Model` seam, the anthropic and offline engines, batches, budgets, ledger.

Importing this package never imports the `anthropic` SDK; building an anthropic engine does.
"""

from __future__ import annotations

from kbsleep.llm.anthropic_engine import AvailableModel, list_models
from kbsleep.llm.batches import collect, pending_batches, run_batch
from kbsleep.llm.budget import Budget, Cost, Estimate, estimate
from kbsleep.llm.engines import ENGINES, engine_name, select_engine
from kbsleep.llm.ledger import Stats, Totals, stats
from kbsleep.llm.model import Model, Passage, Phase, Progress, ProgressHook, Request, Result, Usage
from kbsleep.llm.offline import OFFLINE_TASKS, offline_result
from kbsleep.llm.prices import PRICES, Price, price_for
from kbsleep.llm.runner import RunReport, run
from kbsleep.state import ensure_state_dir, ledger_path

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
