"""One interviewer turn; its text can grow chunk by chunk (a typewriter reveal or a streaming brain)."""

from __future__ import annotations

from textual.widgets import Static

from agent.ui.literal import literal


class InterviewerMessage(Static):
    """An interviewer bubble. `append` adds text as it is produced."""

    def __init__(self, label: str, text: str = "", *, kind: str = "message") -> None:
        super().__init__(literal(text), classes=f"turn interviewer {kind}")
        self.border_title = label
        self._text = text

    @property
    def text(self) -> str:
        return self._text

    def append(self, chunk: str) -> None:
        self._text += chunk
        self.update(literal(self._text))
