"""The multi-line answer box. Enter adds a line; the screen's keys send, skip or end."""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea

from agent.visible import visible_controls


class AnswerBox(TextArea):
    """A TextArea whose pasted control characters are made visible, so a paste cannot drive the terminal."""

    def __init__(self, *, cursor_blink: bool = True, id: str | None = None) -> None:
        super().__init__(
            soft_wrap=True,
            show_line_numbers=False,
            tab_behavior="focus",
            id=id,
            placeholder="Type your answer. Enter adds a line; ctrl+s sends it.",
        )
        self.cursor_blink = cursor_blink
        self.border_title = "Your answer"
        self.border_subtitle = "ctrl+s send · enter new line"

    async def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        if self.read_only:
            return
        result = self.replace(visible_controls(event.text), *self.selection)
        self.move_cursor(result.end_location)
        self.focus()

    def show_status(self, status: str) -> None:
        """Say in the box's title what is happening (the box stays editable meanwhile)."""
        self.border_title = f"Your answer  ● {status}" if status else "Your answer"

    def take(self) -> str:
        """The text typed so far, clearing the box."""
        text = self.text
        self.clear()
        return text

    def give_back(self, text: str) -> None:
        """Put a failed answer back, keeping anything typed since it was sent."""
        typed = self.text
        self.text = f"{text}\n\n{typed}" if typed.strip() else text
        self.move_cursor(self.document.end)
        self.focus()
