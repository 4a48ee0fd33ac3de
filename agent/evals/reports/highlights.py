"""Which metrics a short report shows: headline ones, any with a floor, and any that moved."""

from __future__ import annotations

from agent.evals.runfile import MetricDelta, RunFile

HEADLINE = (
    "cases.pass_rate",
    "labels.accuracy.followup_target",
    "labels.accuracy.ownership",
    "labels.f1.red_flags",
    "labels.score.qwk",
    "followup.accuracy",
    "calibration.qwk",
    "calibration.spearman",
    "calibration.within_one",
    "grounding.rate",
    "invariance.all",
    "conduct.one_question",
    "conduct.no_repeat",
    "conduct.probe_budget",
    "conduct.declared_constructs",
    "persona.interviews",
    "repeat.agreement",
)


def highlighted(run: RunFile, *, everything: bool = False) -> list[str]:
    """Metric names to show, in a stable order: headline first, then floors and changes."""
    if everything:
        return sorted(run.metrics)
    names = [name for name in HEADLINE if name in run.metrics]
    names += sorted(t.metric for t in run.thresholds if t.metric not in names)
    if run.comparison is not None:
        names += sorted(d.metric for d in run.comparison.deltas if _moved(d) and d.metric not in names)
    return list(dict.fromkeys(names))


def deltas_by_metric(run: RunFile) -> dict[str, MetricDelta]:
    return {d.metric: d for d in run.comparison.deltas} if run.comparison else {}


def floors(run: RunFile) -> dict[str, float]:
    return {t.metric: t.minimum for t in run.thresholds}


def _moved(delta: MetricDelta) -> bool:
    return delta.regression or (delta.delta is not None and abs(delta.delta) >= 1e-9)
