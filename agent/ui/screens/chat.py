"""The interview itself: conversation, answer box, progress, and the practice STAR panel.

Session calls run in thread workers; their results come back as messages and only the handlers
change what is on screen, so typing never freezes while the brain works.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Static

from agent.domain.transcript import AnalysisRecord, Turn
from agent.session import InterviewSession, Update
from agent.ui.brain_feed import (
    BrainFeed,
    BrainProgressed,
    describe_progress,
    describe_usage,
    fallback_notice,
)
from agent.ui.jobs import StartRequest, describe, retry, start_session
from agent.ui.labels import elapsed_text
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
from agent.ui.session_view import after_failure, last_analysis, next_interviewer_turn, star_view, where
from agent.ui.widgets.answer_box import AnswerBox
from agent.ui.widgets.candidate_message import CandidateMessage
from agent.ui.widgets.conversation import Conversation
from agent.ui.widgets.interviewer_message import InterviewerMessage
from agent.ui.widgets.key_bar import KeyBar
from agent.ui.widgets.progress_line import ProgressLine
from agent.ui.widgets.star_panel import StarPanel

BUSY_NOTICE = "Still working on your last answer. Your text stays in the box; send it when this finishes."
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
        self.busy = False
        self.retry_pending = False
        self.finished = False
        self._retry_text = ""
        self._pending: CandidateMessage | None = None
        self._feed = BrainFeed(self)
        self._heading = ""
        self._draft: InterviewerMessage | None = None
        self._draft_shown = 0
        self._shown_seq = -1
        self._question: int | None = None
        self._question_started: datetime = services.clock()
        self._failed_to_start = False
        self._close_when_done = False

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
        self.query_one(StarPanel).display = self.request.mode == "practice" and not self.request.resume_id
        self.query_one("#done").display = False
        self.progress.show(heading="Starling", progress="Preparing the interview…")
        if self._typed:
            self.answer_box.insert(self._typed)
        self.answer_box.focus()
        self.set_interval(1.0, self._show_elapsed)
        self._set_busy("Preparing…")
        self._begin()

    def on_unmount(self) -> None:
        """Leaving the screen mid-interview loses nothing: every turn is on disk. Close the file."""
        session = self.session
        if session is not None:
            if not self.finished and not self.services.options.candidate_mode:
                self.app.notify(
                    f"Interview {session.interview_id} is saved; resume it from History.", markup=False
                )
            if self.busy:
                self._close_when_done = True  # a worker is still writing; it closes the file after
            else:
                session.close()

    @property
    def progress(self) -> ProgressLine:
        return self.query_one(ProgressLine)

    @property
    def conversation(self) -> Conversation:
        return self.query_one(Conversation)

    @property
    def answer_box(self) -> AnswerBox:
        return self.query_one(AnswerBox)

    @property
    def practice(self) -> bool:
        return self.session is not None and self.session.state.mode == "practice"

    @property
    def in_progress(self) -> bool:
        """An interview is open and not yet evaluated (quitting now leaves it to resume)."""
        return self.session is not None and not self.finished

    def on_key(self, event: events.Key) -> None:
        """Typing that did not reach the answer box types into it.

        That is typing with the focus elsewhere (the conversation), and typing that arrived while
        this screen was still being built, before the box had the focus. (The box itself takes
        every printable key, so none of those reaches the screen twice.)
        """
        box = self.answer_box
        if not box.display:
            return
        if event.is_printable and event.character:
            text = event.character
        elif event.key in {"enter", "ctrl+j"} and self.focused in (None, box):
            text = "\n"  # typed ahead, or a newline the box does not bind
        else:
            return
        event.stop()
        event.prevent_default()
        box.focus()
        box.insert(text)

    def on_paste(self, event: events.Paste) -> None:
        """A paste that did not reach the answer box (the focus was elsewhere) goes into it."""
        box = self.answer_box
        if box.display:
            event.stop()
            box.focus()
            box.post_message(events.Paste(event.text))

    # Workers

    @work(thread=True, group="session")
    def _begin(self) -> None:
        try:
            session, update = start_session(self.services, self.request, listener=self._feed)
        except Exception as error:  # noqa: BLE001 - a worker reports every failure as a message
            self.post_message(InterviewFailedToStart(*describe(error)))
            return
        self.post_message(InterviewStarted(session, update, resumed=self.request.resume_id is not None))

    @work(thread=True, group="session")
    def _call(self, action: Callable[[], Message], draft: str = "") -> None:
        try:
            message: Message = action()
        except Exception as error:  # noqa: BLE001 - a worker reports every failure as a message
            text, hint = describe(error)
            message = BrainFailed(text, hint, draft=draft)
        if self._close_when_done and self.session is not None:
            self.session.close()
        self.post_message(message)

    # What the candidate does

    def action_send(self) -> None:
        if self.finished:
            self.action_open_report()
            return
        session = self.session
        if session is None or self.busy:
            self.notify(self._not_ready_notice(), severity="warning")
            return
        if self.retry_pending:
            self.action_retry()
            return
        text = self.answer_box.answer
        if not text.strip():
            self.notify(EMPTY_NOTICE, severity="warning")
            return
        self.answer_box.clear()
        self.conversation.follow_newest()
        self._pending = self.conversation.add_answer(text)
        self._set_busy("Reading your answer…")
        self._call(lambda: AnswerAnalyzed(session.submit(text), text), draft=text)

    def action_skip(self) -> None:
        session = self.session
        if session is None or self.busy or self.finished:
            if self.busy:
                self.notify(BUSY_NOTICE, severity="warning")
            return
        self._set_busy("Skipping…")
        self.conversation.follow_newest()
        self._call(lambda: QuestionSkipped(session.skip()))

    def action_finish(self) -> None:
        if self.session is None or self.finished:
            return
        if self.busy:
            self.notify(BUSY_NOTICE, severity="warning")
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
        if not confirmed or session is None or self.busy or self.finished:
            return
        self._set_busy("Ending…")
        self.conversation.follow_newest()
        self._call(lambda: InterviewEnded(session.end()))

    def action_retry(self) -> None:
        session = self.session
        if session is None or not self.retry_pending or self.busy:
            return
        typed = self.answer_box.answer
        if session.state.phase == "awaiting_analysis":
            if typed.strip() == self._retry_text.strip():
                self.answer_box.clear()
            elif typed.strip():
                self.notify(
                    "Your answer was saved as first sent; trying its analysis again. "
                    "Your changes stay in the box for your next reply.",
                    markup=False,
                )
            self._pending = self.conversation.add_answer(self._retry_text)
        self._set_busy("Trying again…")
        self.conversation.follow_newest()
        services = self.services
        self._call(lambda: WorkRetried(*retry(session, services)), draft=self._retry_text)

    def action_scroll_conversation(self, direction: int) -> None:
        conversation = self.conversation
        if direction < 0:
            conversation.scroll_page_up(animate=False)
        else:
            conversation.scroll_page_down(animate=False)

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
        if self._failed_to_start:
            self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self._failed_to_start
        if action == "retry":
            return self.retry_pending
        if action == "toggle_panel":
            return self.practice and not self.finished
        if action in {"send", "skip", "finish"}:
            return not self.finished
        return True

    # Results

    def on_interview_started(self, message: InterviewStarted) -> None:
        session = self.session = message.session
        practice = session.state.mode == "practice"
        self.conversation.show_targets = practice
        self.query_one(StarPanel).display = practice
        mode = "Practice" if practice else "Assessment"
        self._heading = f"{mode} · {session.state.rubric.title}"
        self.progress.show(heading=self._heading)
        self._set_busy("")
        if message.resumed:
            self._show_history(session)
            self.notify(f"Resumed interview {session.interview_id}.", markup=False)
        self._apply(message.update)
        if session.state.finished and not message.update.evaluation and session.evaluation:
            self.post_message(EvaluationReady(session.evaluation))
        self.refresh_bindings()

    def on_interview_failed_to_start(self, message: InterviewFailedToStart) -> None:
        self._set_busy("")
        self.progress.show(progress="Could not start")
        self._notify_error(message.message, message.hint)
        self.conversation.add_note("The interview could not start. Press escape to go back.")
        self._failed_to_start = True
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
        self.retry_pending = False
        self._settle()
        self._apply(message.update)
        self.refresh_bindings()

    def on_brain_failed(self, message: BrainFailed) -> None:
        self._set_busy("")
        if self._pending is not None:
            self._pending.remove()
            self._pending = None
        outcome = after_failure(self.session, message.hint)
        if outcome.retry:
            self.retry_pending = True
            self._retry_text = message.draft or self._retry_text
            self.answer_box.show_status("Press ctrl+s to try again")
        self._notify_error(message.message, outcome.hint)
        if message.draft and outcome.give_back:
            self.answer_box.give_back(message.draft)
        self.refresh_bindings()

    def on_evaluation_ready(self, message: EvaluationReady) -> None:
        self.finished = True
        session = self.session
        if session is not None:
            session.close()
        invitation = self.request.invitation
        if invitation is not None:  # an invited interview is over: its link opens nothing now
            self.services.interview.finish(self.services.clock())
        practice = self.practice
        self.answer_box.display = False
        done = self.query_one("#done")
        done.display = True
        label = "Your report is ready." if practice else "Thank you. Your answers are saved."
        self.query_one("#done-text", Static).update(Content(label))
        button = self.query_one("#done-button", Button)
        button.label = "See your report (enter)" if practice else "Finish (enter)"
        button.focus()
        self.progress.show(progress="Interview complete", elapsed="")
        self.refresh_bindings()

    # Helpers

    def _apply(self, update: Update) -> None:
        session = self.session
        if session is None:
            return
        for turn in update.turns:
            if turn.seq > self._shown_seq:
                # The greeting is there at once, so the first question starts appearing sooner.
                self.conversation.say(turn, instant=turn.ask == "opening")
                self._shown_seq = turn.seq
        if update.analyses:
            record = update.analyses[-1]
            self._show_analysis(session, record, next_interviewer_turn(update.turns, record.seq))
        self._show_progress(session)
        if update.evaluation is not None:
            self.post_message(EvaluationReady(update.evaluation))

    def _show_history(self, session: InterviewSession) -> None:
        """Everything said before a resume, at once; the STAR panel shows the last analysis."""
        for turn in session.turns:
            if turn.role == "interviewer":
                self.conversation.say(turn, instant=True)
                self._shown_seq = turn.seq
            else:
                self.conversation.add_answer(turn.text)
        record = last_analysis(session)
        if record is not None:
            self._show_analysis(session, record, next_interviewer_turn(session.turns, record.seq))

    def _show_analysis(
        self, session: InterviewSession, record: AnalysisRecord, next_turn: Turn | None
    ) -> None:
        if session.state.mode != "practice":
            return  # assessment: no coaching, no hints
        view = star_view(session, record, next_turn)
        self.query_one(StarPanel).show(
            record.analysis, question=view.question, attempt=view.attempt, why=view.why
        )

    def _show_progress(self, session: InterviewSession) -> None:
        now = where(session)
        if now.question != self._question:
            self._question = now.question
            self._question_started = self.services.clock()
        self.progress.show(progress=now.text)
        self._show_elapsed()

    def _show_elapsed(self) -> None:
        if self.session is None or self.finished or self._question is None:
            return
        seconds = (self.services.clock() - self._question_started).total_seconds()
        self.progress.show(elapsed=f"{elapsed_text(seconds)} on Q{self._question}")

    def _not_ready_notice(self) -> str:
        if self._failed_to_start:
            return "The interview could not start. Press escape to go back."
        return BUSY_NOTICE if self.session is not None else "The interview is still starting."

    def _set_busy(self, status: str) -> None:
        self.busy = bool(status)
        self.answer_box.show_status(status)

    def _settle(self) -> None:
        self._pending = None
        self._set_busy("")
        if self._draft is not None:  # the asked turn replaces the model's draft
            self._draft.remove()
            self._draft = None

    def on_brain_progressed(self, message: BrainProgressed) -> None:
        """Show what a model-backed brain is doing: status, the follow-up as it is written, usage."""
        from agent.brains.llm.events import CallFinished, FellBack, FollowUpDrafted  # a model brain is loaded

        event = message.event
        status = describe_progress(event)
        if status and self.busy:
            self._set_busy(status)
        if isinstance(event, FollowUpDrafted) and self.busy:
            if self._draft is None:
                self._draft = self.conversation.start_message("Interviewer · writing…", kind="followup")
                self._draft_shown = 0
            self.conversation.append_to(self._draft, event.text[self._draft_shown :])
            self._draft_shown = len(event.text)
        elif isinstance(event, CallFinished):
            self.progress.show(heading=f"{self._heading} · {describe_usage(self._feed.add(event.usage))}")
        elif isinstance(event, FellBack):
            self.notify(fallback_notice(event), title="Offline brain used", severity="warning", markup=False)

    def _notify_error(self, message: str, hint: str | None) -> None:
        text = f"{message}\n{hint}" if hint else message
        self.notify(text, title="That did not work", severity="error", timeout=10, markup=False)
