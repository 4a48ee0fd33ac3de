"""Messages that carry results from workers back to screens, each named as a fact that happened."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # types only: importing this module loads none of the screens' work
    from pathlib import Path

    from agent.domain.evaluation import Evaluation
    from agent.domain.rubric import Rubric
    from agent.domain.transcript import Transcript
    from agent.reviews import Review
    from agent.session import InterviewSession, Update
    from agent.storage import DamagedTranscript, TranscriptSummary
    from agent.ui.candidate_access import Access
    from agent.ui.jobs import RubricOption
    from agent.ui.review_rows import LoadedRows, ReviewRow


class WorkerResult(Message, bubble=False):
    """A result a worker posts to its own screen; handled there, it travels no further.

    Textual resets `bubble` per subclass, so each subclass repeats `bubble=False`.
    """


class RubricsListed(WorkerResult, bubble=False):
    def __init__(self, options: list[RubricOption]) -> None:
        super().__init__()
        self.options = options


class InterviewStarted(WorkerResult, bubble=False):
    """A session is ready: freshly started, or resumed from its transcript."""

    def __init__(self, session: InterviewSession, update: Update, *, resumed: bool) -> None:
        super().__init__()
        self.session = session
        self.update = update
        self.resumed = resumed


class InterviewFailedToStart(WorkerResult, bubble=False):
    def __init__(self, message: str, hint: str | None) -> None:
        super().__init__()
        self.message = message
        self.hint = hint


class AnswerAnalyzed(WorkerResult, bubble=False):
    """The candidate's answer was saved and analysed; the update holds what comes next."""

    def __init__(self, update: Update, answer: str) -> None:
        super().__init__()
        self.update = update
        self.answer = answer


class QuestionSkipped(WorkerResult, bubble=False):
    def __init__(self, update: Update) -> None:
        super().__init__()
        self.update = update


class InterviewEnded(WorkerResult, bubble=False):
    """The candidate ended the interview early; the update holds the closing turn."""

    def __init__(self, update: Update) -> None:
        super().__init__()
        self.update = update


class WorkRetried(WorkerResult, bubble=False):
    """Unfinished work (an analysis or the evaluation) was carried out again after a failure."""

    def __init__(self, session: InterviewSession, update: Update) -> None:
        super().__init__()
        self.session = session
        self.update = update


class EvaluationReady(WorkerResult, bubble=False):
    def __init__(self, evaluation: Evaluation) -> None:
        super().__init__()
        self.evaluation = evaluation


class BrainFailed(WorkerResult, bubble=False):
    """Slow work failed; `draft` is the candidate's text to give back, if any."""

    def __init__(self, message: str, hint: str | None, *, draft: str = "") -> None:
        super().__init__()
        self.message = message
        self.hint = hint
        self.draft = draft


class HistoryLoaded(WorkerResult, bubble=False):
    def __init__(
        self, summaries: list[TranscriptSummary], damaged: list[DamagedTranscript] | None = None
    ) -> None:
        super().__init__()
        self.summaries = summaries
        self.damaged = damaged or []


class TranscriptLoaded(WorkerResult, bubble=False):
    """A stored interview was read, with its rubric when that still loads."""

    def __init__(self, transcript: Transcript, rubric: Rubric | None) -> None:
        super().__init__()
        self.transcript = transcript
        self.rubric = rubric


class LoadFailed(WorkerResult, bubble=False):
    def __init__(self, message: str, hint: str | None) -> None:
        super().__init__()
        self.message = message
        self.hint = hint


class ReportExported(WorkerResult, bubble=False):
    def __init__(self, paths: list[Path]) -> None:
        super().__init__()
        self.paths = paths


class ExportFailed(WorkerResult, bubble=False):
    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


class InvitationChecked(WorkerResult, bubble=False):
    """Candidate mode: whether the invitation may start an interview."""

    def __init__(self, access: Access) -> None:
        super().__init__()
        self.access = access


class ReviewListLoaded(WorkerResult, bubble=False):
    def __init__(self, loaded: LoadedRows) -> None:
        super().__init__()
        self.loaded = loaded


class DecisionsReread(WorkerResult, bubble=False):
    """The reviewer's decisions were read again for rows already listed."""

    def __init__(self, rows: list[ReviewRow], seen: int) -> None:
        super().__init__()
        self.rows = rows
        self.seen = seen  # how many decisions the screen had recorded when the reading started


class DecisionRecorded(WorkerResult, bubble=False):
    def __init__(self, review: Review) -> None:
        super().__init__()
        self.review = review


class DecisionFailed(WorkerResult, bubble=False):
    def __init__(self, message: str, hint: str | None) -> None:
        super().__init__()
        self.message = message
        self.hint = hint


class InterviewOpened(WorkerResult, bubble=False):
    """A stored interview was read for review, with its rubric (None if it no longer loads)."""

    def __init__(self, transcript: Transcript, rubric: Rubric | None, review: Review) -> None:
        super().__init__()
        self.transcript = transcript
        self.rubric = rubric
        self.review = review
