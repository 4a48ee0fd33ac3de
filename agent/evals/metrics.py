"""Metrics from case records: stats merged over repeats per case, then each scorer's metrics."""

from __future__ import annotations

from collections.abc import Sequence

from agent.evals.runfile import CaseRecord
from agent.evals.scoring import Scorer, Stats, StatsTable

# The runner's own metric, from the outputs of repeated runs rather than from any scorer's stats.
REPEAT_AGREEMENT = "repeat.agreement"


def stats_tables(
    records: Sequence[CaseRecord], ids: Sequence[str], scorers: Sequence[Scorer]
) -> dict[str, StatsTable]:
    """One table per scorer with a row per case id; repeats of a case are summed into its row.

    Harness errors carry no stats, so they never move a metric.
    """
    merged: dict[str, dict[str, Stats]] = {case_id: {} for case_id in ids}
    for record in records:
        row = merged.get(record.id)
        if row is None or record.status == "error":
            continue
        for name, stats in record.stats.items():
            row[name] = row[name].merge(stats) if name in row else stats
    return {
        scorer.name: StatsTable([merged[case_id].get(scorer.name, Stats()) for case_id in ids])
        for scorer in scorers
    }


def compute_metrics(
    tables: dict[str, StatsTable], scorers: Sequence[Scorer], indices: Sequence[int] | None = None
) -> dict[str, float]:
    """Every declared metric that has a value, by key, over all cases or the resampled `indices`."""
    values: dict[str, float] = {}
    for scorer in scorers:
        view = tables[scorer.name].view(indices)
        for metric in scorer.metrics:
            value = metric.value(view)
            if value is not None:
                values[metric.key] = value
    return values


def agreement(records: Sequence[CaseRecord]) -> dict[str, float]:
    """Run-to-run agreement under `--repeat`: the share of cases whose output was identical every time."""
    signatures: dict[str, set[str]] = {}
    runs: dict[str, int] = {}
    for record in records:
        if record.status == "error":
            continue
        signatures.setdefault(record.id, set()).add(record.signature)
        runs[record.id] = runs.get(record.id, 0) + 1
    repeated = [case_id for case_id, count in runs.items() if count > 1]
    if not repeated:
        return {}
    stable = sum(1 for case_id in repeated if len(signatures[case_id]) == 1)
    return {REPEAT_AGREEMENT: stable / len(repeated)}
