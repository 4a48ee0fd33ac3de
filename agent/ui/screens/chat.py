"""The interview itself: conversation, answer box, progress, and the practice STAR panel.

Session calls run in thread workers (`agent.ui.chat_work`); their results come back as messages and only
the handlers change what is on screen, so typing never freezes while the brain works. Where the
interview stands is one phase (`agent.ui.chat_phase`), changed only by the moves its table allows.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Static

from agent.domain.evaluation import Evaluation
from agent.session import InterviewSession, Update
from agent.ui.brain_feed import (
    BrainFeed,
    BrainProgressed,
    describe_progress,
    describe_usage,
    fallback_notice,
)
from agent.ui.chat_input import paste_into, type_into
from agent.ui.chat_phase import BUSY_NOTICE as BUSY_NOTICE
from agent.ui.chat_phase import STATUS, ChatPhase, ChatPhases, Request, offers, refusal
from agent.ui.chat_view import ChatView
from agent.ui.chat_work import SessionWork, carry_out, start_interview
from agent.ui.jobs import StartRequest, retry
from agent.ui.messages import (
    AnswerAnalyzed,
    BrainFailed,
    EvaluationReady,
    InterviewEnded,
    InterviewFailedToStart,
    InterviewStarted,
    QuestionSkipped,
    WorkRetried,
)
from agent.ui.screens.confirm import ConfirmScreen
from agent.ui.services import Services
from agent.ui.session_view import after_failure
from agent.ui.widgets.answer_box import AnswerBox
from agent.ui.widgets.conversation import Conversation
from agent.ui.widgets.key_bar import KeyBar
from agent.ui.widgets.progress_line import ProgressLine
from agent.ui.widgets.star_panel import StarPanel

EMPTY_NOTICE = "Your answer is empty. Type your answer, or press ctrl+n to skip this question."


class ChatScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send", "Send"),
        Binding("ctrl+enter", "send", "Send", show=False),
        Binding("ctrl+r", "retry", "Retry"),
        Binding("ctrl+n", "skip", "Skip"),
        Binding("ctrl+f", "finish", "End early"),
        Binding("ctrl+t", "toggle_panel", "STAR"),
        Binding("escape", "back", "Back"),
        Binding("f1", "app.help", "Help"),
        # Reading back while the answer box keeps the focus; the end follows the newest turn again.
        Binding("pageup", "scroll_conversation(-1)", "Scroll back", show=False, priority=True),
        Binding("pagedown", "scroll_conversation(1)", "Scroll on", show=False, priority=True),
    ]

    def __init__(self, services: Services, request: StartRequest, *, typed: str = "") -> None:
        """`typed` is what the candidate typed before this screen appeared; it starts the answer."""
        super().__init__()
        self.services = services
        self.request = request
        self._typed = typed
        self.session: InterviewSession | None = None
        self._phases = ChatPhases()
        self._work = SessionWork(self)
        self._retry_text = ""  # the saved answer whose analysis a retry carries out
        self._view = ChatView(self, services.clock)
        self._feed = BrainFeed(self)

    # Layout

    def compose(self) -> ComposeResult:
        yield ProgressLine(id="progress-line")
        with Horizontal(id="chat-body"):
            yield Conversation(
                reveal_seconds=self.services.options.reveal_seconds, follow=True, id="conversation"
            )
            yield StarPanel(id="star-panel")
        yield AnswerBox(cursor_blink=self.services.options.cursor_blink, id="answer")
        with Horizontal(id="done"):
            yield Static("", id="done-text")
            yield Button("See your report", variant="primary", id="done-button")
        yield KeyBar()

    def on_mount(self) -> None:
        self._view.preparing(practice=self.request.mode == "practice" and not self.request.resume_id)
        if self._typed:
            self.answer_box.insert(self._typed)
        self.answer_box.focus()
        self.set_interval(1.0, self._show_elapsed)
        self._show_status()
        self._work.run(partial(start_interview, self.services, self.request, self._feed))

    def on_unmount(self) -> None:
        """Leaving the screen mid-interview loses nothing: every turn is on disk. Close the file."""
        session = self.session
        if session is not None and not self.finished and not self.services.options.candidate_mode:
            self.app.notify(
                f"Interview {session.interview_id} is saved; resume it from History.", markup=False
            )
        self._work.leave(session)  # a worker may still be writing; then it closes the file after

    # Where the interview stands

    @property
    def phase(self) -> ChatPhase:
        return self._phases.phase

    @property
    def busy(self) -> bool:
        """A worker is starting the interview or carrying out the candidate's last request."""
        return self._phases.working

    @property
    def retry_pending(self) -> bool:
        return self.phase is ChatPhase.RETRY_NEEDED

    @property
    def finished(self) -> bool:
        return self.phase is ChatPhase.FINISHED

    @property
    def in_progress(self) -> bool:
        """An interview is open and not yet evaluated (quitting now leaves it to resume)."""
        return self.session is not None and not self.finished

    @property
    def practice(self) -> bool:
        return self.session is not None and self.session.state.mode == "practice"

    @property
    def conversation(self) -> Conversation:
        return self.query_one(Conversation)

    @property
    def answer_box(self) -> AnswerBox:
        return self.query_one(AnswerBox)

    def on_key(self, event: events.Key) -> None:
        type_into(self.answer_box, event, focused=self.focused)

    def on_paste(self, event: events.Paste) -> None:
        paste_into(self.answer_box, event)

    # Work

    def _enter(self, phase: ChatPhase) -> None:
        self._phases.move(phase)
        self._show_status()

    def _show_status(self) -> None:
        self.answer_box.show_status(STATUS.get(self.phase, ""))

    def _start(
        self, phase: ChatPhase, session: InterviewSession, work: Callable[[], Message], draft: str = ""
    ) -> None:
        """Enter a working phase and carry out `work` on a worker; `draft` goes back if it fails."""
        self._enter(phase)
        self.conversation.follow_newest()
        self._work.run(partial(carry_out, work, session, draft))

    def _worked(self, phase: ChatPhase) -> None:
        """A worker's result arrived: no work runs any more."""
        self._work.done()
        self._enter(phase)

    # What the candidate does

    def _takes(self, request: Request) -> bool:
        """Whether the phase takes `request` now; if not, say why when there is something to say."""
        if self._phases.takes(request):
            return True
        notice = refusal(self.phase, request)
        if notice is not None:
            self.notify(notice, severity="warning")
        return False

    def action_send(self) -> None:
        if self.finished:
            self.action_open_report()
            return
        if self.retry_pending:
            self.action_retry()
            return
        session = self.session
        if not self._takes("send") or session is None:
            return
        text = self.answer_box.answer
        if not text.strip():
            self.notify(EMPTY_NOTICE, severity="warning")
            return
        self.answer_box.clear()
        self.conversation.follow_newest()
        self._view.answer_sent(text)
        self._start(
            ChatPhase.ANALYSING, session, lambda: AnswerAnalyzed(session.submit(text), text), draft=text
        )

    def action_skip(self) -> None:
        session = self.session
        if self._takes("skip") and session is not None:
            self._start(ChatPhase.SKIPPING, session, lambda: QuestionSkipped(session.skip()))

    def action_finish(self) -> None:
        if not self._takes("finish"):
            return
        self.app.push_screen(
            ConfirmScreen(
                "End the interview now?",
                "Questions not answered yet will be marked not assessed. This cannot be undone.",
                yes="End interview",
                no="Keep going",
            ),
            self._finish_confirmed,
        )

    def _finish_confirmed(self, confirmed: bool | None) -> None:
        session = self.session
        if confirmed and session is not None and self._phases.takes("finish"):
            self._start(ChatPhase.ENDING, session, lambda: InterviewEnded(session.end()))

    def action_retry(self) -> None:
        session = self.session
        if session is None or not self._phases.takes("retry"):
            return
        if session.state.phase == "awaiting_analysis":  # else the evaluation is what is retried
            self._view.answer_resent(self._retry_text)
        services = self.services
        self._start(
            ChatPhase.RETRYING,
            session,
            lambda: WorkRetried(*retry(session, services)),
            draft=self._retry_text,
        )

    def action_scroll_conversation(self, direction: int) -> None:
        conversation = self.conversation
        scroll = conversation.scroll_page_up if direction < 0 else conversation.scroll_page_down
        scroll(animate=False)

    def action_toggle_panel(self) -> None:
        panel = self.query_one(StarPanel)
        panel.display = not panel.display

    def action_open_report(self) -> None:
        from agent.ui.screens.report import ReportScreen  # loaded at the end of an interview
        from agent.ui.screens.thanks import ThanksScreen

        session = self.session
        if session is None or not self.finished:
            return
        if session.state.mode == "practice":
            self.app.switch_screen(
                ReportScreen(self.services, session.transcript, rubric=session.state.rubric, coaching=True)
            )
        else:
            self.app.switch_screen(ThanksScreen(self.services, session.interview_id))

    @on(Button.Pressed, "#done-button")
    def _done_pressed(self) -> None:
        self.action_open_report()

    def action_back(self) -> None:
        if self.phase is ChatPhase.START_FAILED:
            self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return offers(self.phase, action, practice=self.practice)

    # Results

    def on_interview_started(self, message: InterviewStarted) -> None:
        session = self.session = message.session
        self._view.started(session)
        self._worked(ChatPhase.ANSWERING)
        if message.resumed:
            self._view.history(session)
            self.notify(f"Resumed interview {session.interview_id}.", markup=False)
        self._apply(message.update)
        if session.state.finished and not message.update.evaluation and session.evaluation:
            self._evaluated(session.evaluation)
        self.refresh_bindings()

    def on_interview_failed_to_start(self, message: InterviewFailedToStart) -> None:
        self._worked(ChatPhase.START_FAILED)
        self._notify_error(message.message, message.hint)
        self._view.start_failed()
        self.refresh_bindings()

    def on_answer_analyzed(self, message: AnswerAnalyzed) -> None:
        self._settle()
        self._apply(message.update)

    def on_question_skipped(self, message: QuestionSkipped) -> None:
        self._settle()
        self.conversation.add_note("— You skipped this question. —")
        self.query_one(StarPanel).reset()
        self._apply(message.update)

    def on_interview_ended(self, message: InterviewEnded) -> None:
        self._settle()
        self.conversation.add_note("— You ended the interview early. —")
        self._apply(message.update)

    def on_work_retried(self, message: WorkRetried) -> None:
        self.session = message.session
        self._settle()
        self._apply(message.update)
        self.refresh_bindings()

    def on_brain_failed(self, message: BrainFailed) -> None:
        self._view.answer_failed()
        outcome = after_failure(self.session, message.hint)
        if outcome.retry:
            self._retry_text = message.draft or self._retry_text
        self._worked(ChatPhase.RETRY_NEEDED if outcome.retry else ChatPhase.ANSWERING)
        self._notify_error(message.message, outcome.hint)
        if message.draft and outcome.give_back:
            self.answer_box.give_back(message.draft)
        self.refresh_bindings()

    def on_evaluation_ready(self, message: EvaluationReady) -> None:
        session = self.session
        if session is not None:
            session.close()
        invitation = self.request.invitation
        if invitation is not None:  # an invited interview is over: its link opens nothing now
            self.services.interview.finish(self.services.clock())
        self._view.done(practice=self.practice)
        self.refresh_bindings()

    def on_brain_progressed(self, message: BrainProgressed) -> None:
        """Show what a model-backed brain is doing: status, the follow-up as it is written, usage."""
        from agent.brains.llm.events import CallFinished, FellBack, FollowUpDrafted  # a model brain is loaded

        event = message.event
        status = describe_progress(event)
        if status and self.busy:
            self.answer_box.show_status(status)
        if isinstance(event, FollowUpDrafted) and self.busy:
            self._view.drafted(event.text)
        elif isinstance(event, CallFinished):
            self._view.usage(describe_usage(self._feed.add(event.usage)))
        elif isinstance(event, FellBack):
            self.notify(fallback_notice(event), title="Offline brain used", severity="warning", markup=False)

    # Helpers

    def _settle(self) -> None:
        self._view.settled()
        self._worked(ChatPhase.ANSWERING)

    def _apply(self, update: Update) -> None:
        session = self.session
        if session is None:
            return
        self._view.update(session, update)
        if update.evaluation is not None:
            self._evaluated(update.evaluation)

    def _evaluated(self, evaluation: Evaluation) -> None:
        """The interview is over; the report button appears once `EvaluationReady` is handled."""
        self._enter(ChatPhase.FINISHED)
        self.post_message(EvaluationReady(evaluation))

    def _show_elapsed(self) -> None:
        if self.session is not None and not self.finished:
            self._view.tick()

    def _notify_error(self, message: str, hint: str | None) -> None:
        text = f"{message}\n{hint}" if hint else message
        self.notify(text, title="That did not work", severity="error", timeout=10, markup=False)
