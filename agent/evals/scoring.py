"""The scorer seam: per-case checks and statistics in, metrics out, resamplable for the bootstrap.

A scorer turns one case's outcome into checks (pass/fail facts named for what they test) and
stats (sums and score pairs). Metrics are computed from stats summed over any selection of
cases, so the comparison with a baseline can resample cases without re-running anything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from agent.evals.cases import Case
from agent.evals.defaults import CaseKind
from agent.evals.outcomes import Outcome
from agent.evals.stats import ratio


class Check(BaseModel):
    """One pass/fail fact about a case, e.g. `label.result` or `conduct.probe_budget`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    passed: bool
    expected: str = ""
    got: str = ""


class Stats(BaseModel):
    """Additive statistics of one case for one scorer: named sums and (gold, predicted) pairs."""

    model_config = ConfigDict(extra="forbid")

    sums: dict[str, float] = Field(default_factory=dict)
    pairs: dict[str, list[tuple[float, float]]] = Field(default_factory=dict)

    def add(self, key: str, amount: float = 1.0) -> None:
        self.sums[key] = self.sums.get(key, 0.0) + amount

    def pair(self, key: str, gold: float, got: float) -> None:
        self.pairs.setdefault(key, []).append((gold, got))

    def merge(self, other: Stats) -> Stats:
        merged = Stats(sums=dict(self.sums), pairs={k: list(v) for k, v in self.pairs.items()})
        for key, amount in other.sums.items():
            merged.add(key, amount)
        for key, pairs in other.pairs.items():
            merged.pairs.setdefault(key, []).extend(pairs)
        return merged


@dataclass
class Scored:
    checks: list[Check] = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)

    def check(self, name: str, passed: bool, expected: object = "", got: object = "") -> None:
        self.checks.append(Check(name=name, passed=passed, expected=_text(expected), got=_text(got)))


class View:
    """Sums and pairs of one scorer's stats over a selection of cases (all of them by default).

    A bootstrap sample repeats some cases and leaves others out, so a resampled sum is each
    case's value times how often the sample drew it. Most columns are sparse (a confusion cell,
    a flag), so only their non-zero cases are visited.
    """

    def __init__(self, table: StatsTable, indices: Sequence[int] | None = None) -> None:
        self._table = table
        self._indices = indices
        self._sums: dict[str, float] = {}
        self._counts: list[int] | None = None

    def sum(self, key: str) -> float:
        cached = self._sums.get(key)
        if cached is None:
            cached = self._sum(key)
            self._sums[key] = cached
        return cached

    def _sum(self, key: str) -> float:
        nonzero = self._table.nonzero(key)
        if not nonzero:
            return 0.0
        if self._indices is None:
            return sum(value for _, value in nonzero)
        if len(nonzero) * 4 < len(self._table.rows):
            counts = self._multiplicities()
            return sum(counts[i] * value for i, value in nonzero)
        column = self._table.column(key)
        return sum(map(column.__getitem__, self._indices))

    def _multiplicities(self) -> list[int]:
        if self._counts is None:
            counts = [0] * len(self._table.rows)
            for index in self._indices or ():
                counts[index] += 1
            self._counts = counts
        return self._counts

    def pairs(self, key: str) -> list[tuple[float, float]]:
        rows = self._table.rows
        chosen = rows if self._indices is None else [rows[i] for i in self._indices]
        return [pair for row in chosen for pair in row.pairs.get(key, ())]


class StatsTable:
    """One scorer's stats for a list of cases, stored by column so resampled sums are cheap."""

    def __init__(self, rows: list[Stats]) -> None:
        self.rows = rows
        self._columns: dict[str, list[float]] = {}
        self._nonzero: dict[str, list[tuple[int, float]]] = {}

    def column(self, key: str) -> list[float]:
        column = self._columns.get(key)
        if column is None:
            column = [row.sums.get(key, 0.0) for row in self.rows]
            self._columns[key] = column
        return column

    def nonzero(self, key: str) -> list[tuple[int, float]]:
        found = self._nonzero.get(key)
        if found is None:
            found = [(i, value) for i, value in enumerate(self.column(key)) if value]
            self._nonzero[key] = found
        return found

    def view(self, indices: Sequence[int] | None = None) -> View:
        return View(self, indices)


# A metric's value over a view of cases; None where it is undefined (say, nothing to measure).
MetricValue = Callable[[View], float | None]


def share(hits: str, total: str) -> MetricValue:
    """A rate over two summed stats: `hits` out of `total` (None when `total` is zero)."""
    return lambda view: ratio(view.sum(hits), view.sum(total))


@dataclass(frozen=True)
class Metric:
    """One metric, declared once: the key suites and run files name it by, and how it is computed.

    The key is `scorer.name`, e.g. `labels.accuracy.ownership`. Every metric is a rate or an
    agreement where higher is better: suites set floors on them (`min`) and a comparison with a
    baseline flags drops.
    """

    scorer: str
    name: str
    description: str
    # The case kinds it is measured on: when none of them ran, it cannot have a value.
    kinds: frozenset[CaseKind]
    value: MetricValue = field(repr=False, compare=False)

    @property
    def key(self) -> str:
        return f"{self.scorer}.{self.name}"


class Scorer(Protocol):
    """A small, versioned unit: per-case checks and stats, and the metrics it declares over them."""

    name: str
    version: int
    kinds: frozenset[CaseKind]
    metrics: tuple[Metric, ...]

    def score(self, case: Case, outcome: Outcome) -> Scored: ...


def _text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(v) for v in value) or "none"
    return str(value)
