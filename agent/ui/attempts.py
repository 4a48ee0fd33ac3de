"""Group a transcript into questions and their attempts, so improvement can be shown side by side."""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.domain.star import StarAnalysis
from agent.domain.transcript import AnalysisRecord, Transcript, Turn


@dataclass(frozen=True)
class AttemptView:
    """One candidate reply: what prompted it, and the analysis of the story after it."""

    prompt: Turn | None
    reply: Turn
    analysis: StarAnalysis | None


@dataclass
class QuestionAttempts:
    question_id: str
    question: str
    number: int | None
    attempts: list[AttemptView] = field(default_factory=list)


def question_attempts(transcript: Transcript) -> list[QuestionAttempts]:
    """Every question that got a reply, in order, with each reply's analysis (if it was analysed)."""
    questions: dict[str, QuestionAttempts] = {}
    prompt: Turn | None = None
    pending: tuple[QuestionAttempts, Turn, Turn | None] | None = None

    def flush(analysis: StarAnalysis | None) -> None:
        nonlocal pending
        if pending is not None:
            group, reply, asked = pending
            group.attempts.append(AttemptView(prompt=asked, reply=reply, analysis=analysis))
            pending = None

    for record in transcript.records:
        if isinstance(record, Turn) and record.role == "interviewer":
            flush(None)
            prompt = record
            if record.ask == "question" and record.question_id:
                questions.setdefault(
                    record.question_id,
                    QuestionAttempts(record.question_id, record.text, record.question_number),
                )
        elif isinstance(record, Turn) and record.question_id:
            flush(None)
            group = questions.setdefault(
                record.question_id, QuestionAttempts(record.question_id, record.question_id, None)
            )
            pending = (group, record, prompt)
        elif (
            isinstance(record, AnalysisRecord)
            and pending is not None
            and pending[0].question_id == record.question_id
        ):
            flush(record.analysis)
    flush(None)
    return [group for group in questions.values() if group.attempts]
