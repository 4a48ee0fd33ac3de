"""Keys and a short guide to how an interview works, in a modal."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Everywhere",
        [
            ("F1 or ?", "this help"),
            ("ctrl+p", "command palette: every action, and themes"),
            ("tab / shift+tab", "move between parts of the screen"),
            ("ctrl+q", "quit (asks first during an interview)"),
        ],
    ),
    (
        "Start",
        [
            ("enter", "start with the choices shown"),
            ("h", "history of past interviews"),
        ],
    ),
    (
        "Interview",
        [
            ("enter", "new line in your answer"),
            ("ctrl+s (or ctrl+enter)", "send your answer"),
            ("ctrl+n", "skip this question"),
            ("ctrl+f", "finish the interview early (asks first)"),
            ("ctrl+r", "try again after a failure"),
            ("ctrl+t", "show or hide the STAR panel (practice)"),
        ],
    ),
    (
        "Report and history",
        [
            ("e", "export Markdown, JSON and HTML"),
            ("1 / 2 / 3", "report, transcript or progress tab"),
            ("enter", "open the selected interview (history)"),
            ("r", "resume the selected unfinished interview (history)"),
            ("n", "new interview (back to the start screen)"),
            ("escape", "back"),
        ],
    ),
]

GUIDE = (
    "Starling asks behavioural questions. Answer each with one real example: the Situation, "
    "your Task, the Actions you took yourself, and the Result (STAR). The interviewer asks a "
    "follow-up when something is missing.\n"
    "Practice mode shows a STAR check after each answer and coaching at the end. Assessment mode "
    "shows only the conversation; its report is for the reviewer.\n"
    "Every turn is saved as it happens, so you can quit and resume later from History."
)


def help_text(data_folder: str) -> Content:
    lines: list[Content] = []
    for section, keys in KEYS:
        lines.append(Content.styled(section, "bold $text-accent"))
        for key, action in keys:
            lines.append(Content.assemble((f"  {key:<24}", "bold"), action))
        lines.append(Content(""))
    lines.append(Content.styled("How it works", "bold $text-accent"))
    lines.append(Content(GUIDE))
    lines.append(Content(""))
    lines.append(Content.assemble(("Saved in: ", "bold"), data_folder))
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q,question_mark", "dismiss", "Close")]

    def __init__(self, data_folder: str) -> None:
        super().__init__()
        self._data_folder = data_folder

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(help_text(self._data_folder))

    def on_mount(self) -> None:
        self.query_one("#help").border_title = "Help · escape to close"
        self.query_one("#help").focus()
