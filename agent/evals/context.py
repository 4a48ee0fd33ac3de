"""What running one case needs: the rubric, a brain, the suite's personas and transcripts, scratch space."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from agent.brains.protocol import Brain
from agent.domain.rubric import Rubric
from agent.evals.gold import GoldTranscript
from agent.evals.personas import Persona


@dataclass(frozen=True)
class CaseContext:
    rubric: Rubric
    brain: Brain
    personas: dict[str, Persona]
    transcripts: dict[str, GoldTranscript]
    workdir: Path
