"""What the model must return, as pydantic models sent as the response schema.

Same contract as the offline brain's analysis, with closed vocabularies, `extra="forbid"`, and
every list and string bounded: a small model otherwise repeats list items until it runs out of
tokens. The rationale comes before the score, so the verdict follows the reasoning.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from agent.domain.evaluation import EvidenceClaim
from agent.domain.star import Ownership, RedFlag, SlotStatus, StarSlot

ModelQuote = Annotated[str, Field(min_length=1, max_length=300)]
# An enum, not a range: grammar-constrained servers (llama.cpp) enforce enums but not minimum/maximum.
Level = Literal[1, 2, 3, 4, 5]
ProbeTarget = Literal["specificity", "action", "ownership", "result", "situation", "task"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SlotOut(_Out):
    status: SlotStatus
    evidence: list[ModelQuote] = Field(max_length=2)


class StarOut(_Out):
    situation: SlotOut
    task: SlotOut
    action: SlotOut
    result: SlotOut

    def finding(self, slot: StarSlot) -> SlotOut:
        return {"situation": self.situation, "task": self.task, "action": self.action, "result": self.result}[
            slot
        ]


class FollowUpOut(_Out):
    target: ProbeTarget
    question: str = Field(min_length=5, max_length=200)


class AnalysisOutput(_Out):
    """One candidate turn: the STAR analysis of the story so far, and optional follow-up wording."""

    star: StarOut
    ownership: Ownership
    specific_example: bool
    quantified_result: bool
    reflection: bool
    declined: bool
    red_flags: list[RedFlag] = Field(max_length=4)
    rationale: str = Field(max_length=600)
    score: Level
    followups: list[FollowUpOut] = Field(max_length=2)


class CoverageOut(_Out):
    situation: SlotStatus
    task: SlotStatus
    action: SlotStatus
    result: SlotStatus

    def status(self, slot: StarSlot) -> SlotStatus:
        return {"situation": self.situation, "task": self.task, "action": self.action, "result": self.result}[
            slot
        ]


class ClaimOut(_Out):
    claim: EvidenceClaim
    quote: ModelQuote


class QuestionScoreOutput(_Out):
    """One question scored on its dimension, in a context of its own."""

    coverage: CoverageOut
    evidence: list[ClaimOut] = Field(max_length=6)
    ownership: Ownership
    specific_example: bool
    quantified_result: bool
    red_flags: list[RedFlag] = Field(max_length=4)
    rationale: str = Field(max_length=800)
    score: Level
