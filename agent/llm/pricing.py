"""Estimated cost of model calls: one price table, by model name, in one place.

Prices are US dollars per million tokens as published by OpenAI in 2025; check them before
relying on the totals. A model not in the table (a local server, a new model) costs `None`:
unknown, never a guess. Settings may add or override entries.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field

from agent.domain.usage import Usage


class ModelPrice(BaseModel):
    """Dollars per million tokens: prompt, cached prompt, and completion."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    input: float = Field(ge=0)
    cached_input: float | None = Field(default=None, ge=0)
    output: float = Field(ge=0)


PRICES: dict[str, ModelPrice] = {
    "gpt-4o": ModelPrice(input=2.50, cached_input=1.25, output=10.00),
    "gpt-4o-mini": ModelPrice(input=0.15, cached_input=0.075, output=0.60),
    "gpt-4.1": ModelPrice(input=2.00, cached_input=0.50, output=8.00),
    "gpt-4.1-mini": ModelPrice(input=0.40, cached_input=0.10, output=1.60),
    "gpt-4.1-nano": ModelPrice(input=0.10, cached_input=0.025, output=0.40),
    "gpt-5": ModelPrice(input=1.25, cached_input=0.125, output=10.00),
    "gpt-5-mini": ModelPrice(input=0.25, cached_input=0.025, output=2.00),
    "gpt-5-nano": ModelPrice(input=0.05, cached_input=0.005, output=0.40),
    "o4-mini": ModelPrice(input=1.10, cached_input=0.275, output=4.40),
    "o3-mini": ModelPrice(input=1.10, cached_input=0.55, output=4.40),
}

# A dated snapshot costs what its family costs: "gpt-4o-2024-08-06" is priced as "gpt-4o".
_SNAPSHOT = re.compile(r"^(?P<family>.+?)-\d{4}-\d{2}-\d{2}$")


def price_for(model: str, extra: Mapping[str, ModelPrice] | None = None) -> ModelPrice | None:
    table = {**PRICES, **(extra or {})}
    name = model.strip().lower()
    if name in table:
        return table[name]
    match = _SNAPSHOT.match(name)
    if match and match.group("family") in table:
        return table[match.group("family")]
    return None


def estimate_cost(usage: Usage, model: str, extra: Mapping[str, ModelPrice] | None = None) -> float | None:
    """Dollars for one call's usage, or None when the model's price is unknown."""
    price = price_for(model, extra)
    if price is None:
        return None
    cached = min(usage.cached_tokens, usage.prompt_tokens)
    cached_rate = price.cached_input if price.cached_input is not None else price.input
    dollars = (
        (usage.prompt_tokens - cached) * price.input
        + cached * cached_rate
        + usage.completion_tokens * price.output
    ) / 1_000_000
    return round(dollars, 8)


def priced(usage: Usage, model: str, extra: Mapping[str, ModelPrice] | None = None) -> Usage:
    """The usage with its estimated cost filled in."""
    return usage.model_copy(update={"cost_usd": estimate_cost(usage, model, extra)})
