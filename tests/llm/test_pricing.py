"""Cost estimates: one price table, dated snapshots priced as their family, unknown models cost None."""

from __future__ import annotations

import pytest

from agent.domain.usage import Usage
from agent.llm.pricing import ModelPrice, estimate_cost, price_for


def test_known_models_and_their_snapshots_have_prices() -> None:
    assert price_for("gpt-4o-mini") == price_for("gpt-4o-mini-2024-07-18")
    assert price_for("gpt-4o") != price_for("gpt-4o-mini")


def test_an_unknown_model_costs_none_never_a_guess() -> None:
    assert estimate_cost(Usage(prompt_tokens=10, completion_tokens=10), "llama-3-8b") is None
    assert price_for("gpt-4o-mini-custom") is None


def test_cached_tokens_are_charged_at_the_cached_rate() -> None:
    usage = Usage(prompt_tokens=1_000_000, completion_tokens=1_000_000, cached_tokens=500_000)
    assert estimate_cost(usage, "gpt-4o") == pytest.approx(0.5 * 2.5 + 0.5 * 1.25 + 10.0)


def test_settings_can_add_a_price() -> None:
    extra = {"my-model": ModelPrice(input=1.0, output=2.0)}
    usage = Usage(prompt_tokens=1_000_000, completion_tokens=500_000, cached_tokens=100_000)
    assert estimate_cost(usage, "my-model", extra) == pytest.approx(1.0 + 1.0)


def test_totals_keep_known_costs_and_unknown_stays_unknown() -> None:
    known = Usage(prompt_tokens=1, cost_usd=0.5)
    assert (known + known).cost_usd == 1.0
    assert (Usage(prompt_tokens=1) + Usage(prompt_tokens=2)).cost_usd is None
