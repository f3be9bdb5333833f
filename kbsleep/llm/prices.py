"""The one price table: USD per million tokens and the prompt cache's minimum, per model.

Overridable by `llm.prices`. Minimum cacheable lengths are Anthropic's prompt-caching
documentation's: a cached prefix shorter than its model's minimum is not cached at all, so
kbsleep marks none (see `kbsleep.llm.caching`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kbsleep.errors import KbsleepError
from kbsleep.llm.model import Usage

CACHE_WRITE_FACTOR = 1.25  # a 5-minute cache write costs 1.25x base input
CACHE_READ_FACTOR = 0.1  # a cache hit costs 0.1x base input
BATCH_FACTOR = 0.5  # Message Batches bill every token class at half price
# An unlisted model (a local server): the smallest documented minimum, since marking a prefix
# that turns out too short costs nothing, while leaving a long one unmarked forgoes the saving.
DEFAULT_MIN_CACHE_TOKENS = 1024


@dataclass(frozen=True)
class Price:
    """USD per million tokens."""

    input: float
    output: float
    cache_write: float
    cache_read: float
    min_cache_tokens: int = DEFAULT_MIN_CACHE_TOKENS  # the shortest prefix the prompt cache keeps

    @classmethod
    def of(cls, input: float, output: float, min_cache_tokens: int = DEFAULT_MIN_CACHE_TOKENS) -> Price:
        return cls(input, output, input * CACHE_WRITE_FACTOR, input * CACHE_READ_FACTOR, min_cache_tokens)


# Model ids match exactly or as a prefix, so dated ids ("claude-haiku-4-5-20251001") share a row.
PRICES: dict[str, Price] = {
    "claude-opus-4-6": Price.of(5.0, 25.0, 4096),
    "claude-opus-4-5": Price.of(5.0, 25.0, 4096),
    "claude-opus-4-1": Price.of(15.0, 75.0, 1024),
    "claude-opus-4": Price.of(15.0, 75.0, 1024),
    "claude-sonnet-4-6": Price.of(3.0, 15.0, 1024),
    "claude-sonnet-4-5": Price.of(3.0, 15.0, 1024),
    "claude-sonnet-4": Price.of(3.0, 15.0, 1024),
    "claude-3-7-sonnet": Price.of(3.0, 15.0, 1024),
    "claude-haiku-4-5": Price.of(1.0, 5.0, 4096),
    "claude-3-5-haiku": Price.of(0.8, 4.0, 2048),
    "claude-3-haiku": Price.of(0.25, 1.25, 2048),
    "offline": Price.of(0.0, 0.0, 0),
}

_KEYS = ("input", "output", "cache_write", "cache_read", "min_cache_tokens")


def price_for(
    model: str, overrides: Mapping[str, Mapping[str, float]] | None = None
) -> Price | None:
    """The price of `model`: the config's row first, then the longest matching prefix here."""
    if overrides and model in overrides:
        return _from_table(model, overrides[model])
    table = dict(PRICES)
    for name, row in (overrides or {}).items():
        table[name] = _from_table(name, row)
    matches = [name for name in table if model == name or model.startswith(name + "-")]
    if not matches:
        return None
    return table[max(matches, key=len)]


def min_cache_tokens(model: str, overrides: Mapping[str, Mapping[str, float]] | None = None) -> int:
    """The shortest prefix `model`'s prompt cache keeps, in tokens."""
    price = price_for(model, overrides)
    return DEFAULT_MIN_CACHE_TOKENS if price is None else price.min_cache_tokens


def cache_saving(usage: Usage, price: Price | None, *, batched: bool = False) -> float:
    """USD that prompt caching saved on `usage` (negative when writes outweighed reads)."""
    if price is None:
        return 0.0
    saved = usage.cache_read_tokens * (price.input - price.cache_read)
    extra = usage.cache_write_tokens * (price.cache_write - price.input)
    total = (saved - extra) / 1_000_000
    return total * BATCH_FACTOR if batched else total


def cost(usage: Usage, price: Price | None, *, batched: bool = False) -> float:
    """USD for `usage`; an unpriced model (a local server) costs nothing."""
    if price is None:
        return 0.0
    total = (
        usage.input_tokens * price.input
        + usage.output_tokens * price.output
        + usage.cache_write_tokens * price.cache_write
        + usage.cache_read_tokens * price.cache_read
    ) / 1_000_000
    return total * BATCH_FACTOR if batched else total


def _from_table(model: str, table: Mapping[str, float]) -> Price:
    row = {key.replace("-", "_"): value for key, value in table.items()}  # TOML is kebab-case
    unknown = sorted(set(row) - set(_KEYS))
    if unknown or "input" not in row or "output" not in row:
        raise KbsleepError(
            f"llm.prices.{model}: needs `input` and `output` (USD per million tokens)"
            + (f"; unknown keys: {', '.join(unknown)}" if unknown else ""),
            hint="cache-write and cache-read default to 1.25x and 0.1x input, min-cache-tokens to the listed model's",
        )
    listed = _listed(model)
    minimum = listed.min_cache_tokens if listed is not None else DEFAULT_MIN_CACHE_TOKENS
    base = Price.of(float(row["input"]), float(row["output"]))
    return Price(
        base.input,
        base.output,
        float(row.get("cache_write", base.cache_write)),
        float(row.get("cache_read", base.cache_read)),
        int(row.get("min_cache_tokens", minimum)),
    )


def _listed(model: str) -> Price | None:
    """The built-in row for `model` (exactly or by the longest prefix)."""
    matches = [name for name in PRICES if model == name or model.startswith(name + "-")]
    return PRICES[max(matches, key=len)] if matches else None
