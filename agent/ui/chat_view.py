"""What the interview screen shows of its session: conversation, STAR panel, progress line, the end.

`ChatView` keeps only what it needs to draw the session without repeating or losing anything
(which turns are shown, the answer being read, the model's draft, when the question started).
Where the interview stands is the screen's phase, not the view's: the screen says what to show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from agent.domain.transcript import AnalysisRecord, Turn
from agent.session import InterviewSession, Update
from agent.ui.labels import elapsed_text
from agent.ui.session_view import last_analysis, star_view, where
from agent.ui.widgets.answer_box import AnswerBox
from agent.ui.widgets.candidate_message import CandidateMessage
from agent.ui.widgets.conversation import Conversation
from agent.ui.widgets.interviewer_message import InterviewerMessage
from agent.ui.widgets.progress_line import ProgressLine
from agent.ui.widgets.star_panel import StarPanel


class ChatView:
    """Draws an interview session on the chat screen's widgets."""

    def __init__(self, screen: Screen[None], clock: Callable[[], datetime]) -> None:
        self._screen = screen
        self._clock = clock
        self._shown_seq = -1
        self._pending: CandidateMessage | None = None
        self._draft: InterviewerMessage | None = None
        self._draft_shown = 0
        self._heading = ""
        self._question: int | None = None
        self._question_started = clock()

    @property
    def conversation(self) -> Conversation:
        return self._screen.query_one(Conversation)

    @property
    def progress(self) -> ProgressLine:
        return self._screen.query_one(ProgressLine)

    @property
    def panel(self) -> StarPanel:
        return self._screen.query_one(StarPanel)

    # What happened

    def preparing(self, *, practice: bool) -> None:
        """Before the session is there: the panel as the request's mode expects, no report button."""
        self.panel.display = practice
        self._screen.query_one("#done").display = False
        self.progress.show(heading="Starling", progress="Preparing the interview…")

    def started(self, session: InterviewSession) -> None:
        """The screen fits the mode: practice shows the STAR panel and what each follow-up probes."""
        practice = session.state.mode == "practice"
        self.conversation.show_targets = practice
        self.panel.display = practice
        mode = "Practice" if practice else "Assessment"
        self.heading(f"{mode} · {session.state.rubric.title}")

    def start_failed(self) -> None:
        self.progress.show(progress="Could not start")
        self.conversation.add_note("The interview could not start. Press escape to go back.")

    def update(self, session: InterviewSession, update: Update) -> None:
        """What one request produced: the new interviewer turns, the last analysis, where it stands."""
        self.say(update.turns)
        if update.analyses:
            self.analysis(session, update.analyses[-1])
        self.where(session)

    # The conversation

    def say(self, turns: Iterable[Turn]) -> None:
        """The interviewer turns not shown yet, in order."""
        conversation = self.conversation
        for turn in turns:
            if turn.seq > self._shown_seq:
                # The greeting is there at once, so the first question starts appearing sooner.
                conversation.say(turn, instant=turn.ask == "opening")
                self._shown_seq = turn.seq

    def history(self, session: InterviewSession) -> None:
        """Everything said before a resume, at once; the STAR panel shows the last analysis."""
        conversation = self.conversation
        for turn in session.turns:
            if turn.role == "interviewer":
                conversation.say(turn, instant=True)
                self._shown_seq = turn.seq
            else:
                conversation.add_answer(turn.text)
        record = last_analysis(session)
        if record is not None:
            self.analysis(session, record)

    def answer_sent(self, text: str) -> None:
        """The candidate's answer, shown while it is read; it goes again if reading it fails."""
        self._pending = self.conversation.add_answer(text)

    def answer_resent(self, saved: str) -> None:
        """The saved answer is shown again while its analysis is retried.

        The box is emptied when it still holds that answer; changed text stays for the next reply.
        """
        box = self._screen.query_one(AnswerBox)
        typed = box.answer
        if typed.strip() == saved.strip():
            box.clear()
        elif typed.strip():
            self._screen.notify(
                "Your answer was saved as first sent; trying its analysis again. "
                "Your changes stay in the box for your next reply.",
                markup=False,
            )
        self.answer_sent(saved)

    def answer_failed(self) -> None:
        if self._pending is not None:
            self._pending.remove()
            self._pending = None

    def settled(self) -> None:
        """The work is done: the answer stays, and the asked turn replaces the model's draft."""
        self._pending = None
        if self._draft is not None:
            self._draft.remove()
            self._draft = None

    def drafted(self, text: str) -> None:
        """A model brain's follow-up as written so far (each event carries the whole text)."""
        conversation = self.conversation
        if self._draft is None:
            self._draft = conversation.start_message("Interviewer · writing…", kind="followup")
            self._draft_shown = 0
        conversation.append_to(self._draft, text[self._draft_shown :])
        self._draft_shown = len(text)

    # The STAR panel

    def analysis(self, session: InterviewSession, record: AnalysisRecord) -> None:
        """What the analysis found and why the interviewer moved as it did (practice only)."""
        if session.state.mode != "practice":
            return  # assessment: no coaching, no hints
        view = star_view(session, record)
        self.panel.show(record.analysis, question=view.question, attempt=view.attempt, why=view.why)

    # The progress line

    def heading(self, heading: str) -> None:
        self._heading = heading
        self.progress.show(heading=heading)

    def usage(self, usage: str) -> None:
        """What a model brain has cost so far, after the heading."""
        self.progress.show(heading=f"{self._heading} · {usage}")

    def where(self, session: InterviewSession) -> None:
        """The question being asked; its clock starts again when the question changes."""
        now = where(session)
        if now.question != self._question:
            self._question = now.question
            self._question_started = self._clock()
        self.progress.show(progress=now.text)
        self.tick()

    def tick(self) -> None:
        """The time on the current question, once one is asked."""
        if self._question is None:
            return
        seconds = (self._clock() - self._question_started).total_seconds()
        self.progress.show(elapsed=f"{elapsed_text(seconds)} on Q{self._question}")

    # The end

    def done(self, *, practice: bool) -> None:
        """The answer box gives way to the button that opens the report (or says thank you)."""
        screen = self._screen
        screen.query_one(AnswerBox).display = False
        screen.query_one("#done").display = True
        label = "Your report is ready." if practice else "Thank you. Your answers are saved."
        screen.query_one("#done-text", Static).update(Content(label))
        button = screen.query_one("#done-button", Button)
        button.label = "See your report (enter)" if practice else "Finish (enter)"
        button.focus()
        self.progress.show(progress="Interview complete", elapsed="")
