"""A brain whose analyses are written in advance: for tests, demos and reproducible screenshots.

Each analysis is keyed by a candidate reply; the latest reply picks it. Evaluation goes through
the offline evaluator, which reads only the analyses, so nothing here depends on how the reader
judges text: retraining the reader never changes what a scripted interview shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from agent.brains.offline.evaluator import evaluate_interview
from agent.brains.protocol import InterviewFacts
from agent.domain.evaluation import Evaluation
from agent.domain.policy import InterviewState
from agent.domain.rubric import Topic
from agent.domain.star import StarAnalysis


class ScriptedBrain:
    """Analyses looked up by the latest reply (spacing ignored), else `default`."""

    def __init__(
        self, analyses: Mapping[str, StarAnalysis], default: StarAnalysis, *, name: str = "scripted"
    ) -> None:
        self.name = name
        self._analyses = {" ".join(reply.split()): analysis for reply, analysis in analyses.items()}
        self._default = default
        self.calls: list[tuple[str, tuple[str, ...]]] = []

    def analyze(
        self, question: str, replies: Sequence[str], probes: Sequence[str] = (), topic: Topic | None = None
    ) -> StarAnalysis:
        self.calls.append((question, tuple(replies)))
        latest = " ".join(replies[-1].split()) if replies else ""
        found = self._analyses.get(latest, self._default)
        return found.model_copy(update={"brain": self.name})

    def evaluate(self, state: InterviewState, facts: InterviewFacts) -> Evaluation:
        return evaluate_interview(state, facts, brain=self.name)
