"""The four case kinds an eval suite is made of, and what each expects of the interviewer."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from agent.domain.evaluation import Recommendation
from agent.domain.policy import Mode
from agent.domain.star import FollowUpTarget, Ownership, RedFlag, SlotStatus, StarSlot
from agent.evals.defaults import CaseKind
from agent.evals.errors import LocatedError

Perturbation = Literal["injection", "names", "filler"]
NextMove = Literal["probe", "move_on", "close"]

CaseId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")]
Tag = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
Score = Annotated[int, Field(ge=1, le=5)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AnalysisExpect(_Strict):
    """Expected labels of one answer; only the labels given are checked."""

    star: dict[StarSlot, SlotStatus] = Field(default_factory=dict)
    ownership: Ownership | None = None
    specific_example: bool | None = None
    quantified_result: bool | None = None
    reflection: bool | None = None
    declined: bool | None = None
    not_assessed: bool | None = Field(default=None, description="True when the answer must not be scored.")
    red_flags: list[RedFlag] | None = None
    followup_target: FollowUpTarget | None = None
    score: Score | None = Field(default=None, description="The gold score; the check passes within one.")
    score_band: tuple[Score, Score] | None = Field(default=None, description="Inclusive [low, high].")

    @model_validator(mode="after")
    def _band_in_order(self) -> AnalysisExpect:
        if self.score_band is not None and self.score_band[0] > self.score_band[1]:
            raise LocatedError(("score_band",), "the low end of the band is above the high end")
        return self


class AnalysisCase(_Strict):
    """A question and an answer with the labels a careful interviewer gives it."""

    id: CaseId
    question: Text
    answer: Text
    # Replies to follow-ups, after `answer`: the story as an interview hears it.
    replies: list[Text] = Field(default_factory=list, max_length=8)
    expect: AnalysisExpect
    invariance: list[Perturbation] = Field(default_factory=list)
    critical: bool = False
    tags: list[Tag] = Field(default_factory=list)
    note: str = ""
    # The competency whose topic relevance is judged against; None for the suite's rubric.
    competency: str | None = None


class PrefixTurn(_Strict):
    """One turn of a conversation prefix: a candidate reply, or the follow-up target that was probed."""

    candidate: Text | None = None
    probe: FollowUpTarget | None = None

    @model_validator(mode="after")
    def _one_of(self) -> PrefixTurn:
        if (self.candidate is None) == (self.probe is None):
            raise ValueError("give exactly one of 'candidate' (a reply) or 'probe' (a follow-up target)")
        if self.probe == "none":
            raise LocatedError(("probe",), "'none' is not something an interviewer probes")
        return self


class NextTurnExpect(_Strict):
    """What the interviewer must do after the last reply of the prefix."""

    action: NextMove
    target: FollowUpTarget | None = None
    also_accept: list[FollowUpTarget] = Field(default_factory=list, max_length=6)

    @model_validator(mode="after")
    def _target_with_probe(self) -> NextTurnExpect:
        if self.action == "probe" and self.target in (None, "none"):
            raise LocatedError(("target",), "a probe needs the target it must probe")
        if self.action != "probe" and (self.target is not None or self.also_accept):
            raise LocatedError(("target",), f"'{self.action}' takes no target")
        return self


class NextTurnCase(_Strict):
    """A conversation prefix on one rubric question, and the interviewer's required next move."""

    id: CaseId
    question: str = Field(description="Rubric question id.")
    turns: list[PrefixTurn] = Field(min_length=1, max_length=9)
    remaining: int = Field(default=1, ge=0, le=11, description="Questions still to come after this one.")
    max_followups: int = Field(default=2, ge=0, le=4)
    expect: NextTurnExpect
    critical: bool = False
    tags: list[Tag] = Field(default_factory=list)
    note: str = ""

    @model_validator(mode="after")
    def _alternates(self) -> NextTurnCase:
        for index, turn in enumerate(self.turns):
            wants_candidate = index % 2 == 0
            if wants_candidate and turn.candidate is None:
                raise LocatedError(("turns", index), "turns alternate: a candidate reply comes here")
            if not wants_candidate and turn.probe is None:
                raise LocatedError(("turns", index), "turns alternate: a probe target comes here")
        if self.turns[-1].candidate is None:
            raise LocatedError(("turns", len(self.turns) - 1), "the prefix must end with a candidate reply")
        return self

    @property
    def replies(self) -> list[str]:
        return [turn.candidate for turn in self.turns if turn.candidate is not None]

    @property
    def probes(self) -> list[FollowUpTarget]:
        return [turn.probe for turn in self.turns if turn.probe is not None]


class InterviewExpect(_Strict):
    """What must be true of a whole interview with a persona; only the fields given are checked."""

    finished: bool | None = True
    probes_include: list[FollowUpTarget] = Field(default_factory=list)
    probes_exclude: list[FollowUpTarget] = Field(default_factory=list)
    first_probe: list[FollowUpTarget] = Field(
        default_factory=list, description="Every question that is probed is probed first for one of these."
    )
    min_followups: int | None = Field(default=None, ge=0)
    max_followups: int | None = Field(default=None, ge=0)
    flags_include: list[RedFlag] = Field(default_factory=list)
    flags_exclude: list[RedFlag] = Field(default_factory=list)
    score_min: Score | None = None
    score_max: Score | None = None
    assessed_min: int | None = Field(default=None, ge=0)
    assessed_max: int | None = Field(default=None, ge=0)
    recommendation: list[Recommendation] = Field(default_factory=list)
    ownership: Ownership | None = None
    coverage: dict[StarSlot, list[SlotStatus]] = Field(default_factory=dict)

    def merged(self, override: InterviewExpect | None) -> InterviewExpect:
        if override is None:
            return self
        given = override.model_dump(exclude_unset=True)
        return self.model_copy(update=given)


class SimulatedCase(_Strict):
    """One interview driven end to end by a scripted persona."""

    id: CaseId
    persona: str
    seed: int
    questions: int = Field(default=3, ge=1, le=12)
    plan: list[str] | None = None
    max_followups: int = Field(default=2, ge=0, le=4)
    mode: Mode = "practice"
    expect: InterviewExpect
    critical: bool = False
    tags: list[Tag] = Field(default_factory=list)
    # The rubric or kit interviewed on, when not the suite's own.
    rubric: str | None = None


class CalibrationCase(_Strict):
    """A whole gold-scored transcript, re-analysed and evaluated by the brain under test."""

    id: CaseId
    transcript: str = Field(description="Gold transcript id.")
    critical: bool = False
    tags: list[Tag] = Field(default_factory=list)


Case = AnalysisCase | NextTurnCase | SimulatedCase | CalibrationCase


def kind_of(case: Case) -> CaseKind:
    if isinstance(case, AnalysisCase):
        return "analysis"
    if isinstance(case, NextTurnCase):
        return "next_turn"
    if isinstance(case, SimulatedCase):
        return "simulated_interview"
    return "evaluation_calibration"
