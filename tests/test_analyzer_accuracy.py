"""A regression gate on the offline analyser's agreement with the team's labelled answers.

The floors sit a few points under the measured figures in the README, so a change that makes the
analyser read answers worse fails here, while small shifts do not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.brains.offline import analyze_answer
from agent.evals.labels import LabelReport, load_labelled, measure

DATASETS = Path(__file__).resolve().parent.parent / "evals" / "datasets"

FLOORS = {
    "situation": 0.75,
    "task": 0.62,
    "action": 0.76,
    "result": 0.66,
    "ownership": 0.88,
    "specific_example": 0.85,
    "quantified_result": 0.82,
    "declined": 0.95,
    "followup_target": 0.60,
    "score (within 1)": 0.78,
}


@pytest.fixture(scope="module")
def report() -> LabelReport:
    items = load_labelled(sorted(DATASETS.glob("answers*.jsonl")))
    assert len(items) >= 200
    return measure(lambda question, answer: analyze_answer(question, [answer]), items)


@pytest.mark.parametrize("label", sorted(FLOORS))
def test_label_accuracy_stays_above_its_floor(report: LabelReport, label: str) -> None:
    accuracy = report.labels[label].accuracy
    assert accuracy >= FLOORS[label], f"{label}: {accuracy:.2%} < {FLOORS[label]:.0%}"


def test_every_label_kind_is_represented(report: LabelReport) -> None:
    for flag, tally in report.flags.items():
        assert tally.support >= 3, flag
    assert report.flags["prompt_injection"].f1 >= 0.9
