"""Where the interview screen stands: one phase, and a table of the moves allowed between phases.

The screen changes phase only through `ChatPhases.move`. A move the table does not allow is a
bug in the screen, not something the candidate did, so it raises instead of leaving the screen
in a state nobody planned for.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Literal

Request = Literal["send", "skip", "finish", "retry"]
"""What the candidate asks of the screen, named as its key actions (ctrl+s also retries when a
retry is needed, and opens the report once the interview is finished)."""

BUSY_NOTICE = "Still working on your last answer. Your text stays in the box; send it when this finishes."
STILL_STARTING = "The interview is still starting."
NOT_STARTED = "The interview could not start. Press escape to go back."


class ChatPhase(Enum):
    STARTING = "starting"
    """The session is being started (or resumed) in a worker."""
    START_FAILED = "start_failed"
    """It could not be started; going back is all that is left."""
    ANSWERING = "answering"
    """A question or follow-up waits for the candidate's reply; nothing runs."""
    ANALYSING = "analysing"
    """The reply is being saved and analysed, and the next move chosen."""
    SKIPPING = "skipping"
    ENDING = "ending"
    """The interview is being ended early, and evaluated."""
    RETRY_NEEDED = "retry_needed"
    """Work failed after the answer was saved (or the interview closed); ctrl+s tries again."""
    RETRYING = "retrying"
    FINISHED = "finished"
    """The evaluation is in; the report (or the thank-you screen) is one key away."""


TRANSITIONS: Mapping[ChatPhase, frozenset[ChatPhase]] = {
    ChatPhase.STARTING: frozenset({ChatPhase.ANSWERING, ChatPhase.START_FAILED}),
    ChatPhase.START_FAILED: frozenset(),
    ChatPhase.ANSWERING: frozenset(
        {ChatPhase.ANALYSING, ChatPhase.SKIPPING, ChatPhase.ENDING, ChatPhase.FINISHED}
    ),
    ChatPhase.ANALYSING: frozenset({ChatPhase.ANSWERING, ChatPhase.RETRY_NEEDED}),
    ChatPhase.SKIPPING: frozenset({ChatPhase.ANSWERING, ChatPhase.RETRY_NEEDED}),
    ChatPhase.ENDING: frozenset({ChatPhase.ANSWERING, ChatPhase.RETRY_NEEDED}),
    # A retry carries out the failed work again; skipping (which then fails: the answer waits
    # for its analysis) and ending early stay open, as they do while answering.
    ChatPhase.RETRY_NEEDED: frozenset({ChatPhase.RETRYING, ChatPhase.SKIPPING, ChatPhase.ENDING}),
    ChatPhase.RETRYING: frozenset({ChatPhase.ANSWERING, ChatPhase.RETRY_NEEDED}),
    ChatPhase.FINISHED: frozenset(),
}
"""Each phase and the phases it may move to. An evaluation that came with an update is shown
from `ANSWERING`: the work that produced it has settled first."""

WORKING: frozenset[ChatPhase] = frozenset(
    {ChatPhase.STARTING, ChatPhase.ANALYSING, ChatPhase.SKIPPING, ChatPhase.ENDING, ChatPhase.RETRYING}
)
"""The phases in which a worker runs: the candidate can type, but starts nothing new."""

STATUS: Mapping[ChatPhase, str] = {
    ChatPhase.STARTING: "Preparing…",
    ChatPhase.ANALYSING: "Reading your answer…",
    ChatPhase.SKIPPING: "Skipping…",
    ChatPhase.ENDING: "Ending…",
    ChatPhase.RETRYING: "Trying again…",
    ChatPhase.RETRY_NEEDED: "Press ctrl+s to try again",
}
"""What the answer box's title says in each phase (nothing in the others)."""


TAKES: Mapping[ChatPhase, frozenset[Request]] = {
    ChatPhase.ANSWERING: frozenset({"send", "skip", "finish"}),
    ChatPhase.RETRY_NEEDED: frozenset({"retry", "skip", "finish"}),
}
"""The requests each phase takes; a phase missing here takes none."""


def refusal(phase: ChatPhase, request: Request) -> str | None:
    """What to tell the candidate when `phase` does not take `request`; None says nothing."""
    if phase is ChatPhase.START_FAILED:
        return NOT_STARTED if request == "send" else None
    if phase is ChatPhase.STARTING:
        return {"send": STILL_STARTING, "skip": BUSY_NOTICE}.get(request)
    return BUSY_NOTICE if phase in WORKING and request != "retry" else None


def offers(phase: ChatPhase, action: str, *, practice: bool) -> bool:
    """Whether the screen offers the key for `action` in `phase` (the key bar shows only those)."""
    if action == "back":
        return phase is ChatPhase.START_FAILED
    if action == "retry":
        return "retry" in TAKES.get(phase, frozenset())
    if action == "toggle_panel":
        return practice and phase is not ChatPhase.FINISHED
    if action in {"send", "skip", "finish"}:
        return phase is not ChatPhase.FINISHED
    return True


class PhaseError(RuntimeError):
    """A phase change the table does not allow: a programming error in the screen."""


class ChatPhases:
    """The screen's one phase, changed only by moves the table allows."""

    def __init__(self) -> None:
        self._phase = ChatPhase.STARTING

    @property
    def phase(self) -> ChatPhase:
        return self._phase

    @property
    def working(self) -> bool:
        return self._phase in WORKING

    def takes(self, request: Request) -> bool:
        return request in TAKES.get(self._phase, frozenset())

    def move(self, to: ChatPhase) -> None:
        if to not in TRANSITIONS[self._phase]:
            raise PhaseError(f"the interview screen cannot go from {self._phase.value} to {to.value}")
        self._phase = to
