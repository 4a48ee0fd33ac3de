"""The multi-line answer box. Enter adds a line; the screen's keys send, skip or end."""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea
from textual.widgets.text_area import EditResult

from agent.ui.literal import terminal_safe


class AnswerBox(TextArea):
    """A TextArea that shows pasted control characters as visible symbols, but keeps them.

    What is pasted is shown literally (a paste cannot drive the terminal), and `answer` gives the
    text back exactly as it was pasted, for every paste still intact in the box; a paste the
    candidate edited keeps what the box shows.
    """

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
        self._pasted: dict[str, str] = {}  # shown text -> the text as pasted, where they differ

    @property
    def answer(self) -> str:
        """What the candidate typed and pasted, pasted control characters restored."""
        text = self.text
        for shown in sorted(self._pasted, key=len, reverse=True):
            text = text.replace(shown, self._pasted[shown])
        return text

    async def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        if self.read_only:
            return
        result = self.replace(self._shown(event.text), *self.selection)
        self.move_cursor(result.end_location)
        self.focus()

    def _shown(self, text: str) -> str:
        shown = terminal_safe(text)
        if shown != text:
            self._pasted[shown] = text
        return shown

    def clear(self) -> EditResult:
        self._pasted.clear()
        return super().clear()

    def show_status(self, status: str) -> None:
        """Say in the box's title what is happening (the box stays editable meanwhile)."""
        self.border_title = f"Your answer  ● {status}" if status else "Your answer"

    def take(self) -> str:
        """The answer so far (as `answer`), clearing the box."""
        text = self.answer
        self.clear()
        return text

    def give_back(self, text: str) -> None:
        """Put a failed answer back, keeping anything typed since it was sent."""
        typed = self.answer
        pasted = dict(self._pasted)
        merged = f"{text}\n\n{typed}" if typed.strip() else text
        self.text = self._shown(merged)
        self._pasted.update(pasted)
        self.move_cursor(self.document.end)
        self.focus()
