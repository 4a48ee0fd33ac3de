"""Keys and a short guide to how an interview works, in a modal; each app mode has its own."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

HelpMode = Literal["app", "candidate", "review"]
KeySection = tuple[str, list[tuple[str, str]]]

EVERYWHERE: KeySection = (
    "Everywhere",
    [
        ("F1 or ?", "this help"),
        ("ctrl+p", "command palette: every action, and themes"),
        ("tab / shift+tab", "move between parts of the screen"),
        ("ctrl+q", "quit (asks first during an interview)"),
    ],
)
ANSWERING = [
    ("enter", "new line in your answer"),
    ("ctrl+s (or ctrl+enter)", "send your answer"),
    ("ctrl+n", "skip this question"),
    ("ctrl+f", "finish the interview early (asks first)"),
    ("ctrl+r", "try again after a failure"),
    ("page up / page down", "scroll the conversation back / on (or the mouse wheel)"),
    ("", "sending, or scrolling to the end, follows the newest turn again"),
]

KEYS: dict[HelpMode, list[KeySection]] = {
    "app": [
        EVERYWHERE,
        (
            "Start",
            [
                ("enter", "start with the choices shown (from any field)"),
                ("space or ↓", "open a list to change a choice; enter picks"),
                ("h", "history of past interviews"),
            ],
        ),
        ("Interview", [*ANSWERING, ("ctrl+t", "show or hide the STAR panel (practice)")]),
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
    ],
    "candidate": [
        (
            "Keys",
            [
                ("F1 or ?", "this help"),
                ("tab / shift+tab", "move between parts of the screen"),
                ("ctrl+q", "leave (asks first; your link reopens the interview for a while)"),
            ],
        ),
        ("Interview", ANSWERING),
    ],
    "review": [
        EVERYWHERE,
        (
            "Interviews",
            [
                ("enter", "open the selected interview"),
                ("space", "mark or unmark it for comparison"),
                ("c", "compare the marked interviews (same rubric)"),
                ("d", "record your decision and notes"),
                ("e", "export its report with your decision, as HTML and Markdown"),
                ("s / S", "sort by the next column / reverse (or click a header)"),
                ("1 … 9", "sort by one dimension (numbered under the list); again to reverse"),
                ("F5", "load the list again"),
            ],
        ),
        (
            "One interview",
            [
                ("tab", "move between the transcript and the evaluation"),
                ("z", "zoom the pane you are in to full width (z or escape again to restore)"),
                ("n / p", "next / previous interview of the list"),
                ("d / e", "record your decision / export the report"),
                ("escape", "back to the list"),
            ],
        ),
        ("Comparison", [("← →", "choose a candidate"), ("enter", "open that interview")]),
    ],
}

GUIDES: dict[HelpMode, str] = {
    "app": (
        "Starling asks behavioural questions. Answer each with one real example: the Situation, "
        "your Task, the Actions you took yourself, and the Result (STAR). The interviewer asks a "
        "follow-up when something is missing.\n"
        "Practice mode shows a STAR check after each answer and coaching at the end. Assessment mode "
        "shows only the conversation; its report is for the reviewer.\n"
        "Every turn is saved as it happens, so you can quit and resume later from History."
    ),
    "candidate": (
        "Answer each question with one real example: what happened, what you had to do, what you "
        "did yourself, and how it ended. The interviewer asks a follow-up when part of the story is "
        'missing. If nothing comes to mind, say "I can\'t recall one".\n'
        "Each answer is saved when you send it. A person on the hiring team reviews your answers "
        "and makes the decision."
    ),
    "review": (
        "Each interview has the machine's evaluation: per-question scores with quotes from the "
        "candidate's answers as evidence, dimension scores and a recommendation. It is evidence, "
        "not a verdict: a person makes the decision. Record yours with d; it is kept apart from the "
        "evaluation, with every earlier decision.\n"
        "Only the rubric's competency dimensions are assessed, nothing about personality, confidence "
        "or affect. Interviews on the same rubric can be compared side by side.\n"
        "A score says how many questions it covers. Sorted by a score, an interview with unscored "
        "questions (⚠ 1/4) comes after the complete ones, and is never marked best in a comparison."
    ),
}


def help_text(data_folder: str | None, mode: HelpMode = "app") -> Content:
    lines: list[Content] = []
    for section, keys in KEYS[mode]:
        lines.append(Content.styled(section, "bold $text-accent"))
        for key, action in keys:
            lines.append(Content.assemble((f"  {key:<24}", "bold"), action))
        lines.append(Content(""))
    lines.append(Content.styled("How it works", "bold $text-accent"))
    lines.append(Content(GUIDES[mode]))
    if data_folder is not None:
        lines.append(Content(""))
        lines.append(Content.assemble(("Saved in: ", "bold"), data_folder))
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q,question_mark", "dismiss", "Close")]

    def __init__(self, data_folder: str | None, mode: HelpMode = "app") -> None:
        super().__init__()
        self._data_folder = data_folder
        self._mode = mode

    def compose(self) -> ComposeResult:
        scroll = VerticalScroll(id="help")
        scroll.border_title = "Help · escape to close"
        with scroll:
            yield Static(help_text(self._data_folder, self._mode))
        # Focused as it mounts: a key that closes the help before it is drawn finds nothing to query.
        self.call_after_refresh(scroll.focus)
