"""The scorers every run applies, in report order."""

from __future__ import annotations

from agent.evals.gold import GoldTranscript
from agent.evals.metrics import REPEAT_AGREEMENT
from agent.evals.scorers.calibration import CalibrationScorer
from agent.evals.scorers.conduct import ConductScorer
from agent.evals.scorers.followup import FollowUpScorer
from agent.evals.scorers.grounding import GroundingScorer
from agent.evals.scorers.invariance import InvarianceScorer
from agent.evals.scorers.labels import LabelScorer
from agent.evals.scorers.outcome import CaseOutcomeScorer
from agent.evals.scorers.persona import PersonaScorer
from agent.evals.scoring import Metric, Scorer


def default_scorers(transcripts: dict[str, GoldTranscript] | None = None) -> list[Scorer]:
    return [
        LabelScorer(),
        FollowUpScorer(),
        CalibrationScorer(transcripts or {}),
        GroundingScorer(),
        InvarianceScorer(),
        ConductScorer(),
        PersonaScorer(),
        CaseOutcomeScorer(),
    ]


def declared_metrics() -> dict[str, Metric]:
    """Every metric the scorers declare, by key, in report order."""
    return {metric.key: metric for scorer in default_scorers() for metric in scorer.metrics}


def known_metrics() -> set[str]:
    """Every metric key a run can report: the scorers' and the runner's own."""
    return {*declared_metrics(), REPEAT_AGREEMENT}
