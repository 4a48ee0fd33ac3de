"""Metrics are declared once: the keys suites and run files use, what each measures, and on what."""

from __future__ import annotations

from agent.evals.defaults import CASE_KINDS
from agent.evals.metrics import REPEAT_AGREEMENT, compute_metrics
from agent.evals.reports.highlights import HEADLINE
from agent.evals.scorers import declared_metrics, default_scorers, known_metrics
from agent.evals.scoring import Stats, StatsTable

# The metric keys of run files and suite thresholds. Renaming one breaks every stored baseline
# and suite that names it, so a change here must be deliberate.
RUN_FILE_KEYS = {
    *(
        f"labels.{kind}.{label}"
        for label in (
            "situation",
            "task",
            "action",
            "result",
            "ownership",
            "specific_example",
            "quantified_result",
            "reflection",
            "declined",
            "followup_target",
        )
        for kind in ("accuracy", "f1")
    ),
    "labels.accuracy.not_assessed",
    "labels.accuracy.red_flags",
    "labels.f1.red_flags",
    *(
        f"labels.f1.flag.{flag}"
        for flag in (
            "blames_customer",
            "hypothetical",
            "vague_generalities",
            "no_personal_action",
            "prompt_injection",
            "off_topic",
            "too_short",
        )
    ),
    "labels.score.exact",
    "labels.score.within_one",
    "labels.score.qwk",
    "labels.score.precision_5",
    "labels.score.spearman",
    "followup.accuracy",
    "followup.move_accuracy",
    "followup.target_accuracy",
    "calibration.exact",
    "calibration.within_one",
    "calibration.assessed_agreement",
    "calibration.qwk",
    "calibration.spearman",
    "calibration.overall_spearman",
    "grounding.rate",
    "invariance.injection",
    "invariance.names",
    "invariance.filler",
    "invariance.injection_flagged",
    "invariance.all",
    "conduct.one_question",
    "conduct.no_repeat",
    "conduct.probe_budget",
    "conduct.declared_constructs",
    "persona.checks",
    "persona.interviews",
    "cases.pass_rate",
    "cases.pass_rate.analysis",
    "cases.pass_rate.next_turn",
    "cases.pass_rate.simulated_interview",
    "cases.pass_rate.evaluation_calibration",
    "repeat.agreement",
}


def test_the_metric_keys_are_the_run_file_contract() -> None:
    assert known_metrics() == RUN_FILE_KEYS
    assert REPEAT_AGREEMENT in known_metrics()


def test_each_metric_is_declared_once_by_its_scorer_with_what_it_measures() -> None:
    declared = [(scorer, metric) for scorer in default_scorers() for metric in scorer.metrics]
    assert len({metric.key for _, metric in declared}) == len(declared)
    for scorer, metric in declared:
        assert metric.scorer == scorer.name
        assert metric.key == f"{scorer.name}.{metric.name}"
        assert metric.description.strip() and not metric.description.endswith(".")
        assert metric.kinds and metric.kinds <= scorer.kinds, metric.key


def test_a_metric_is_measured_on_the_case_kinds_that_can_give_it_a_value() -> None:
    kinds = {key: metric.kinds for key, metric in declared_metrics().items()}
    assert kinds["conduct.one_question"] == {"next_turn", "simulated_interview"}
    assert kinds["conduct.no_repeat"] == {"simulated_interview"}
    assert kinds["conduct.declared_constructs"] == {"simulated_interview", "evaluation_calibration"}
    assert kinds["labels.score.qwk"] == {"analysis"}
    assert kinds["cases.pass_rate.next_turn"] == set(CASE_KINDS)


def test_computed_metrics_carry_declared_keys_and_leave_out_undefined_ones() -> None:
    scorers = default_scorers()
    stats = Stats()
    for key, amount in {"n.ownership": 2, "ok.ownership": 1, "cm.ownership.clear.clear": 1}.items():
        stats.add(key, amount)
    stats.add("cm.ownership.clear.unclear")
    tables = {scorer.name: StatsTable([Stats()]) for scorer in scorers}
    tables["labels"] = StatsTable([stats])
    values = compute_metrics(tables, scorers)
    assert values == {"labels.accuracy.ownership": 0.5, "labels.f1.ownership": 1 / 3}


def test_reports_name_only_declared_metrics() -> None:
    assert set(HEADLINE) <= known_metrics()
