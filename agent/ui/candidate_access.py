"""Whether an invitation may start an interview in candidate mode, and what to say when it may not.

The server claims an invitation before it starts the app, so here the invitation must exist, be
claimed ("used") and not have produced an interview yet. Anything else starts nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from agent.invitations import Invitation, InvitationStore

Refusal = Literal["unknown", "unclaimed", "expired", "revoked", "interviewed", "unreadable"]

REFUSALS: dict[Refusal, tuple[str, str]] = {
    "unknown": (
        "This invitation is not valid",
        "Check that you opened the full link from your invitation.",
    ),
    "unclaimed": (
        "This interview was not opened from its invitation link",
        "Open the interview from the personal link in your invitation.",
    ),
    "expired": ("This invitation has expired", "Ask the recruiter who invited you for a new link."),
    "revoked": (
        "This invitation was withdrawn",
        "Ask the recruiter who invited you if you think this is a mistake.",
    ),
    "interviewed": (
        "This invitation has already been used",
        "Each invitation link works once. If your interview was interrupted, "
        "ask the recruiter for a new link.",
    ),
    "unreadable": (
        "This invitation could not be read",
        "Please tell the recruiter who invited you; they can send you a new link.",
    ),
}


@dataclass(frozen=True)
class Access:
    """The invitation to interview for, or the reason there is none."""

    invitation: Invitation | None
    refusal: Refusal | None = None


def check_invitation(store: InvitationStore, invitation_id: str, now: datetime) -> Access:
    invitation = store.get(invitation_id)
    if invitation is None:
        return Access(None, "unknown")
    state = store.state(invitation, now)
    if state == "pending":
        return Access(None, "unclaimed")
    if state != "used":
        return Access(None, state)
    if store.interview_for(invitation) is not None:
        return Access(None, "interviewed")
    return Access(invitation)
