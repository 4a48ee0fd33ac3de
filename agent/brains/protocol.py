"""The seams every brain implements: analysing an answer and evaluating a finished interview."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:  # only named in signatures, so analysing an answer loads no interview model
    from agent.domain.evaluation import Evaluation
    from agent.domain.policy import InterviewState
    from agent.domain.rubric import Topic
    from agent.domain.star import StarAnalysis


class InterviewFacts(BaseModel):
    """What an evaluator needs besides the state: identity and timing of the interview."""

    model_config = ConfigDict(frozen=True)

    interview_id: str
    started_at: datetime
    evaluated_at: datetime
    starling_version: str


class Analyzer(Protocol):
    name: str

    def analyze(
        self, question: str, replies: Sequence[str], probes: Sequence[str] = (), topic: Topic | None = None
    ) -> StarAnalysis:
        """Analyse a candidate's story for one question: every reply so far, oldest first.

        `probes` are the follow-ups asked so far, in order (reply n+1 answers probe n); `topic`
        is the rubric's declaration of its competency, against which relevance is judged.
        """
        ...


class Evaluator(Protocol):
    name: str

    def evaluate(self, state: InterviewState, facts: InterviewFacts) -> Evaluation:
        """The structured evaluation of a finished (or ended) interview.

        Its `usage` is what the model calls behind it cost: None when no model was called.
        """
        ...


class Brain(Analyzer, Evaluator, Protocol):
    """An analyser and an evaluator in one, as both brains are."""
