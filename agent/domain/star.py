"""STAR vocabulary: slot statuses, red flags, the per-answer analysis and gap priority."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from agent.domain.usage import Usage

StarSlot = Literal["situation", "task", "action", "result"]
SlotStatus = Literal["present", "partial", "missing"]
# How much of a slot an answer shows, least first.
STATUS_RANK: dict[SlotStatus, int] = {"missing": 0, "partial": 1, "present": 2}
Ownership = Literal["clear", "unclear"]
FollowUpTarget = Literal["situation", "task", "action", "result", "ownership", "specificity", "none"]
RedFlag = Literal[
    "blames_customer",
    "hypothetical",
    "vague_generalities",
    "no_personal_action",
    "prompt_injection",
    "off_topic",
    "too_short",
]

STAR_SLOTS: tuple[StarSlot, ...] = get_args(StarSlot)
RED_FLAGS: tuple[RedFlag, ...] = get_args(RedFlag)
FOLLOWUP_TARGETS: tuple[FollowUpTarget, ...] = get_args(FollowUpTarget)

Quote = Annotated[str, Field(max_length=600)]
Score = Annotated[int, Field(ge=1, le=5)]

# A model's wording of a follow-up is used only when it is one short question (see `usable_wording`).
MAX_FOLLOWUP_CHARS = 200
_MIN_FOLLOWUP_WORDS = 4
_SENTENCE_BREAK = re.compile(r"[.!;:]\s")
_NOT_IN_A_QUESTION = ("<", ">", "{", "}", "`")


class SlotFinding(BaseModel):
    """How well one STAR slot is evidenced, with verbatim quotes from the answer."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    status: SlotStatus
    evidence: list[Quote] = Field(default_factory=list, max_length=3)


class StarFindings(BaseModel):
    """The four STAR slots of one answer."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    situation: SlotFinding
    task: SlotFinding
    action: SlotFinding
    result: SlotFinding

    def finding(self, slot: StarSlot) -> SlotFinding:
        slots = {"situation": self.situation, "task": self.task, "action": self.action, "result": self.result}
        return slots[slot]

    def status(self, slot: StarSlot) -> SlotStatus:
        return self.finding(slot).status

    def items(self) -> Iterator[tuple[StarSlot, SlotFinding]]:
        """Each slot with its finding, in STAR order."""
        for slot in STAR_SLOTS:
            yield slot, self.finding(slot)


class FollowUpWording(BaseModel):
    """A brain's wording of the follow-up for one target, personalised to the candidate's story.

    The policy still chooses the target from the rubric; this only offers words for it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    target: FollowUpTarget
    question: str = Field(max_length=400)


class StarAnalysis(BaseModel):
    """What one candidate answer shows, as produced by a brain.

    `declined` means the candidate said they cannot recall an example or will not answer;
    the interview then moves on instead of probing.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    star: StarFindings
    ownership: Ownership
    specific_example: bool
    quantified_result: bool
    reflection: bool = False
    red_flags: list[RedFlag] = Field(default_factory=list, max_length=len(RED_FLAGS))
    declined: bool = False
    score: Score | None = Field(
        description="The structural score; null only when the answer is not assessed."
    )
    not_assessed: bool = Field(
        default=False,
        exclude_if=lambda value: not value,
        description="True when the brain could not read the answer (its reason is in `notes`).",
    )
    rationale: str = Field(default="", max_length=1200)
    word_count: int = Field(ge=0)
    brain: str = Field(description="Which brain produced this analysis, e.g. 'offline'.")
    notes: list[Annotated[str, Field(max_length=300)]] = Field(default_factory=list, max_length=5)
    # Optional extras from model-backed brains; left out of the JSON when empty, so transcripts
    # written before they existed, and the offline brain's, read and write exactly as before.
    followup_wording: list[FollowUpWording] = Field(
        default_factory=list, max_length=3, exclude_if=lambda value: not value
    )
    usage: Usage | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="Tokens and estimated cost of the model calls behind this analysis.",
    )
    model: str | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="Provenance of the reader that produced it, e.g. 'offline-reader/<weights hash>+<answer model hash>'.",
    )

    @model_validator(mode="after")
    def _scored_unless_not_assessed(self) -> StarAnalysis:
        if (self.score is None) != self.not_assessed:
            raise ValueError("an analysis has a score exactly when it is assessed")
        return self

    def wording_for(self, target: FollowUpTarget) -> str | None:
        """The brain's wording for `target`, when it offered a usable one."""
        for offered in self.followup_wording:
            if offered.target == target:
                return usable_wording(offered.question)
        return None


def usable_wording(question: str) -> str | None:
    """The question with its spacing normalised, or None unless it is exactly one short question."""
    text = " ".join(question.split())
    if not (len(text.split()) >= _MIN_FOLLOWUP_WORDS and len(text) <= MAX_FOLLOWUP_CHARS):
        return None
    if not text.endswith("?") or text.count("?") != 1 or _SENTENCE_BREAK.search(text):
        return None
    if any(mark in text for mark in _NOT_IN_A_QUESTION):
        return None
    return text


class Gap(BaseModel):
    """The most important thing missing from an answer, and why it was chosen."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    target: FollowUpTarget
    reason: str


def ranked_gaps(analysis: StarAnalysis) -> list[Gap]:
    """All gaps in an answer, most important first, by the guide's priority rule (`gaps_in`).

    A declined or unreadable answer has no gaps: the interview moves on.
    """
    if analysis.declined or analysis.not_assessed:
        return []
    return gaps_in(
        {slot: analysis.star.status(slot) for slot in STAR_SLOTS},
        specific_example=analysis.specific_example,
        ownership=analysis.ownership,
        red_flags=analysis.red_flags,
    )


def gaps_in(
    statuses: Mapping[StarSlot, SlotStatus],
    *,
    specific_example: bool,
    ownership: Ownership,
    red_flags: Collection[RedFlag] = (),
) -> list[Gap]:
    """The gaps in an answer's findings, most important first, by the guide's priority rule.

    A real, relevant example comes first; then whose actions they were; then the missing slots
    in the order action, result, situation; then the partial ones; the task last, because people
    rarely state it.
    """
    gaps: list[Gap] = []
    if not specific_example or "off_topic" in red_flags:
        gaps.append(Gap(target="specificity", reason=_specificity_reason(red_flags)))
    if ownership == "unclear" and statuses["action"] != "missing":
        gaps.append(
            Gap(
                target="ownership",
                reason="the candidate's own part is unclear (only 'we', others or the passive)",
            )
        )
    for slot, status in _SLOT_ORDER:
        if statuses[slot] == status:
            reasons = _MISSING_REASON if status == "missing" else _PARTIAL_REASON
            gaps.append(Gap(target=slot, reason=reasons[slot]))
    return gaps


_SLOT_ORDER: tuple[tuple[StarSlot, SlotStatus], ...] = (
    ("action", "missing"),
    ("result", "missing"),
    ("situation", "missing"),
    ("action", "partial"),
    ("result", "partial"),
    ("situation", "partial"),
    ("task", "missing"),
    ("task", "partial"),
)


def primary_gap(analysis: StarAnalysis) -> Gap:
    """The single gap to probe next, or target `none` when nothing important is missing."""
    gaps = ranked_gaps(analysis)
    if gaps:
        return gaps[0]
    if analysis.declined:
        return Gap(target="none", reason="the candidate could not recall an example")
    if analysis.not_assessed:
        return Gap(target="none", reason="the answer could not be read, so it is not probed")
    return Gap(target="none", reason="the answer covers situation, task, action and result")


def _specificity_reason(red_flags: Collection[RedFlag]) -> str:
    if "off_topic" in red_flags:
        return "the example does not show the competency this question is about"
    if "hypothetical" in red_flags:
        return "the answer says what the candidate would do, not what they did"
    if "vague_generalities" in red_flags:
        return "the answer speaks in general terms, not about one real occasion"
    return "no specific past example was given"


_MISSING_REASON: dict[str, str] = {
    "action": "no steps the candidate took were described",
    "situation": "the context of the example was not described",
    "task": "the candidate's goal or responsibility was not stated",
    "result": "the answer does not say how it ended",
}
_PARTIAL_REASON: dict[str, str] = {
    "action": "the steps taken were described only vaguely",
    "result": "the outcome was described only vaguely",
    "situation": "the context was described only vaguely",
    "task": "the goal or responsibility was only implied",
}
