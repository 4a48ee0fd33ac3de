"""The scorers every run applies, in report order."""

from __future__ import annotations

from agent.evals.gold import GoldTranscript
from agent.evals.scorers.calibration import CalibrationScorer
from agent.evals.scorers.conduct import ConductScorer
from agent.evals.scorers.followup import FollowUpScorer
from agent.evals.scorers.grounding import GroundingScorer
from agent.evals.scorers.invariance import InvarianceScorer
from agent.evals.scorers.labels import LabelScorer
from agent.evals.scorers.outcome import CaseOutcomeScorer
from agent.evals.scorers.persona import PersonaScorer
from agent.evals.scoring import Scorer


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


def known_metrics() -> set[str]:
    """Every metric name a run can report, `scorer.metric`, plus the runner's own."""
    names = {f"{s.name}.{m}" for s in default_scorers() for m in s.metric_names()}
    return names | {"repeat.agreement"}
