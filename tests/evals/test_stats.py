"""The agreement statistics against values worked out by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent.evals.stats import (
    f1,
    interval,
    macro_f1,
    percentile,
    quadratic_weighted_kappa,
    ranks,
    resamples,
    spearman,
)


def confusion(pairs: list[tuple[int, int]]) -> dict[tuple[int, int], float]:
    counts: dict[tuple[int, int], float] = {}
    for pair in pairs:
        counts[pair] = counts.get(pair, 0.0) + 1
    return counts


def test_f1_of_one_class() -> None:
    assert f1(8, 2, 2) == pytest.approx(0.8)
    assert f1(0, 0, 0) is None
    assert f1(0, 3, 0) == 0.0


def test_macro_f1_ignores_classes_that_never_occur() -> None:
    counts = {("present", "present"): 3.0, ("missing", "present"): 1.0, ("missing", "missing"): 1.0}
    # present: tp 3, fp 1, fn 0 -> 6/7; missing: tp 1, fp 0, fn 1 -> 2/3; partial never occurs.
    assert macro_f1(counts, ("present", "partial", "missing")) == pytest.approx((6 / 7 + 2 / 3) / 2)


def test_kappa_is_one_for_perfect_agreement_and_negative_for_reversal() -> None:
    assert quadratic_weighted_kappa(confusion([(1, 1), (3, 3), (5, 5)])) == pytest.approx(1.0)
    assert quadratic_weighted_kappa(confusion([(1, 5), (3, 3), (5, 1)])) == pytest.approx(-1.0)


def test_kappa_matches_a_hand_computation() -> None:
    pairs = [(1, 1), (2, 3), (3, 3), (4, 3), (5, 4)]
    # Observed weighted disagreement: (0 + 1 + 0 + 1 + 1) / 16 = 3/16.
    # Expected: sum over i, j of w_ij * gold_i * pred_j / n.
    gold = {1: 1, 2: 1, 3: 1, 4: 1, 5: 1}
    pred = {1: 1, 3: 3, 4: 1}
    expected = sum((i - j) ** 2 / 16 * gold[i] * n / 5 for i in gold for j, n in pred.items())
    assert quadratic_weighted_kappa(confusion(pairs)) == pytest.approx(1 - (3 / 16) / expected)


def test_kappa_when_every_rating_is_the_same() -> None:
    assert quadratic_weighted_kappa(confusion([(3, 3), (3, 3)])) == 1.0
    assert quadratic_weighted_kappa({}) is None


def test_ranks_share_ties() -> None:
    assert ranks([10, 20, 20, 30]) == [1.0, 2.5, 2.5, 4.0]


def test_spearman_with_ties_against_a_hand_computation() -> None:
    pairs = [(1.0, 2.0), (2.0, 2.0), (3.0, 4.0), (4.0, 3.0)]
    # ranks x: 1 2 3 4; ranks y: 1.5 1.5 4 3 -> Pearson of those.
    xs, ys = [1, 2, 3, 4], [1.5, 1.5, 4, 3]
    mx, my = 2.5, 2.5
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    expected = sxy / math.sqrt(sum((x - mx) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys))
    assert spearman(pairs) == pytest.approx(expected)


def test_spearman_is_undefined_for_a_constant_side() -> None:
    assert spearman([(1, 3), (2, 3), (3, 3)]) is None
    assert spearman([(1, 1)]) is None


def test_resamples_are_reproducible_and_in_range() -> None:
    first = resamples(50, 7, seed=3)
    assert first == resamples(50, 7, seed=3)
    assert first != resamples(50, 7, seed=4)
    assert all(len(sample) == 7 and all(0 <= i < 7 for i in sample) for sample in first)


def test_interval_and_percentile() -> None:
    values = [float(v) for v in range(101)]
    assert percentile(values, 0.5) == 50
    low, high = interval(values, 0.9)
    assert (low, high) == pytest.approx((5.0, 95.0))


@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), min_size=1, max_size=40))
def test_kappa_is_bounded(pairs: list[tuple[int, int]]) -> None:
    value = quadratic_weighted_kappa(confusion(pairs))
    assert value is not None
    assert -1.0 - 1e-9 <= value <= 1.0 + 1e-9


@given(st.lists(st.tuples(st.floats(-5, 5), st.floats(-5, 5)), min_size=2, max_size=30))
def test_spearman_is_bounded_and_symmetric(pairs: list[tuple[float, float]]) -> None:
    value = spearman(pairs)
    swapped = spearman([(b, a) for a, b in pairs])
    if value is None:
        assert swapped is None
    else:
        assert -1.0 - 1e-9 <= value <= 1.0 + 1e-9
        assert swapped == pytest.approx(value)
