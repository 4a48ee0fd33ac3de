"""The scrolling conversation: interviewer turns revealed in order, candidate turns shown literally."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

from textual.containers import VerticalScroll
from textual.timer import Timer
from textual.widgets import Static

from agent.domain.transcript import Turn
from agent.ui.literal import literal
from agent.ui.widgets.candidate_message import CandidateMessage
from agent.ui.widgets.interviewer_message import InterviewerMessage

TICKS_PER_SECOND = 60
# Short turns appear at this pace; long ones take at most the conversation's `reveal_seconds`.
REVEAL_CHARS_PER_SECOND = 800


def turn_label(turn: Turn, *, show_target: bool) -> str:
    """The bubble title of an interviewer turn; follow-up targets only where hints are allowed."""
    if turn.ask == "question" and turn.question_number:
        return f"Interviewer · Question {turn.question_number}"
    if turn.ask == "followup":
        target = f": {turn.target}" if show_target and turn.target else ""
        return f"Interviewer · Follow-up{target}"
    return "Interviewer"


@dataclass
class _Reveal:
    label: str
    kind: str
    text: str
    widget: InterviewerMessage | None = None
    shown: int = 0


class Conversation(VerticalScroll, can_focus=True):
    """Turns in order. Interviewer text appears progressively, one turn after another.

    With `follow`, the view stays on the newest turn (through reflows such as the STAR panel
    being hidden or shown) until the person scrolls back; scrolling to the end, or `follow_newest`,
    follows again.
    """

    # Tab reaches it for keyboard scrolling; a click (to read, or to wake the browser window)
    # leaves the focus in the answer box, so what the candidate types next is not lost.
    FOCUS_ON_CLICK = False

    def __init__(
        self,
        *,
        reveal_seconds: float = 0.0,
        show_targets: bool = True,
        follow: bool = False,
        id: str | None = None,
    ):
        super().__init__(id=id)
        self.reveal_seconds = reveal_seconds
        self.show_targets = show_targets
        self.follow = follow
        self._queue: deque[_Reveal] = deque()
        self._timer: Timer | None = None

    def on_mount(self) -> None:
        if self.follow:
            self.anchor()

    def follow_newest(self) -> None:
        """Show the newest turn again and keep it in view as turns arrive."""
        if self.follow:
            self.anchor()

    @property
    def revealing(self) -> bool:
        return bool(self._queue)

    def say(self, turn: Turn, *, instant: bool = False) -> None:
        """Queue an interviewer turn; it appears after those before it, a little at a time."""
        label = turn_label(turn, show_target=self.show_targets)
        self.say_text(label, turn.text, kind=turn.ask or "message", instant=instant)

    def say_text(self, label: str, text: str, *, kind: str = "message", instant: bool = False) -> None:
        self._queue.append(_Reveal(label, kind, text))
        if instant or self.reveal_seconds <= 0:
            self.finish_reveal()
        elif self._timer is None:
            self._timer = self.set_interval(1 / TICKS_PER_SECOND, self._tick)

    def start_message(self, label: str, *, kind: str = "message") -> InterviewerMessage:
        """An empty interviewer bubble for a brain that streams: call `append` on it per chunk."""
        self.finish_reveal()
        widget = InterviewerMessage(label, kind=kind)
        self._add(widget)
        return widget

    def finish_reveal(self) -> None:
        """Show every queued interviewer turn in full at once."""
        while self._queue:
            item = self._queue.popleft()
            if item.widget is None:
                self._add(InterviewerMessage(item.label, item.text, kind=item.kind))
            else:
                self._grow(item.widget, item.text[item.shown :])
        self._stop()

    def add_answer(self, text: str, *, label: str = "You") -> CandidateMessage:
        self.finish_reveal()
        widget = CandidateMessage(text, label=label)
        self._add(widget)
        return widget

    def add_note(self, text: str) -> None:
        self.finish_reveal()
        self._add(Static(literal(text), classes="note"))

    def _tick(self) -> None:
        if not self._queue:
            self._stop()
            return
        item = self._queue[0]
        if item.widget is None:
            item.widget = InterviewerMessage(item.label, kind=item.kind)
            self._add(item.widget)
        seconds = min(self.reveal_seconds, len(item.text) / REVEAL_CHARS_PER_SECOND)
        step = max(1, math.ceil(len(item.text) / max(1.0, seconds * TICKS_PER_SECOND)))
        chunk = item.text[item.shown : item.shown + step]
        item.shown += len(chunk)
        self._grow(item.widget, chunk)
        if item.shown >= len(item.text):
            self._queue.popleft()
            if not self._queue:
                self._stop()

    def append_to(self, widget: InterviewerMessage, chunk: str) -> None:
        """Add streamed text to a bubble from `start_message` (the anchor keeps it in view)."""
        self._grow(widget, chunk)

    def _add(self, widget: Static) -> None:
        self.mount(widget)

    def _grow(self, widget: InterviewerMessage, chunk: str) -> None:
        widget.append(chunk)

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
