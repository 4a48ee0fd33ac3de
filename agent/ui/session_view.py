"""What the chat screen shows about a session, worked out from its records (pure, no widgets)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content

from agent.domain.followup_choice import FollowUpChoice
from agent.domain.transcript import AnalysisRecord
from agent.session import InterviewSession
from agent.ui.labels import progress_text
from agent.ui.widgets.star_panel import why_next


@dataclass(frozen=True)
class Where:
    """The question being asked (by plan position) and the line that says so."""

    question: int | None
    text: str


@dataclass(frozen=True)
class StarView:
    """What the STAR panel shows after an analysis."""

    question: int | None
    attempt: int
    why: Content


def where(session: InterviewSession) -> Where:
    asked = [t for t in session.turns if t.role == "interviewer"]
    last = asked[-1] if asked else None
    number = last.question_number if last else None
    text = progress_text(
        question=number,
        total=len(session.state.questions),
        followup=last.followup_number if last else None,
        max_followups=session.state.config.max_followups,
        finished=session.state.finished,
    )
    part = session.state.rubric.part_for(last.question_id) if last and last.question_id else None
    if part is not None and not session.state.finished:
        text += f" · {part.title}"  # a kit: which competency this question is about
    return Where(number, text)


def star_view(session: InterviewSession, record: AnalysisRecord) -> StarView:
    """The panel for one analysis: which question and attempt it was, and why the interview went on."""
    questions = session.state.questions
    number = next((i for i, q in enumerate(questions, 1) if q.question_id == record.question_id), None)
    attempt = sum(1 for t in session.turns if t.role == "candidate" and t.question_id == record.question_id)
    return StarView(number, attempt, why_next(choice_after(session, record)))


def choice_after(session: InterviewSession, record: AnalysisRecord) -> FollowUpChoice | None:
    """What the policy chose to do after this analysis, and why, as its state keeps it.

    The question's n-th analysis record is the analysis of its n-th reply.
    """
    progress = next((q for q in session.state.questions if q.question_id == record.question_id), None)
    if progress is None:
        return None
    analysed = sum(
        1
        for r in session.records
        if isinstance(r, AnalysisRecord) and r.question_id == record.question_id and r.seq <= record.seq
    )
    attempts = progress.attempts
    return attempts[analysed - 1].choice if 0 < analysed <= len(attempts) else None


def last_analysis(session: InterviewSession) -> AnalysisRecord | None:
    found = [r for r in session.records if isinstance(r, AnalysisRecord)]
    return found[-1] if found else None


@dataclass(frozen=True)
class FailureOutcome:
    """After slow work failed: whether retrying is possible, what to say, whether to return the text."""

    retry: bool
    hint: str | None
    give_back: bool


def after_failure(session: InterviewSession | None, hint: str | None) -> FailureOutcome:
    """The answer may already be on disk (the session records it before analysing): then only the
    brain's work is missing and retrying carries it out, without sending the answer twice."""
    if session is None:
        return FailureOutcome(retry=False, hint=hint, give_back=True)
    phase = session.state.phase
    if phase == "awaiting_analysis":
        return FailureOutcome(True, "Your answer is saved. Press ctrl+s (or ctrl+r) to try again.", True)
    if session.state.finished and session.evaluation is None:
        return FailureOutcome(True, "Press ctrl+s (or ctrl+r) to try again.", False)
    return FailureOutcome(retry=False, hint=hint, give_back=phase == "awaiting_answer")
