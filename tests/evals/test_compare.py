"""Pairing with a baseline: flips at check level, deltas with intervals, what changed in the prompts."""

from __future__ import annotations

from datetime import UTC, datetime

from agent.evals.compare import case_status, compare, flips, prompt_diff
from agent.evals.runfile import CaseRecord, Manifest, PromptFile, RunFile
from agent.evals.scorers.outcome import CaseOutcomeScorer
from agent.evals.scoring import Check, Stats
from agent.evals.suite import CompareSettings

AT = datetime(2025, 1, 1, tzinfo=UTC)


def manifest(**changes: object) -> Manifest:
    base = Manifest(
        run_id="r",
        suite="s",
        suite_title="S",
        suite_hash="h",
        starling_version="1",
        python="3.11",
        platform="p",
        rubric_id="r",
        rubric_version="1",
        rubric_hash="h",
        brain="offline",
        seed=1,
        started_at=AT,
        finished_at=AT,
        duration_s=1.0,
        cases_per_second=1.0,
        scorers={"labels": 1, "cases": 1},
    )
    return base.model_copy(update=changes)


def record(case_id: str, ok: bool, *, check_ok: dict[str, bool] | None = None) -> CaseRecord:
    checks = [
        Check(name=name, passed=value, expected="e", got="g") for name, value in (check_ok or {}).items()
    ]
    stats = {
        "cases": CaseOutcomeScorer.stats_for("analysis", ok),
        "labels": Stats(sums={"n.ownership": 1, "ok.ownership": float(ok)}),
    }
    return CaseRecord(
        id=case_id, kind="analysis", status="pass" if ok else "fail", checks=checks, stats=stats
    )


def run(*records: CaseRecord, **changes: object) -> RunFile:
    return RunFile(manifest=manifest(**changes), cases=list(records))


def test_a_failing_case_whose_check_broke_is_a_flip() -> None:
    was = [record("a", False, check_ok={"label.task": False, "label.ownership": True})]
    now = [record("a", False, check_ok={"label.task": False, "label.ownership": False})]
    [flip] = flips(now, was, ["a"])
    assert (flip.was, flip.now, flip.regressed) == ("fail", "fail", True)
    assert [c.name for c in flip.checks] == ["label.ownership"]


def test_flips_put_cases_that_stopped_passing_first() -> None:
    was = [record("fixed", False, check_ok={"x": False}), record("broke", True, check_ok={"x": True})]
    now = [record("fixed", True, check_ok={"x": True}), record("broke", False, check_ok={"x": False})]
    assert [f.case_id for f in flips(now, was, ["fixed", "broke"])] == ["broke", "fixed"]


def test_repeats_that_disagree_are_flaky() -> None:
    assert case_status([record("a", True), record("a", False)]) == "flaky"


def test_identical_runs_have_zero_deltas_and_no_flips() -> None:
    cases = [record(f"c{i}", i % 3 != 0) for i in range(30)]
    result = compare(
        run(*cases), run(*cases), settings=CompareSettings(), thresholds={}, seed=1, baseline_path="b"
    )
    assert result.flips == []
    assert result.paired == 30
    assert all(d.delta == 0 and d.low == 0 and d.high == 0 and not d.regression for d in result.deltas)


def test_a_broad_drop_is_a_regression_and_a_single_flip_is_not() -> None:
    before = [record(f"c{i}", True) for i in range(40)]
    one_flip = [record(f"c{i}", i != 0) for i in range(40)]
    many = [record(f"c{i}", i % 2 == 0) for i in range(40)]
    settings = CompareSettings(max_drop=0.02, bootstrap=500)
    small = compare(run(*one_flip), run(*before), settings=settings, thresholds={}, seed=3, baseline_path="b")
    large = compare(run(*many), run(*before), settings=settings, thresholds={}, seed=3, baseline_path="b")
    by_metric = {d.metric: d for d in small.deltas}
    assert not by_metric["labels.accuracy.ownership"].regression
    assert by_metric["labels.accuracy.ownership"].high == 0.0
    drop = {d.metric: d for d in large.deltas}["labels.accuracy.ownership"]
    assert drop.regression
    assert drop.delta == -0.5
    assert drop.low is not None and drop.high is not None and drop.low < -0.5 < drop.high < 0


def test_the_bootstrap_is_seeded() -> None:
    before = [record(f"c{i}", True) for i in range(40)]
    after = [record(f"c{i}", i % 3 != 0) for i in range(40)]
    settings = CompareSettings(bootstrap=200)
    first = compare(run(*after), run(*before), settings=settings, thresholds={}, seed=9, baseline_path="b")
    second = compare(run(*after), run(*before), settings=settings, thresholds={}, seed=9, baseline_path="b")
    assert first.deltas == second.deltas


def test_a_changed_scorer_version_is_not_compared() -> None:
    before = run(record("a", True), scorers={"labels": 0, "cases": 1})
    after = run(record("a", False))
    result = compare(after, before, settings=CompareSettings(), thresholds={}, seed=1, baseline_path="b")
    labels = [d for d in result.deltas if d.metric.startswith("labels.")]
    assert labels and all(not d.comparable and not d.regression for d in labels)


def test_cases_only_in_one_run_are_listed() -> None:
    result = compare(
        run(record("a", True), record("new", True)),
        run(record("a", True), record("gone", True)),
        settings=CompareSettings(),
        thresholds={},
        seed=1,
        baseline_path="b",
    )
    assert (result.added, result.removed, result.paired) == (["new"], ["gone"], 1)


def test_prompt_templates_are_diffed_and_setup_changes_named() -> None:
    old = manifest(prompts={"analysis.system.j2": PromptFile(sha256="1", text="Be brief.\nUse STAR.\n")})
    new = manifest(
        prompts={"analysis.system.j2": PromptFile(sha256="2", text="Be thorough.\nUse STAR.\n")},
        prompts_hash="changed",
    )
    diff = prompt_diff(old, new)
    assert "--- baseline/prompts/analysis.system.j2" in diff
    assert "-Be brief." in diff and "+Be thorough." in diff
    result = compare(
        RunFile(manifest=new),
        RunFile(manifest=old),
        settings=CompareSettings(),
        thresholds={},
        seed=1,
        baseline_path="b",
    )
    assert result.changes["prompts_hash"] == ("", "changed")
