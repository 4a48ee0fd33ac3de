"""The Starling Textual app and the factory the CLI and the tests share."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.driver import Driver
from textual.screen import Screen
from textual.theme import ThemeProvider

from agent.brains.protocol import Brain
from agent.domain.policy import DEFAULT_QUESTION_COUNT, Mode
from agent.errors import StarlingError
from agent.session import Clock, utc_now
from agent.settings import Settings
from agent.storage import TranscriptStore
from agent.ui.candidate_access import rejoin_text
from agent.ui.jobs import StartRequest, list_rubrics
from agent.ui.messages import InvitationChecked
from agent.ui.palette import PaletteOpener
from agent.ui.paste import install as install_paste_parser
from agent.ui.rubric_cache import RubricCache
from agent.ui.screens.chat import ChatScreen
from agent.ui.screens.confirm import ConfirmScreen
from agent.ui.screens.help import HelpMode, HelpScreen
from agent.ui.screens.start import StartScreen
from agent.ui.services import (
    DEFAULT_CLOSE_SECONDS,
    DEFAULT_REVEAL_SECONDS,
    BrainChoice,
    ReviewerName,
    Services,
    UiOptions,
    fixed_choice,
    offline_choice,
    os_user,
)

# Palette entries a candidate may use: none of them opens another screen or writes a file.
CANDIDATE_COMMANDS = frozenset({"Theme", "Quit", "Keys", "Maximize", "Minimize"})


class StarlingApp(App[int]):
    """Start, interview, report and history screens over one set of services.

    Two other modes share them: candidate mode (one invited interview, nothing else reachable)
    and review mode (the reviewer's workspace).
    """

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
        self._palettes = PaletteOpener()
        # Keys typed before the first screen is ready (a person types while the app starts):
        # held, then given to that screen in order, instead of reaching a half-built one.
        self._held: list[events.Event] | None = []

    async def on_event(self, event: events.Event) -> None:
        if self._held is not None and isinstance(event, (events.Key, events.Paste)):
            self._held.append(event)
            return
        await super().on_event(event)

    def _release_typing(self) -> None:
        """The first screen is up: what was typed meanwhile goes to it, in order."""
        held, self._held = self._held, None
        for event in held or ():
            if isinstance(event, events.Paste):
                self.post_message(events.Paste(event.text))
            elif isinstance(event, events.Key):
                self.post_message(events.Key(event.key, event.character))

    def get_driver_class(self) -> type[Driver]:
        install_paste_parser()  # pastes arrive whole and in order, escape characters and all
        return super().get_driver_class()

    @property
    def help_mode(self) -> HelpMode:
        options = self.services.options
        return "candidate" if options.candidate_mode else "review" if options.review else "app"

    async def on_mount(self) -> None:
        options = self.services.options
        if options.candidate_mode:
            self._check_invitation()  # typing is released on its first screen
            return
        if options.review:
            from agent.ui.screens.review import ReviewScreen  # each mode loads only its own screens

            await self.push_screen(ReviewScreen(self.services))
            self._release_typing()
            return
        # Parse the rubrics while the first screen is being built; the start screen then lists
        # them from the cache, and Enter pressed at once does not wait for a second parse.
        self.run_worker(
            partial(list_rubrics, self.services), thread=True, group="warm-up", exit_on_error=False
        )
        await self.push_screen(StartScreen(self.services))
        if options.resume_id is not None:
            await self.push_screen(ChatScreen(self.services, StartRequest(resume_id=options.resume_id)))
        self._release_typing()

    # Candidate mode

    @work(thread=True, group="invitation", exit_on_error=False)
    def _check_invitation(self) -> None:
        from agent.ui.candidate_access import Access, check_interview

        services = self.services
        try:
            access = check_interview(services.interview, services.clock())
        except Exception:  # noqa: BLE001 - whatever went wrong, the candidate sees a refusal, not a blank screen
            access = Access(None, "unreadable")
        self.post_message(InvitationChecked(access))
        if access.invitation is not None:
            # Parse the rubric now, so "I agree, start" starts at once; if it cannot be loaded,
            # the interview screen says so when the candidate starts.
            with suppress(StarlingError, OSError):
                services.rubrics.load(access.invitation.rubric_id, services.settings.home)

    async def on_invitation_checked(self, message: InvitationChecked) -> None:
        from agent.refusals import REFUSALS
        from agent.ui.screens.consent import ConsentScreen
        from agent.ui.screens.refusal import RefusalScreen

        access = message.access
        if access.invitation is None:
            title, text = REFUSALS[access.refusal or "unknown"]
            await self.push_screen(RefusalScreen(title, text))
        else:
            await self.push_screen(ConsentScreen(self.services, access.invitation))
            if access.resume_id is not None:  # back after a dropped connection: carry on at once
                request = StartRequest(resume_id=access.resume_id, invitation=access.invitation)
                await self.push_screen(ChatScreen(self.services, request))
        self._release_typing()

    # Actions

    def action_command_palette(self) -> None:
        if self.use_command_palette and self._palettes.can_open():
            self.push_screen(self._palettes.new())

    def search_themes(self) -> None:
        if self._palettes.can_open():
            self.push_screen(self._palettes.new([ThemeProvider], "Search for themes…"))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            folder = None if self.services.options.candidate_mode else str(self.services.settings.home)
            self.push_screen(HelpScreen(folder, self.help_mode))

    def action_new_interview(self) -> None:
        if self.help_mode != "app":
            return
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_history(self) -> None:
        from agent.ui.screens.history import HistoryScreen

        if self.help_mode == "app" and not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen(self.services))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A candidate reaches only their own interview; a reviewer starts none."""
        if action in {"history", "new_interview"}:
            return self.help_mode == "app"
        return True

    async def action_quit(self) -> None:
        open_chats = [s for s in self.screen_stack if isinstance(s, ChatScreen) and s.in_progress]
        screen = open_chats[-1] if open_chats else None  # also under a modal or History
        if screen is not None and screen.session is not None:
            interview_id = screen.session.interview_id

            candidate = self.services.options.candidate_mode

            def answered(confirmed: bool | None) -> None:
                if confirmed:
                    self.exit(0, message=None if candidate else resume_message(interview_id))

            if candidate:
                body = (
                    "Everything you have sent is saved. To carry on, open your link again within "
                    f"{rejoin_text(self.services.settings.rejoin_minutes)}; after that it stops working."
                )
            else:
                body = "Everything you have sent is saved. You can resume this interview later from History."
            if screen.answer_box.text.strip():
                body += " The text in the answer box has not been sent and will be lost."
            self.push_screen(ConfirmScreen("Quit now?", body, yes="Quit", no="Keep going"), answered)
            return
        self.exit(0)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        mode = self.help_mode
        for command in super().get_system_commands(screen):
            if mode != "candidate" or command.title in CANDIDATE_COMMANDS:
                yield command
        yield SystemCommand("Help", "Keys and how this works", self.action_help)
        if mode == "app":
            yield SystemCommand("History", "Past interviews: open or resume one", self.action_history)
        if isinstance(screen, ChatScreen):
            yield SystemCommand("Send answer", "Send what is in the answer box", screen.action_send)
            yield SystemCommand("Skip question", "Move on to the next question", screen.action_skip)
            yield SystemCommand("End interview early", "Finish now (asks first)", screen.action_finish)
            if screen.practice:
                yield SystemCommand(
                    "Toggle STAR panel", "Show or hide the STAR check", screen.action_toggle_panel
                )
        elif mode == "app":
            yield SystemCommand("New interview", "Back to the start screen", self.action_new_interview)
        if mode == "review":
            from agent.ui.screens.review import ReviewScreen  # loaded already in review mode

            if isinstance(screen, ReviewScreen):
                yield SystemCommand("Compare marked", "Side by side, same rubric", screen.action_compare)
                yield SystemCommand("Reload interviews", "Read the transcripts again", screen.action_reload)


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
    interview_dir: Path | None = None,
    close_seconds: float = DEFAULT_CLOSE_SECONDS,
    reviewer: str | None = None,
) -> StarlingApp:
    """The app, wired: `brain` fixes one brain; `brains` offers several on the start screen.

    `interview_dir` opens candidate mode: that invitation's interview and nothing else, with its
    interview folder as the whole data folder. `review` opens the reviewer's workspace.
    """
    if interview_dir is not None:
        settings = settings.model_copy(update={"home": interview_dir})
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
        interview_dir=interview_dir,
        close_seconds=close_seconds,
        reviewer=reviewer,
    )
    services = Services(
        settings=settings,
        store=store or _transcripts(settings, interview_dir),
        brains=choices,
        clock=clock or utc_now,
        options=options,
        interview_ids=interview_ids,
        rubrics=rubric_cache or RubricCache(),
        reviewer=ReviewerName(reviewer or os_user()),
    )
    return StarlingApp(services)


def _transcripts(settings: Settings, interview_dir: Path | None) -> TranscriptStore:
    """A candidate's app sees its own interview's transcript; the others see every interview."""
    if interview_dir is not None:
        from agent.interviews import InterviewFolder

        return TranscriptStore(InterviewFolder(interview_dir).transcripts)
    return TranscriptStore(settings.transcripts_dir, invited=settings.interviews_dir)


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
    interview_dir: Path | None = None,
) -> int:
    """Run the app in the terminal (`starling`, `starling chat`, `starling review`, and the candidate
    app that `starling serve` starts per invitation); returns the exit code (1 when an invitation
    is refused)."""
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
        interview_dir=interview_dir,
    )
    app.run()
    return app.return_code or 0
