"""The verdict CI gates on: 0 pass, 1 the agent regressed or missed a threshold, 2 the harness failed."""

from __future__ import annotations

from agent.evals.defaults import CaseKind
from agent.evals.runfile import RunFile, ThresholdResult, Verdict
from agent.evals.scorers import declared_metrics
from agent.evals.scoring import Metric
from agent.evals.suite import Threshold

PASS, FAIL, HARNESS = 0, 1, 2
NOT_MEASURED = "not measured"


def check_thresholds(
    run: RunFile, thresholds: dict[str, Threshold], *, filtered: bool
) -> list[ThresholdResult]:
    """Each declared floor against the run's metrics.

    A metric with no value is judged by why it has none. When cases it reads did run, the agent
    gave them nothing to measure (say, no evidence quotes at all): the floor is missed. When no
    such case ran, a filtered run skips the floor, and an unfiltered one has a suite that cannot
    measure its own floor, which is a harness failure (see `decide`).
    """
    ran = {case.kind for case in run.cases if case.status != "error"}
    declared = declared_metrics()
    results: list[ThresholdResult] = []
    for metric, threshold in sorted(thresholds.items()):
        if threshold.min is None:
            continue
        value = run.metrics.get(metric)
        if value is not None:
            passed = value >= threshold.min - 1e-12
            results.append(ThresholdResult(metric=metric, minimum=threshold.min, value=value, passed=passed))
        elif ran & _kinds(declared, metric):
            note = "nothing to measure: the agent gave these cases no material for it"
            results.append(
                ThresholdResult(metric=metric, minimum=threshold.min, value=None, passed=False, note=note)
            )
        else:
            note = (
                f"{NOT_MEASURED} in this filtered run" if filtered else f"{NOT_MEASURED}: no case produced it"
            )
            results.append(
                ThresholdResult(metric=metric, minimum=threshold.min, value=None, passed=filtered, note=note)
            )
    return results


def decide(run: RunFile) -> Verdict:
    """Harness failures first (the measurement cannot be trusted), then the agent's failures."""
    errors = [case for case in run.cases if case.status == "error"]
    unmeasurable = [t for t in run.thresholds if not t.passed and t.note.startswith(NOT_MEASURED)]
    if errors or unmeasurable:
        reasons = [f"harness error in {case.id}: {case.error}" for case in errors[:20]]
        if len(errors) > 20:
            reasons.append(f"... and {len(errors) - 20} more harness errors")
        reasons += [f"the floor on {t.metric} cannot be checked: {t.note}" for t in unmeasurable]
        return Verdict(status="error", exit_code=HARNESS, reasons=reasons)
    reasons = [
        f"{t.metric} = {t.value:.3f}, below the floor of {t.minimum:.3f}"
        if t.value is not None
        else f"{t.metric} has {t.note} (floor {t.minimum:.3f})"
        for t in run.thresholds
        if not t.passed
    ]
    if run.comparison is not None:
        for delta in run.comparison.deltas:
            if delta.regression and delta.delta is not None:
                reasons.append(
                    f"{delta.metric} regressed by {-delta.delta:.3f} "
                    f"(interval {_fmt(delta.low)} to {_fmt(delta.high)}; allowed drop {delta.max_drop:.3f})"
                )
    critical = sorted({case.id for case in run.cases if case.critical and case.status == "fail"})
    reasons += [f"critical case {case_id} failed" for case_id in critical]
    if reasons:
        return Verdict(status="fail", exit_code=FAIL, reasons=reasons)
    return Verdict(status="pass", exit_code=PASS)


def _kinds(declared: dict[str, Metric], metric: str) -> frozenset[CaseKind]:
    found = declared.get(metric)
    return found.kinds if found is not None else frozenset()


def _fmt(value: float | None) -> str:
    return "?" if value is None else f"{value:+.3f}"
