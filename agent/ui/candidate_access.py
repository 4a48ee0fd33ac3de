"""Whether an invitation may open an interview in candidate mode, and what to say when it may not.

`starling serve` starts the candidate app for a link that is pending (consent comes first) or in
progress (the candidate left and came back within the rejoin window: their interview resumes from
its transcript). Anything else starts nothing; the same words explain it in the browser. The app
checks again what its interview folder can tell: that it is not finished, nor expired unclaimed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from agent.interviews import InterviewFolder, InvitationDetails
    from agent.invitations import InvitationState

Refusal = Literal["unknown", "expired", "revoked", "lapsed", "finished", "busy", "unreadable", "missing"]

REFUSALS: dict[Refusal, tuple[str, str]] = {
    "unknown": (
        "This invitation is not valid",
        "Check that you opened the full link from your invitation.",
    ),
    "expired": ("This invitation has expired", "Ask the recruiter who invited you for a new link."),
    "revoked": (
        "This invitation was withdrawn",
        "Ask the recruiter who invited you if you think this is a mistake.",
    ),
    "lapsed": (
        "This invitation has already been used",
        "The interview was left unfinished for too long to carry on. Your answers so far are saved; "
        "ask the recruiter for a new link if you want to continue.",
    ),
    "finished": (
        "This interview is finished",
        "Your answers are saved and a person on the hiring team will review them. "
        "There is nothing else you need to do.",
    ),
    "busy": (
        "This interview is open in another window",
        "Carry on in the window where it is open. If you closed it or lost your connection, "
        "wait a few seconds and reload this page.",
    ),
    "unreadable": (
        "This invitation could not be read",
        "Please tell the recruiter who invited you; they can send you a new link.",
    ),
    "missing": (
        "You need an invitation link",
        "Starling interviews start from the personal link in your invitation.",
    ),
}


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


def refusal_for(state: InvitationState) -> Refusal:
    """Why a link in this state opens nothing now; an open one is taken by another window."""
    closed: dict[InvitationState, Refusal] = {
        "lapsed": "lapsed",
        "finished": "finished",
        "expired": "expired",
        "revoked": "revoked",
    }
    return closed.get(state, "busy")


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
