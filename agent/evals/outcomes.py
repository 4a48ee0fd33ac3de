"""What the agent did on one case, before any scoring: the raw material every scorer reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.domain.evaluation import Evaluation
from agent.domain.star import FollowUpTarget, StarAnalysis
from agent.domain.transcript import Transcript
from agent.evals.cases import NextMove, Perturbation


@dataclass(frozen=True)
class AnalysisOutcome:
    """The analysis of the answer, and of each perturbed copy of it."""

    answer: str
    analysis: StarAnalysis
    variants: dict[Perturbation, StarAnalysis] = field(default_factory=dict)


@dataclass(frozen=True)
class NextTurnOutcome:
    """The interviewer's move after the prefix, and the analyses that led to it."""

    move: NextMove
    target: FollowUpTarget | None
    text: str
    replies: tuple[str, ...]
    analyses: tuple[StarAnalysis, ...]


@dataclass(frozen=True)
class InterviewOutcome:
    """A whole simulated interview as stored, with its evaluation."""

    transcript: Transcript
    max_followups: int

    @property
    def evaluation(self) -> Evaluation | None:
        return self.transcript.evaluation


@dataclass(frozen=True)
class CalibrationOutcome:
    """The brain's evaluation of a gold transcript's conversation."""

    evaluation: Evaluation
    analyses: tuple[StarAnalysis, ...]
    candidate_turns: tuple[str, ...]


Outcome = AnalysisOutcome | NextTurnOutcome | InterviewOutcome | CalibrationOutcome
