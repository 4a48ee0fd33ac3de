"""What running one case needs: the rubric, a brain, the suite's personas and transcripts, scratch space."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from agent.brains.protocol import Brain
from agent.domain.rubric import Rubric, Topic
from agent.evals.gold import GoldTranscript
from agent.evals.personas import Persona


@dataclass(frozen=True)
class CaseContext:
    rubric: Rubric
    brain: Brain
    personas: dict[str, Persona]
    transcripts: dict[str, GoldTranscript]
    workdir: Path
    topics: dict[str, Topic] = field(default_factory=dict)

    def topic_for_competency(self, competency: str | None) -> Topic:
        """The topic an analysis case is judged against: its competency's, else the suite rubric's."""
        if competency is None:
            return self.rubric.topic
        return self.topics[competency]
