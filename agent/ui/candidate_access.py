"""Whether an invitation may open an interview in candidate mode, and what to say when it may not.

`starling serve` starts the candidate app for a link that is pending (consent comes first) or in
progress (the candidate left and came back within the rejoin window: their interview resumes from
its transcript). Anything else starts nothing; the words that explain it, in the browser and in
the app alike, are `agent.refusals`. The app checks again what its interview folder can tell:
that it is not finished, nor expired unclaimed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from agent.refusals import Refusal, refusal_for

if TYPE_CHECKING:
    from agent.interviews import InterviewFolder, InvitationDetails


def rejoin_text(minutes: float) -> str:
    """The rejoin window in words: "30 minutes", "1 hour"."""
    if minutes >= 60 and minutes % 60 == 0:
        hours = int(minutes // 60)
        return "1 hour" if hours == 1 else f"{hours} hours"
    whole = round(minutes)
    return "1 minute" if whole == 1 else f"{whole} minutes"


@dataclass(frozen=True)
class Access:
    """The invitation to interview for (and the interview to carry on, if any), or why there is none."""

    invitation: InvitationDetails | None
    refusal: Refusal | None = None
    resume_id: str | None = None


def check_interview(interview: InterviewFolder, now: datetime) -> Access:
    invitation = interview.details()
    if invitation is None:
        return Access(None, "unknown")
    state = interview.state(invitation, now)
    if state == "pending":
        return Access(invitation)
    if state == "in_progress":
        # Accepted before: carry on with the interview it produced, or give consent again if the
        # interview never got going.
        return Access(invitation, resume_id=interview.interview_id())
    return Access(None, refusal_for(state))
