"""Agreement statistics in plain Python: F1, quadratic weighted kappa, Spearman, bootstrap intervals."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def f1(tp: float, fp: float, fn: float) -> float | None:
    """F1 of one class; undefined (None) when the class never occurs and is never predicted."""
    if tp + fp + fn == 0:
        return None
    return 2 * tp / (2 * tp + fp + fn)


def macro_f1(confusion: dict[tuple[str, str], float], classes: Sequence[str]) -> float | None:
    """Mean F1 over the classes that occur in the gold labels or the predictions."""
    scores: list[float] = []
    for label in classes:
        tp = confusion.get((label, label), 0.0)
        fp = sum(n for (want, got), n in confusion.items() if got == label and want != label)
        fn = sum(n for (want, got), n in confusion.items() if want == label and got != label)
        score = f1(tp, fp, fn)
        if score is not None:
            scores.append(score)
    return sum(scores) / len(scores) if scores else None


def quadratic_weighted_kappa(
    confusion: dict[tuple[int, int], float], low: int = 1, high: int = 5
) -> float | None:
    """Cohen's kappa with quadratic weights, from counts of (gold, predicted) ratings.

    1 is perfect agreement, 0 is what chance gives. When every rating is the same single value
    the statistic is undefined; it is then 1.0 if both raters agree on it, else 0.0.
    """
    total = sum(confusion.values())
    if total == 0:
        return None
    levels = range(low, high + 1)
    span = (high - low) ** 2 or 1
    gold = {i: sum(confusion.get((i, j), 0.0) for j in levels) for i in levels}
    pred = {j: sum(confusion.get((i, j), 0.0) for i in levels) for j in levels}
    observed = sum(((i - j) ** 2 / span) * confusion.get((i, j), 0.0) for i in levels for j in levels)
    expected = sum(((i - j) ** 2 / span) * gold[i] * pred[j] / total for i in levels for j in levels)
    if expected == 0:
        return 1.0 if observed == 0 else 0.0
    return 1.0 - observed / expected


def ranks(values: Sequence[float]) -> list[float]:
    """Average ranks (1-based), ties sharing the mean of their positions."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        mean = (start + end) / 2 + 1
        for position in range(start, end + 1):
            result[order[position]] = mean
        start = end + 1
    return result


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def spearman(pairs: Sequence[tuple[float, float]]) -> float | None:
    """Spearman's rank correlation (Pearson on average ranks); None when either side is constant."""
    if len(pairs) < 2:
        return None
    return pearson(ranks([p[0] for p in pairs]), ranks([p[1] for p in pairs]))


def resamples(count: int, size: int, seed: int) -> list[list[int]]:
    """`count` bootstrap samples of `size` case indices, drawn with replacement, reproducibly."""
    rng = random.Random(seed)
    population = range(size)
    return [rng.choices(population, k=size) for _ in range(count)]


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """The q-quantile (0..1) of already sorted values, by linear interpolation."""
    if not sorted_values:
        raise ValueError("no values")
    position = q * (len(sorted_values) - 1)
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    fraction = position - low
    return sorted_values[low] * (1 - fraction) + sorted_values[high] * fraction


def interval(values: Sequence[float], confidence: float) -> tuple[float, float]:
    """The central `confidence` interval of a bootstrap distribution."""
    ordered = sorted(values)
    tail = (1 - confidence) / 2
    return percentile(ordered, tail), percentile(ordered, 1 - tail)
