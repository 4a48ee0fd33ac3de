"""The start screen: rubric, mode, question count, brain and name, with defaults so Enter starts."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Grid, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, Label, OptionList, Select, Static

from agent.domain.defaults import DEFAULT_RUBRIC, MAX_NAME_CHARS
from agent.domain.policy import Mode
from agent.ui.jobs import RubricOption, StartRequest, describe, list_rubrics
from agent.ui.messages import RubricsListed
from agent.ui.screens.chat import ChatScreen
from agent.ui.services import Services
from agent.ui.widgets.key_bar import KeyBar

QUESTION_COUNTS = range(1, 13)
MODES: tuple[Mode, ...] = ("practice", "assessment")
MODE_LABEL: dict[Mode, str] = {
    "practice": "Practice (for candidates)",
    "assessment": "Assessment (for recruiters)",
}
MODE_HELP: dict[Mode, str] = {
    "practice": "Practice: a STAR check after each answer, coaching at the end.",
    "assessment": "Assessment: only the conversation; the report goes to a reviewer.",
}
_NEWLINE_KEYS = frozenset({"enter", "shift+enter", "ctrl+j"})
TAGLINE = "Practise or assess behavioural interviews, using the STAR method."


class StartScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        # Enter starts from anywhere on the form, a closed dropdown included (space or ↓ opens one).
        # Typed before the app took the terminal, Enter arrives as a newline (ctrl+j).
        Binding("enter,ctrl+j", "start", "Start", show=False, priority=True),
        Binding("ctrl+s", "start", "Start", show=False),
        Binding("h", "history", "History"),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self._rubric_ids: list[str] = []
        self._kits: dict[str, RubricOption] = {}  # kits by id
        self._start_when_listed = False
        self._typed_ahead: list[str] = []  # keys typed while the start waits for the rubrics

    def compose(self) -> ComposeResult:
        options = self.services.options
        preset = options.rubric_id
        with Center(id="start-box"), Vertical(id="start-form"):
            yield Static(Content.styled("Starling", "bold"), id="start-title")
            yield Static(Content.styled(TAGLINE, "$text-muted"), id="start-tagline")
            with Grid(id="start-grid"):
                yield Label("Rubric or kit")
                yield Select[str](
                    [(preset, preset)] if preset else [],
                    value=preset if preset else Select.NULL,
                    prompt="Loading rubrics…",
                    allow_blank=preset is None,
                    compact=True,
                    id="rubric",
                )
                yield Label("Mode")
                yield Select[str](
                    [(MODE_LABEL[mode], mode) for mode in MODES],
                    value=options.mode,
                    allow_blank=False,
                    compact=True,
                    id="mode",
                )
                yield Label("Questions")
                yield Select[int](
                    [(str(n), n) for n in QUESTION_COUNTS],
                    value=options.question_count,
                    allow_blank=False,
                    compact=True,
                    id="count",
                )
                yield Label("Brain")
                yield Select[str](
                    [(Content(b.label), b.name) for b in self.services.brains],
                    value=self.services.brain_choice(None).name,
                    allow_blank=False,
                    compact=True,
                    id="brain",
                )
                yield Label("Your name")
                yield Input(
                    value=options.candidate or "",
                    placeholder="optional, shown on the report",
                    max_length=MAX_NAME_CHARS,
                    compact=True,
                    id="name",
                )
            yield Static(Content.styled(MODE_HELP[options.mode], "$text-muted"), id="mode-help")
            yield Static("", id="kit-help")
            yield Button("Start interview", variant="primary", id="start")
            yield Static(
                Content.styled("enter start · space list · h history · F1 help · ctrl+q quit", "$text-muted"),
                id="start-keys",
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#start", Button).focus()
        self._list_rubrics()

    def on_screen_resume(self) -> None:
        """Back from an interview or History: single keys (h, enter) work again at once."""
        self.query_one("#start", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Enter in an open dropdown chooses the option instead.
        return not (action == "start" and isinstance(self.focused, OptionList))

    def on_key(self, event: events.Key) -> None:
        """While the start waits for the rubrics, what is typed is the answer's beginning.

        It goes into the answer box when the interview appears, instead of acting as shortcuts.
        A key still on its way through this screen when the interview appeared goes there too.
        """
        if self.app.screen is not self and event.is_printable:
            event.stop()
            event.prevent_default()
            self.app.post_message(events.Key(event.key, event.character))
            return
        if not self._start_when_listed:
            return
        if event.key == "backspace":
            if self._typed_ahead:
                self._typed_ahead.pop()
        elif event.key in _NEWLINE_KEYS:
            self._typed_ahead.append("\n")
        elif event.is_printable and event.character:
            self._typed_ahead.append(event.character)
        else:
            return
        event.stop()
        event.prevent_default()

    def on_paste(self, event: events.Paste) -> None:
        if self.app.screen is not self:  # on its way here when the interview appeared
            event.stop()
            self.app.post_message(events.Paste(event.text))
        elif self._start_when_listed:
            self._typed_ahead.append(event.text)
            event.stop()

    @work(thread=True, group="rubrics")
    def _list_rubrics(self) -> None:
        try:
            options = list_rubrics(self.services)
        except Exception as error:  # noqa: BLE001 - a worker reports every failure as a message
            options = [RubricOption("", "", 0, describe(error)[0])]
        self.post_message(RubricsListed(options))

    def on_rubrics_listed(self, message: RubricsListed) -> None:
        select = self.query_one("#rubric", Select)
        usable = [o for o in message.options if o.problem is None]
        self._rubric_ids = [o.rubric_id for o in usable]
        self._kits = {o.rubric_id: o for o in usable if o.kit_questions is not None}
        current = select.value
        select.set_options([(_option_label(o), o.rubric_id) for o in usable])
        wanted = current if isinstance(current, str) and current in self._rubric_ids else None
        if wanted is None and usable:
            fallback = next((o for o in usable if o.rubric_id == DEFAULT_RUBRIC), usable[0])
            wanted = fallback.rubric_id
            if isinstance(current, str):
                self.notify(
                    f"No rubric or kit called '{current}'; {fallback.title} is selected instead.",
                    markup=False,
                )
        if wanted is not None:
            select.value = wanted
            self._show_count(wanted)
        broken = [o for o in message.options if o.problem is not None]
        for option in broken:
            self.notify(
                option.problem or "", title="A rubric could not be loaded", severity="warning", markup=False
            )
        if not usable:
            self._start_when_listed = False
            self.query_one("#start", Button).label = "Start interview"
            self.notify("No rubric could be loaded.", severity="error")
        elif self._start_when_listed:
            self._start_when_listed = False
            self.action_start()

    @on(Select.Changed, "#rubric")
    def _rubric_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self._show_count(event.value)

    def _show_count(self, rubric_id: str) -> None:
        """A kit sets its own number of questions: show it, and lock the count while it is chosen."""
        count = self.query_one("#count", Select)
        kit = self._kits.get(rubric_id)
        count.disabled = kit is not None
        if kit is not None and kit.kit_questions is not None:
            count.value = kit.kit_questions
        help_line = self.query_one("#kit-help", Static)
        help_line.display = kit is not None
        if kit is not None:
            help_line.update(Content.styled(f"Questions in this kit: {kit.kit_summary}.", "$text-muted"))

    @on(Select.Changed, "#mode")
    def _mode_changed(self, event: Select.Changed) -> None:
        self.query_one("#mode-help", Static).update(Content.styled(MODE_HELP[self._mode()], "$text-muted"))

    @on(Input.Submitted, "#name")
    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    def _mode(self) -> Mode:
        value = self.query_one("#mode", Select).value
        return "assessment" if value == "assessment" else "practice"

    def request(self) -> StartRequest | None:
        rubric = self.query_one("#rubric", Select).value
        if not isinstance(rubric, str):
            return None
        count = self.query_one("#count", Select).value
        brain = self.query_one("#brain", Select).value
        return StartRequest(
            rubric_id=rubric,
            mode=self._mode(),
            question_count=count if isinstance(count, int) else self.services.options.question_count,
            brain=brain if isinstance(brain, str) else None,
            candidate=self.query_one("#name", Input).value.strip() or None,
        )

    def action_start(self) -> None:
        if self._start_when_listed:
            self._typed_ahead.append("\n")  # already starting: enter is a new line of the answer
            return
        request = self.request()
        if request is None:
            if self._rubric_ids:
                self.notify("Choose a rubric first.")
            else:
                # Enter before the list arrived: start when it does; typing meanwhile is kept.
                self._start_when_listed = True
                self.query_one("#start", Button).focus()
                self.query_one("#start", Button).label = "Starting…"
            return
        typed = "".join(self._typed_ahead).lstrip("\n")
        self._typed_ahead.clear()
        self.query_one("#start", Button).label = "Start interview"
        self.app.push_screen(ChatScreen(self.services, request, typed=typed))

    def action_history(self) -> None:
        from agent.ui.screens.history import HistoryScreen  # loaded when first opened

        self.app.push_screen(HistoryScreen(self.services))


def _option_label(option: RubricOption) -> Content:
    if option.kit_questions is not None:
        return Content.assemble(option.title, (f"  (kit, {option.kit_questions} questions)", "$text-muted"))
    return Content.assemble(option.title, (f"  ({option.questions} questions)", "$text-muted"))
