"""Transcript records: one JSON object per line, append-only, with a schema version.

A transcript is a header followed by records. Replaying its candidate turns, analyses and
control records through `policy.step` rebuilds the interview state exactly, which is how an
interrupted interview resumes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from agent.domain.evaluation import Evaluation
from agent.domain.policy import AskKind, InterviewConfig, Mode
from agent.domain.star import FollowUpTarget, StarAnalysis
from agent.domain.usage import Usage

SCHEMA_VERSION = 1
Role = Literal["interviewer", "candidate"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    seq: int = Field(ge=0)
    at: datetime


class Header(_Record):
    """What an interview is: rubric, mode, plan and provenance. Always the first line."""

    type: Literal["header"] = "header"
    schema_version: int = SCHEMA_VERSION
    interview_id: str
    rubric_id: str
    rubric_version: str
    rubric_hash: str
    mode: Mode
    config: InterviewConfig
    plan: list[str]
    brain: str
    starling_version: str
    candidate: str | None = None
    invitation: str | None = None


class Turn(_Record):
    """One message shown in the conversation."""

    type: Literal["turn"] = "turn"
    role: Role
    text: str
    ask: AskKind | None = None
    question_id: str | None = None
    target: FollowUpTarget | None = None
    reason: str | None = None
    question_number: int | None = None
    followup_number: int | None = None


class AnalysisRecord(_Record):
    """The analysis of a question's story after a candidate turn."""

    type: Literal["analysis"] = "analysis"
    question_id: str
    analysis: StarAnalysis


class ControlRecord(_Record):
    """A candidate's decision to skip a question or end the interview early."""

    type: Literal["control"] = "control"
    control: Literal["skip", "end"]


class EvaluationRecord(_Record):
    type: Literal["evaluation"] = "evaluation"
    evaluation: Evaluation
    # Tokens and cost of the model calls behind the evaluation, when a model-backed brain made it.
    usage: Usage | None = Field(default=None, exclude_if=lambda value: value is None)


Record = Annotated[
    Header | Turn | AnalysisRecord | ControlRecord | EvaluationRecord, Field(discriminator="type")
]
BodyRecord = Turn | AnalysisRecord | ControlRecord | EvaluationRecord


class Transcript(BaseModel):
    """A whole interview as stored: its header and every record after it, in order."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    header: Header
    records: list[BodyRecord] = Field(default_factory=list)

    @property
    def interview_id(self) -> str:
        return self.header.interview_id

    @property
    def turns(self) -> list[Turn]:
        return [r for r in self.records if isinstance(r, Turn)]

    @property
    def candidate_text(self) -> list[str]:
        return [t.text for t in self.turns if t.role == "candidate"]

    @property
    def evaluation(self) -> Evaluation | None:
        found = [r.evaluation for r in self.records if isinstance(r, EvaluationRecord)]
        return found[-1] if found else None

    @property
    def finished(self) -> bool:
        return any(isinstance(r, Turn) and r.ask == "closing" for r in self.records)

    @property
    def usage(self) -> Usage | None:
        """Total tokens and estimated cost of every model call recorded, or None when none was."""
        found = [r.analysis.usage for r in self.records if isinstance(r, AnalysisRecord)]
        found += [r.usage for r in self.records if isinstance(r, EvaluationRecord)]
        known = [usage for usage in found if usage is not None]
        return sum(known[1:], known[0]) if known else None

    @property
    def next_seq(self) -> int:
        return (self.records[-1].seq if self.records else self.header.seq) + 1
