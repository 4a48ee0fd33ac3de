"""Gold-scored transcripts: whole interviews with a careful human's score for every question."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from agent.domain.policy import Mode
from agent.domain.rubric import Rubric
from agent.evals.cases import PrefixTurn, Score, Tag
from agent.evals.errors import LocatedError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoldQuestion(_Strict):
    """One question of the interview: the exchange, and the gold score with the reason for it.

    `gold` is null when the answers give nothing to assess (skipped, or no example recalled).
    """

    question: str = Field(description="Rubric question id.")
    turns: list[PrefixTurn] = Field(default_factory=list, max_length=9)
    skipped: bool = False
    gold: Score | None
    why: str = Field(min_length=1, max_length=2000)

    @model_validator(mode="after")
    def _consistent(self) -> GoldQuestion:
        if self.skipped:
            if self.turns:
                raise LocatedError(("turns",), "a skipped question has no turns")
            if self.gold is not None:
                raise LocatedError(("gold",), "a skipped question has no gold score (use null)")
            return self
        if not self.turns:
            raise LocatedError(("turns",), "give the candidate's replies, or mark the question skipped")
        for index, turn in enumerate(self.turns):
            if (index % 2 == 0) != (turn.candidate is not None):
                raise LocatedError(
                    ("turns", index), "turns alternate: candidate reply, probe, candidate reply"
                )
        if self.turns[-1].candidate is None:
            raise LocatedError(("turns",), "the exchange must end with a candidate reply")
        return self


class GoldTranscript(_Strict):
    """A whole interview with gold per-question scores, for evaluation calibration."""

    schema_version: Literal[1] = 1
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=64)]
    rubric: str = "customer-focus"
    candidate: str = Field(min_length=1, max_length=80)
    mode: Mode = "assessment"
    max_followups: int = Field(default=2, ge=0, le=4)
    note: str = ""
    tags: list[Tag] = Field(default_factory=list)
    questions: list[GoldQuestion] = Field(min_length=1, max_length=12)

    def unknown_questions(self, rubric: Rubric) -> list[tuple[int, str]]:
        known = {question.id for question in rubric.questions}
        return [(i, q.question) for i, q in enumerate(self.questions) if q.question not in known]
