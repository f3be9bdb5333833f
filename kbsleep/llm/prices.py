"""The one price table: USD per million tokens, per model, overridable by `llm.prices`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kbsleep.errors import KbsleepError
from kbsleep.llm.model import Usage

CACHE_WRITE_FACTOR = 1.25  # a 5-minute cache write costs 1.25x base input
CACHE_READ_FACTOR = 0.1  # a cache hit costs 0.1x base input
BATCH_FACTOR = 0.5  # Message Batches bill every token class at half price


@dataclass(frozen=True)
class Price:
    """USD per million tokens."""

    input: float
    output: float
    cache_write: float
    cache_read: float

    @classmethod
    def of(cls, input: float, output: float) -> Price:
        return cls(input, output, input * CACHE_WRITE_FACTOR, input * CACHE_READ_FACTOR)


# Model ids match exactly or as a prefix, so dated ids ("claude-haiku-4-5-20251001") share a row.
PRICES: dict[str, Price] = {
    "claude-opus-4-6": Price.of(5.0, 25.0),
    "claude-opus-4-5": Price.of(5.0, 25.0),
    "claude-opus-4-1": Price.of(15.0, 75.0),
    "claude-opus-4": Price.of(15.0, 75.0),
    "claude-sonnet-4-6": Price.of(3.0, 15.0),
    "claude-sonnet-4-5": Price.of(3.0, 15.0),
    "claude-sonnet-4": Price.of(3.0, 15.0),
    "claude-3-7-sonnet": Price.of(3.0, 15.0),
    "claude-haiku-4-5": Price.of(1.0, 5.0),
    "claude-3-5-haiku": Price.of(0.8, 4.0),
    "claude-3-haiku": Price.of(0.25, 1.25),
    "offline": Price.of(0.0, 0.0),
}

_KEYS = ("input", "output", "cache_write", "cache_read")


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
            hint="cache-write and cache-read default to 1.25x and 0.1x input",
        )
    base = Price.of(float(row["input"]), float(row["output"]))
    return Price(
        base.input,
        base.output,
        float(row.get("cache_write", base.cache_write)),
        float(row.get("cache_read", base.cache_read)),
    )
