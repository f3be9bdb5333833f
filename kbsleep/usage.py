"""`kbsleep stats`: does sleep-time compute pay? Asks served precomputed, tokens saved, break-even.

Definitions (all tokens are model tokens: input, output, cache reads and writes):
- tokens per ask: the test-time tokens of every logged ask, divided by the asks
  (precomputed, offline and not-found asks spend none);
- tokens per ask without precomputed answers: the mean of the asks that went to the model,
  i.e. what an ask costs when no precomputed answer serves it;
- sleep-time tokens: the ledger's phase "sleep" rows (every pass), and of them `anticipate`'s;
- anticipate passes: the kbsleep runs in git history with a `Kbsleep-Pass: anticipate` commit
  (1 when the ledger shows anticipate spend but history has none, e.g. after a dry run);
- break-even: asks that repay one anticipate pass at the observed fast-path share,
  tokens per pass / (share x tokens per ask without). None when a figure it needs is missing;
- prompt cache: tokens written to and read from the API's prompt cache (every phase), and the
  net saving in USD: what the reads would have cost as plain input, less what they did, less
  the writes' premium over plain input, at each model's price (`llm.prices` applies).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from kbsleep import asks_log
from kbsleep.git import reads
from kbsleep.git.trailers import TRAILER_PASS, TRAILER_RUN
from kbsleep.llm.ledger import Totals, cache_figures, stats as ledger_stats
from kbsleep.state import STATE_DIR, ledger_path


@dataclass(frozen=True)
class UsageStats:
    asks: int = 0
    by_path: Mapping[str, int] = field(default_factory=dict)
    precomputed_share: float | None = None
    tokens_per_ask: float | None = None
    tokens_per_ask_without: float | None = None
    test_tokens: int = 0  # ledger, phase "test"
    sleep_tokens: int = 0  # ledger, phase "sleep"
    sleep_cost_usd: float = 0.0
    anticipate_tokens: int = 0
    anticipate_passes: int = 0
    tokens_per_pass: float | None = None
    break_even_asks: float | None = None
    by_pass: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # pass -> tokens, cost, calls
    cache_write_tokens: int = 0
    cache_read_tokens: int = 0
    cache_saving_usd: float = 0.0  # net of the writes' premium; negative when caching cost more

    def to_json(self) -> dict[str, object]:
        return {name: getattr(self, name) if name not in ("by_path", "by_pass") else {k: v for k, v in getattr(self, name).items()} for name in self.__dataclass_fields__}


def compute(root: Path, prices: Mapping[str, Mapping[str, float]] | None = None) -> UsageStats:
    """The figures for the wiki at `root`, from its ask log, ledger and git history;
    `prices` is `llm.prices` (the cache saving is priced with it)."""
    state = root / STATE_DIR
    rows = asks_log.asks(state)
    by_path = Counter(path for path, _, _ in rows)
    n = len(rows)
    model_tokens = [tokens for path, tokens, _ in rows if path == "model"]
    ledger = ledger_stats(ledger_path(state))
    sleep = ledger.by_phase.get("sleep", Totals())
    test = ledger.by_phase.get("test", Totals())
    anticipate = ledger.by_pass.get("anticipate", Totals())
    passes = _passes(root, "anticipate")
    anticipate_tokens = _tokens(anticipate)
    if anticipate_tokens and not passes:
        passes = 1
    share = by_path["precomputed"] / n if n else None
    per_ask = sum(tokens for _, tokens, _ in rows) / n if n else None
    without = sum(model_tokens) / len(model_tokens) if model_tokens else None
    per_pass = anticipate_tokens / passes if passes else None
    saved = share * without if share and without else None
    cache = cache_figures(ledger_path(state), prices)
    return UsageStats(
        asks=n,
        by_path=dict(sorted(by_path.items())),
        precomputed_share=share,
        tokens_per_ask=per_ask,
        tokens_per_ask_without=without,
        test_tokens=_tokens(test),
        sleep_tokens=_tokens(sleep),
        sleep_cost_usd=sleep.cost_usd,
        anticipate_tokens=anticipate_tokens,
        anticipate_passes=passes,
        by_pass={name: {"tokens": _tokens(t), "cost_usd": round(t.cost_usd, 6), "calls": t.calls} for name, t in sorted(ledger.by_pass.items())},
        tokens_per_pass=per_pass,
        break_even_asks=per_pass / saved if per_pass is not None and saved else None,
        cache_write_tokens=cache.write_tokens,
        cache_read_tokens=cache.read_tokens,
        cache_saving_usd=round(cache.saving_usd, 6),
    )


def _tokens(totals: Totals) -> int:
    return totals.input_tokens + totals.output_tokens + totals.cache_read_tokens + totals.cache_write_tokens


def _passes(root: Path, name: str) -> int:
    """Distinct kbsleep runs in the history of HEAD that committed pass `name`."""
    return len(reads.trailer_values(root, f"{TRAILER_PASS}: {name}", TRAILER_RUN))
