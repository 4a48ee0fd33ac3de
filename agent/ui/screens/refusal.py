"""Why an invited interview cannot start; the only way on is to close the app."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

# The app's exit code after a refusal, so a caller can tell that nothing was started.
REFUSED_EXIT_CODE = 1


class RefusalScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "close", "Close")]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Center(id="refusal-box"), Vertical(id="refusal"):
            yield Static(Content.styled(self.title_text, "bold"), id="refusal-title")
            yield Static(Content(self.message), id="refusal-message")
            yield Static(Content.styled("No interview was started.", "$text-muted"))
            yield Button("Close (enter)", variant="primary", id="refusal-close")

    def on_mount(self) -> None:
        self.query_one("#refusal-close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_close()

    def action_close(self) -> None:
        self.app.exit(return_code=REFUSED_EXIT_CODE)
