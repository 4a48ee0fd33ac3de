"""The embedded offline brain: deterministic, instant, and needs no network or key."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from agent.brains.offline.analyzer import BRAIN, analyze_answer

if TYPE_CHECKING:
    from agent.brains.protocol import InterviewFacts
    from agent.domain.evaluation import Evaluation
    from agent.domain.policy import InterviewState
    from agent.domain.rubric import Topic
    from agent.domain.star import StarAnalysis


class OfflineBrain:
    """Analyser and evaluator in one, with no state of its own."""

    name = BRAIN

    def analyze(
        self, question: str, replies: Sequence[str], probes: Sequence[str] = (), topic: Topic | None = None
    ) -> StarAnalysis:
        return analyze_answer(question, replies, topic)

    def evaluate(self, state: InterviewState, facts: InterviewFacts) -> Evaluation:
        # Loaded when an interview ends, so that analysing one answer does not load the evaluator.
        from agent.brains.offline.evaluator import evaluate_interview

        return evaluate_interview(state, facts, brain=self.name)


__all__ = ["OfflineBrain", "analyze_answer"]
