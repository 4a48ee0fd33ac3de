"""The one structural score: the labelling guide's 1-5 anchors as a function of an answer's labels.

Every brain and every dataset uses this function, so a score always means the same thing: it is
derived from what the answer shows (slot statuses, ownership, specificity, flags), never guessed.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from agent.domain.star import Ownership, RedFlag, SlotStatus, StarSlot


class AnswerLabels(BaseModel):
    """The labels of one answer that the score is derived from (see docs/labelling.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    star: dict[StarSlot, SlotStatus]
    ownership: Ownership
    specific_example: bool
    quantified_result: bool
    reflection: bool
    red_flags: tuple[RedFlag, ...] = ()
    declined: bool = False


def structural_score(labels: AnswerLabels) -> tuple[int, list[str]]:
    """The 1-5 score the guide's anchors give these labels, with the reasons that set it."""
    star = labels.star
    flags = set(labels.red_flags)
    if labels.declined:
        return 1, ["the candidate could not give an example"]
    if "off_topic" in flags:
        return 1, ["the answer does not address the question's competency"]
    if all(status == "missing" for status in star.values()) and not flags & {
        "hypothetical",
        "vague_generalities",
    }:
        return 1, ["the answer gives no example and no content to assess"]
    score, reasons = _story_score(labels)
    if "blames_customer" in flags:
        floor = 2 if labels.specific_example else 1
        score = max(floor, score - 1)
        reasons.append("the other person is blamed dismissively")
    return score, reasons


def _story_score(labels: AnswerLabels) -> tuple[int, list[str]]:
    star = labels.star
    situation, action, result = star["situation"], star["action"], star["result"]
    if not labels.specific_example:
        return 2, ["no specific past example"]
    if action == "missing":
        return 2, ["no steps the candidate took"]
    if sum(status == "missing" for status in (situation, action, result)) >= 2:
        return 2, ["most of the story is missing"]
    if result == "missing" and action == "partial":
        return 2, ["no outcome and only a thin action"]
    gaps = [
        reason
        for present, reason in (
            (situation != "missing", "no situation"),
            (result != "missing", "no outcome"),
            (result != "partial", "a vague outcome"),
            (action != "partial", "thin or vague actions"),
            (labels.ownership == "clear", "the candidate's own part is unclear"),
        )
        if not present
    ]
    if gaps:
        return 3, gaps
    complete = all(status == "present" for status in star.values())
    if complete and labels.quantified_result and labels.reflection:
        return 5, []
    minor = [
        reason
        for present, reason in (
            (star["task"] == "present", "the goal is implicit"),
            (situation == "present", "a thin situation"),
            (labels.quantified_result, "no measured result"),
            (labels.reflection, "no reflection"),
        )
        if not present
    ]
    return 4, minor
