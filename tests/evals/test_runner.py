"""The runner: every case kind through the offline brain, repeats, filters and the manifest."""

from __future__ import annotations

import pytest

from agent.brains.offline import OfflineBrain
from agent.evals.brains import FixedBrainProvider
from agent.evals.errors import HarnessError
from agent.evals.runner import RunOptions, prompt_files, run_suite, select_cases
from agent.evals.suite_loader import load_suite
from tests.evals.conftest import REPO, SUITES


def test_repeats_of_a_deterministic_brain_agree() -> None:
    suite = load_suite(SUITES / "smoke.yaml")
    run = run_suite(suite, FixedBrainProvider(OfflineBrain), RunOptions(repeat=2, kinds=("next_turn",)))
    assert len(run.cases) == 2 * len(select_cases(suite, (), ("next_turn",)))
    assert run.agreement == {"repeat.agreement": 1.0}
    assert run.metrics["repeat.agreement"] == 1.0
    assert run.manifest.repeat == 2


def test_results_keep_suite_order_whatever_the_concurrency() -> None:
    suite = load_suite(SUITES / "smoke.yaml")
    one = run_suite(suite, FixedBrainProvider(), RunOptions(jobs=1, filters=("nt-*", "cal-t0*")))
    many = run_suite(suite, FixedBrainProvider(), RunOptions(jobs=8, filters=("nt-*", "cal-t0*")))
    assert [c.id for c in one.cases] == [c.id for c in many.cases]
    assert [c.signature for c in one.cases] == [c.signature for c in many.cases]
    assert one.metrics == many.metrics


def test_a_simulated_interview_is_stored_and_checked() -> None:
    suite = load_suite(SUITES / "smoke.yaml")
    run = run_suite(suite, FixedBrainProvider(), RunOptions(filters=("sim-cannot-recall-s1",)))
    [case] = run.cases
    assert case.status == "pass", case.failed_checks
    assert any(turn.startswith("interviewer (closing)") for turn in case.output["turns"])
    assert case.output["recommendation"] == "insufficient_evidence"
    assert {check.name for check in case.checks} >= {"conduct.one_question", "expect.max_followups"}


def test_a_filter_that_matches_nothing_is_a_harness_error() -> None:
    with pytest.raises(HarnessError, match="No case"):
        run_suite(load_suite(SUITES / "smoke.yaml"), FixedBrainProvider(), RunOptions(filters=("zzz",)))


def test_the_manifest_records_what_was_run() -> None:
    suite = load_suite(SUITES / "smoke.yaml")
    run = run_suite(suite, FixedBrainProvider(), RunOptions(kinds=("evaluation_calibration",)))
    m = run.manifest
    assert m.suite == "smoke" and m.brain == "offline" and m.model is None
    assert m.rubric_hash == suite.rubric.content_hash()
    assert m.suite_hash == suite.content_hash
    assert m.scorers["calibration"] == 1
    assert m.prompts == prompt_files(REPO / "prompts")
    assert m.filters == ["kind:evaluation_calibration"]
    assert m.cases_per_second > 0
