"""The end of an assessment: thanks, and where the answers went. No scores: those are for the reviewer."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from agent.ui.services import Services


def thanks_text(interview_id: str) -> Content:
    return Content("\n\n").join(
        [
            Content.styled("Thank you. The interview is complete.", "bold"),
            Content(
                "Your answers are saved. A person on the hiring team will review them; "
                "there is nothing else you need to do."
            ),
            Content.assemble(("Reference: ", "$text-muted"), interview_id),
        ]
    )


class ThanksScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back to start"),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(self, services: Services, interview_id: str) -> None:
        super().__init__()
        self.services = services
        self.interview_id = interview_id

    def compose(self) -> ComposeResult:
        with Center(id="thanks-box"), Vertical(id="thanks"):
            yield Static(thanks_text(self.interview_id), id="thanks-text")
            yield Button("Back to start (enter)", variant="primary", id="thanks-done")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#thanks-done", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.app.pop_screen()
