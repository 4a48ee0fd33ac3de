"""The Starling Textual app and the factory the CLI and the tests share."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from agent.brains.protocol import Brain
from agent.domain.policy import DEFAULT_QUESTION_COUNT, Mode
from agent.session import Clock, utc_now
from agent.settings import Settings
from agent.storage import TranscriptStore
from agent.ui.jobs import StartRequest, list_rubrics
from agent.ui.rubric_cache import RubricCache
from agent.ui.screens.chat import ChatScreen
from agent.ui.screens.confirm import ConfirmScreen
from agent.ui.screens.help import HelpScreen
from agent.ui.screens.history import HistoryScreen
from agent.ui.screens.start import StartScreen
from agent.ui.services import (
    DEFAULT_REVEAL_SECONDS,
    BrainChoice,
    Services,
    UiOptions,
    fixed_choice,
    offline_choice,
)


class StarlingApp(App[int]):
    """Start, interview, report and history screens over one set of services."""

    CSS_PATH = "app.tcss"
    TITLE = "Starling"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1", "help", "Help", show=False),
        Binding("question_mark", "help", "Help", show=False),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services

    def on_mount(self) -> None:
        # Parse the rubrics while the first screen is being built; the start screen then lists
        # them from the cache, and Enter pressed at once does not wait for a second parse.
        self.run_worker(
            partial(list_rubrics, self.services), thread=True, group="warm-up", exit_on_error=False
        )
        self.push_screen(StartScreen(self.services))
        options = self.services.options
        if options.resume_id is not None:
            self.push_screen(ChatScreen(self.services, StartRequest(resume_id=options.resume_id)))
        elif options.review:
            self.push_screen(HistoryScreen(self.services))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(str(self.services.settings.home)))

    def action_new_interview(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_history(self) -> None:
        if not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen(self.services))

    async def action_quit(self) -> None:
        open_chats = [s for s in self.screen_stack if isinstance(s, ChatScreen) and s.in_progress]
        screen = open_chats[-1] if open_chats else None  # also under a modal or History
        if screen is not None and screen.session is not None:
            interview_id = screen.session.interview_id

            def answered(confirmed: bool | None) -> None:
                if confirmed:
                    self.exit(0, message=resume_message(interview_id))

            body = "Everything you have sent is saved. You can resume this interview later from History."
            if screen.answer_box.text.strip():
                body += " The text in the answer box has not been sent and will be lost."
            self.push_screen(ConfirmScreen("Quit now?", body, yes="Quit", no="Keep going"), answered)
            return
        self.exit(0)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Keys and how an interview works", self.action_help)
        yield SystemCommand("History", "Past interviews: open or resume one", self.action_history)
        if isinstance(screen, ChatScreen):
            yield SystemCommand("Send answer", "Send what is in the answer box", screen.action_send)
            yield SystemCommand("Skip question", "Move on to the next question", screen.action_skip)
            yield SystemCommand("End interview early", "Finish now (asks first)", screen.action_finish)
            yield SystemCommand(
                "Toggle STAR panel", "Show or hide the STAR check", screen.action_toggle_panel
            )
        else:
            yield SystemCommand("New interview", "Back to the start screen", self.action_new_interview)


def resume_message(interview_id: str) -> Text:
    """What is printed after quitting mid-interview (a rich Text, so the terminal wraps it)."""
    return Text(
        f"Interview {interview_id} is saved. Resume it with: starling resume {interview_id} "
        "(or open History in the app)."
    )


def build_app(
    settings: Settings,
    *,
    brain: Brain | None = None,
    brains: Sequence[BrainChoice] | None = None,
    store: TranscriptStore | None = None,
    clock: Clock | None = None,
    mode: Mode | None = None,
    rubric_id: str | None = None,
    question_count: int | None = None,
    seed: int | None = None,
    candidate: str | None = None,
    review: bool = False,
    resume_id: str | None = None,
    reveal_seconds: float = DEFAULT_REVEAL_SECONDS,
    cursor_blink: bool = True,
    interview_ids: Callable[[datetime], str] | None = None,
    rubric_cache: RubricCache | None = None,
) -> StarlingApp:
    """The app, wired: `brain` fixes one brain; `brains` offers several on the start screen."""
    if brain is not None:
        choices: Sequence[BrainChoice] = [fixed_choice(brain)]
    else:
        choices = list(brains) if brains else [offline_choice()]
    options = UiOptions(
        mode=mode or "practice",
        rubric_id=rubric_id,
        question_count=question_count or DEFAULT_QUESTION_COUNT,
        seed=seed,
        candidate=candidate,
        review=review,
        resume_id=resume_id,
        reveal_seconds=reveal_seconds,
        cursor_blink=cursor_blink,
    )
    services = Services(
        settings=settings,
        store=store or TranscriptStore(settings.transcripts_dir),
        brains=choices,
        clock=clock or utc_now,
        options=options,
        interview_ids=interview_ids,
        rubrics=rubric_cache or RubricCache(),
    )
    return StarlingApp(services)


def run_app(
    settings: Settings,
    *,
    brains: Sequence[BrainChoice] | None = None,
    mode: Mode | None = None,
    rubric_id: str | None = None,
    question_count: int | None = None,
    seed: int | None = None,
    candidate: str | None = None,
    review: bool = False,
    resume_id: str | None = None,
) -> int:
    """Run the app in the terminal (`starling`, `starling chat`); returns the exit code."""
    app = build_app(
        settings,
        brains=brains,
        mode=mode,
        rubric_id=rubric_id,
        question_count=question_count,
        seed=seed,
        candidate=candidate,
        review=review,
        resume_id=resume_id,
    )
    app.run()
    return app.return_code or 0
