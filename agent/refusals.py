"""What a candidate is told when their link opens no interview: one wording for every surface.

The invitation page, its connection and the candidate app all say these words, so a candidate
reads the same reason and the same next step wherever they meet it. Plain words, no codes: each
says what happened and what to do next. Standard library only, so the web server can use it
without the Textual app and the app without the web server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from agent.invitations import InvitationState

Refusal = Literal[
    "unknown", "expired", "revoked", "lapsed", "finished", "busy", "unreadable", "missing", "elsewhere"
]

# Each refusal's title and what to do next.
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
    # The interview's connection was asked for by a page that is not the invitation's own.
    "elsewhere": (
        "This interview cannot be opened from here",
        "Open the full link from your invitation in your browser.",
    ),
}

# What the invitation page says when its connection closes or is refused. The page cannot tell
# why (another window has the interview, or the connection dropped), so it names both.
NOT_CONNECTED = (
    "Your interview is not connected in this window.",
    "It may be open in another window: carry on there. If the connection dropped and you had "
    "not finished, reconnect: everything you sent is saved.",
)


def refusal_for(state: InvitationState) -> Refusal:
    """Why a link in this state opens nothing now; an open one is taken by another window."""
    closed: dict[InvitationState, Refusal] = {
        "lapsed": "lapsed",
        "finished": "finished",
        "expired": "expired",
        "revoked": "revoked",
    }
    return closed.get(state, "busy")


def refusal_text(reason: Refusal) -> str:
    """The refusal as one line of plain text: its title, then what to do next."""
    title, message = REFUSALS[reason]
    return f"{title}. {message}"
