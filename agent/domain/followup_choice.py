"""After each analysis the interviewer probes one gap or moves on; this decides which, and says why.

The rule is stated once, here: the labelling guide's follow-up priority (`ranked_gaps`) over
the gaps not yet probed or ruled out for the question, within its follow-up budget. The policy
acts on the choice and keeps it with the reply it followed, so whatever explains the next move
(the practice STAR panel, tests) reads the policy's own reason instead of working it out again.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from agent.domain.star import Gap, StarAnalysis, ranked_gaps

ChoiceReason = Literal["open_gap", "covered", "already_asked", "followups_spent", "declined", "not_assessed"]
"""Why the interviewer did what it did after an analysis.

- `open_gap`: it probes `gap`, the most important gap not yet probed or ruled out.
- `covered`: the story has no gap left; it covers what the question needs.
- `already_asked`: gaps are left, but each was asked about once already (or the candidate could
  not give it), and a gap is never probed twice; `gap` is the most important of them.
- `followups_spent`: gaps are left but the question's follow-ups are used up; `gap` is the
  most important one still open.
- `declined`: the candidate could not recall an example (or the detail asked for): move on.
- `not_assessed`: the answer could not be read, so it is neither probed nor scored.
"""

_NAMES_A_GAP: frozenset[ChoiceReason] = frozenset({"open_gap", "already_asked", "followups_spent"})


class FollowUpChoice(BaseModel):
    """Whether the interviewer follows up on a reply, on which gap, and why."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    why: ChoiceReason
    gap: Gap | None = None

    @model_validator(mode="after")
    def _gap_exactly_when_one_is_named(self) -> FollowUpChoice:
        if (self.gap is not None) != (self.why in _NAMES_A_GAP):
            raise ValueError(f"a '{self.why}' choice {'needs' if self.gap is None else 'has no'} gap")
        return self

    @property
    def probe(self) -> Gap | None:
        """The gap to ask about next, or None when the interview moves on."""
        return self.gap if self.why == "open_gap" else None


def choose_followup(
    analysis: StarAnalysis,
    *,
    ruled_out: Collection[str],
    followups_asked: int,
    max_followups: int,
) -> FollowUpChoice:
    """The next move after `analysis`: probe its top gap not in `ruled_out`, or move on and why.

    `ruled_out` holds the targets already probed for the question and those the candidate
    could not give; `followups_asked` counts the question's follow-ups so far.
    """
    if analysis.declined:
        return FollowUpChoice(why="declined")
    if analysis.not_assessed:
        return FollowUpChoice(why="not_assessed")
    gaps = ranked_gaps(analysis)
    gap = next((g for g in gaps if g.target not in ruled_out), None)
    if gap is None:
        return FollowUpChoice(why="already_asked", gap=gaps[0]) if gaps else FollowUpChoice(why="covered")
    if followups_asked >= max_followups:
        return FollowUpChoice(why="followups_spent", gap=gap)
    return FollowUpChoice(why="open_gap", gap=gap)
