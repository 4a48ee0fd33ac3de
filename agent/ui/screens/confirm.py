"""A yes/no question in a modal, answered with the keyboard (y/n, enter/escape) or the mouse."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, title: str, body: str, *, yes: str = "Yes", no: str = "Cancel") -> None:
        super().__init__()
        self._title = title
        self._body = body
        self._yes = yes
        self._no = no
        self._answered = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content.styled(self._title, "bold"), id="dialog-title")
            yield Static(Content(self._body), id="dialog-body")
            with Horizontal(id="dialog-buttons"):
                yield Button(Content(f"{self._yes} (y)"), id="yes", variant="primary")
                yield Button(Content(f"{self._no} (n)"), id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        # The first answer counts: a second key in the same burst finds the dialog already closing.
        if not self._answered:
            self._answered = True
            self.dismiss(answer)
