"""Coaching: each question's tips, and the practice summary of what went well and what to work on.

A question's tips come from its findings by the guide's priority rule, the same for every brain.
Practice never gets a hiring recommendation. The summary is derived from the evaluation's
per-question scores and coaching tips, so every front end (app, Markdown, HTML, terminal) says
the same thing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from agent.domain.coverage import Coverage, answers, coverage
from agent.domain.evaluation import MAX_COACHING_TIPS, Evaluation
from agent.domain.star import Ownership, RedFlag, SlotStatus, StarSlot, gaps_in

MAX_TIPS = 3

COACHING: dict[str, str] = {
    "specificity": "Pick one real occasion and tell it: when it was, who was involved, what happened.",
    "action": "Walk through the steps you took yourself, in order, with enough detail to picture them.",
    "ownership": "Say 'I' for what you did personally; keep 'we' for what the team did.",
    "result": "Say how it ended: what changed and for whom, ideally with a measure (time, money, a rating, a count).",
    "situation": "Set the scene in a sentence or two: where you were, who was involved, what had happened.",
    "task": "Say what you had to achieve or were responsible for before describing what you did.",
    "reflection": "Close with what you learned or now do differently because of it.",
}


def coaching_for(
    statuses: Mapping[StarSlot, SlotStatus],
    *,
    specific_example: bool,
    ownership: Ownership,
    red_flags: Collection[RedFlag] = (),
    reflection: bool | None = None,
    declined: bool = False,
) -> list[str]:
    """A question's coaching from its findings, most important first.

    The tips follow the gaps in the guide's follow-up priority (`gaps_in`): a real, relevant
    example, then the candidate's own part, then the missing slots (action, result, situation),
    the partial ones, the task last. A declined answer has no gaps to coach. Reflection comes
    after them all, when the brain judged it absent (None: not judged, no tip).
    """
    gaps = (
        []
        if declined
        else gaps_in(statuses, specific_example=specific_example, ownership=ownership, red_flags=red_flags)
    )
    tips = [COACHING[gap.target] for gap in gaps]
    if reflection is False:
        tips.append(COACHING["reflection"])
    return tips[:MAX_COACHING_TIPS]


# Under every practice summary: the score is for the person practising, not a decision.
PRACTICE_NOTE = "Scores are for your practice only: nobody is deciding anything."


@dataclass(frozen=True)
class CoachingSummary:
    coverage: Coverage
    average: float | None
    went_well: list[str] = field(default_factory=list)
    work_on: list[str] = field(default_factory=list)
    not_scored: list[str] = field(default_factory=list)

    @property
    def sections(self) -> list[tuple[str, list[str]]]:
        """The summary's lists with their titles, in the order every front end shows them."""
        return [
            ("What went well", self.went_well),
            ("What to work on next", self.work_on),
            ("Not scored", self.not_scored),
        ]

    @property
    def score_line(self) -> str:
        """'Average score: 3.5/5 over 3 of 4 questions scored', or why there is none."""
        if self.average is None:
            return "No question was scored, so there is no average score."
        return f"Average score: {self.average:.1f}/5, {self.coverage.text}"


def coaching_summary(evaluation: Evaluation) -> CoachingSummary:
    scored = [q for q in evaluation.questions if q.score is not None]
    total = len(scored)
    covered = coverage(evaluation)
    not_scored = [f"'{_short(q.question)}': {q.rationale}" for q in evaluation.questions if q.score is None]
    if not scored:
        return CoachingSummary(covered, None, not_scored=not_scored)
    went_well: list[str] = []
    specific = sum(1 for q in scored if q.specific_example)
    owned = sum(1 for q in scored if q.ownership == "clear")
    outcomes = sum(1 for q in scored if q.coverage.get("result") == "present")
    measured = sum(1 for q in scored if q.quantified_result)
    if specific == total:
        went_well.append(f"You told a real, specific example in {answers(total, total)}.")
    if owned:
        went_well.append(f"You made your own part clear in {answers(owned, total)}.")
    if outcomes == total:
        went_well.append("You said how the story ended." if total == 1 else "You said how every story ended.")
    if measured:
        went_well.append(f"You backed the result with a measure in {answers(measured, total)}.")
    ranked = sorted(scored, key=lambda q: q.score or 0, reverse=True)
    best = ranked[0]
    if total > 1 and (best.score or 0) >= 4 and best.score != ranked[1].score:
        went_well.append(f"Your strongest answer: '{_short(best.question)}' ({best.score}/5).")
    tips = Counter(tip for q in scored for tip in dict.fromkeys(q.coaching))
    work_on = [f"{tip} ({answers(count, total)} could use this)" for tip, count in tips.most_common(MAX_TIPS)]
    if not covered.complete:
        work_on.append(
            f"Answer every question next time: {covered.scored} of {covered.total} were scored, "
            "so this is a partial picture."
        )
    return CoachingSummary(covered, evaluation.overall_score, went_well, work_on, not_scored)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
