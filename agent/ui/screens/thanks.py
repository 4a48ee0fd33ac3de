"""The end of an assessment: thanks, and where the answers went. No scores: those are for the reviewer.

In candidate mode (an invited interview) there is nowhere else to go: the app closes by itself after
a short moment, or at once on enter.
"""

from __future__ import annotations

import math
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from agent.reports.text import THANKS_BODY, THANKS_TITLE
from agent.ui.services import Services
from agent.ui.widgets.key_bar import KeyBar


def thanks_text(interview_id: str) -> Content:
    return Content("\n\n").join(
        [
            Content.styled(THANKS_TITLE, "bold"),
            Content(THANKS_BODY),
            Content.assemble(("Reference: ", "$text-muted"), interview_id),
        ]
    )


def closing_text(seconds: float) -> Content:
    return Content.styled(f"This window closes by itself in {math.ceil(seconds)} s.", "$text-muted")


class ThanksScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back to start"),
        Binding("escape,q", "close", "Close"),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(self, services: Services, interview_id: str) -> None:
        super().__init__()
        self.services = services
        self.interview_id = interview_id
        self.closing = services.options.candidate_mode
        self._left = services.options.close_seconds

    def compose(self) -> ComposeResult:
        label = "Close (enter)" if self.closing else "Back to start (enter)"
        with Center(id="thanks-box"), Vertical(id="thanks"):
            yield Static(thanks_text(self.interview_id), id="thanks-text")
            if self.closing:
                yield Static(closing_text(self._left), id="thanks-closing")
            yield Button(label, variant="primary", id="thanks-done")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#thanks-done", Button).focus()
        if self.closing:
            self.set_interval(1.0, self._count_down)
            self.set_timer(self._left, self.action_close)

    def _count_down(self) -> None:
        self._left = max(0.0, self._left - 1.0)
        self.query_one("#thanks-closing", Static).update(closing_text(self._left))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return not self.closing
        if action == "close":
            return self.closing
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if self.closing:
            self.action_close()
        else:
            self.action_back()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_close(self) -> None:
        self.app.exit(0)
