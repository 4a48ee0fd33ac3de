"""The imperative shell around the pure interview flow: runs `step`, carries out actions, persists.

Every record is on disk before the next interviewer message is returned, so a crash at any point
loses nothing, and `resume` rebuilds the state by replaying the transcript through `step`.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from agent import __version__
from agent.answers import check_answer
from agent.brains.protocol import Brain, InterviewFacts
from agent.domain.evaluation import Evaluation
from agent.domain.policy import (
    Analyze,
    AnswerAnalyzed,
    AnswerSubmitted,
    Ask,
    EndRequested,
    Evaluate,
    InterviewConfig,
    InterviewState,
    InvalidEvent,
    Mode,
    QuestionSkipped,
    Started,
    asked_followups,
    new_interview,
    step,
)
from agent.domain.rubric import Rubric
from agent.domain.transcript import (
    AnalysisRecord,
    BodyRecord,
    ControlRecord,
    EvaluationRecord,
    Header,
    Transcript,
    Turn,
)
from agent.errors import InputError, TranscriptError
from agent.storage import TranscriptStore, TranscriptWriter

Clock = Callable[[], datetime]
AnyEvent = Started | AnswerSubmitted | AnswerAnalyzed | QuestionSkipped | EndRequested


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_interview_id(now: datetime) -> str:
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


@dataclass
class Update:
    """What one user action produced, in order: interviewer turns, analyses and the evaluation."""

    turns: list[Turn] = field(default_factory=list)
    analyses: list[AnalysisRecord] = field(default_factory=list)
    evaluation: Evaluation | None = None


class InterviewSession:
    """One interview in progress, bound to its transcript file."""

    def __init__(
        self,
        *,
        state: InterviewState,
        header: Header,
        writer: TranscriptWriter,
        brain: Brain,
        records: list[BodyRecord] | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.state = state
        self.header = header
        self.brain = brain
        self._writer = writer
        self._clock = clock
        self.records: list[BodyRecord] = list(records or [])

    # Construction

    @classmethod
    def start(
        cls,
        *,
        rubric: Rubric,
        brain: Brain,
        store: TranscriptStore,
        mode: Mode = "practice",
        config: InterviewConfig | None = None,
        plan: list[str] | None = None,
        candidate: str | None = None,
        invitation: str | None = None,
        clock: Clock = utc_now,
        interview_id: str | None = None,
    ) -> tuple[InterviewSession, Update]:
        """Plan a new interview, write its header, and return the opening and first question."""
        state = new_interview(rubric, mode=mode, config=config, plan=plan)
        now = clock()
        header = Header(
            seq=0,
            at=now,
            interview_id=interview_id or new_interview_id(now),
            rubric_id=rubric.id,
            rubric_version=rubric.version,
            rubric_hash=rubric.content_hash(),
            mode=mode,
            config=state.config,
            plan=[q.question_id for q in state.questions],
            brain=brain.name,
            starling_version=__version__,
            candidate=candidate,
            invitation=invitation,
        )
        session = cls(state=state, header=header, writer=store.create(header), brain=brain, clock=clock)
        return session, session._dispatch(Started())

    @classmethod
    def resume(
        cls,
        *,
        transcript: Transcript,
        rubric: Rubric,
        brain: Brain,
        store: TranscriptStore,
        clock: Clock = utc_now,
    ) -> tuple[InterviewSession, Update]:
        """Rebuild an interrupted interview from its transcript and carry out any unfinished work.

        Returns the session and the interviewer turns still waiting to be answered.
        """
        header = transcript.header
        if rubric.id != header.rubric_id:
            raise TranscriptError(
                f"Transcript {header.interview_id} uses rubric '{header.rubric_id}', not '{rubric.id}'."
            )
        writer = store.open_for_append(header.interview_id)
        try:
            # Read again under the lock: another process may have written since `transcript` was read.
            transcript = store.load(header.interview_id)
            state, asked = _rebuild(rubric, transcript)
        except BaseException:
            writer.close()
            raise
        shown = sum(1 for r in transcript.records if isinstance(r, Turn) and r.role == "interviewer")
        session = cls(
            state=state,
            header=transcript.header,
            writer=writer,
            brain=brain,
            records=list(transcript.records),
            clock=clock,
        )
        update = Update()
        for ask in asked[shown:]:  # asked by the flow but never written before the interruption
            session._carry_out(ask, update)
        if session.state.phase == "awaiting_analysis":
            last = session._last_analyze()
            session._carry_out(last, update)
        if session.state.finished and transcript.evaluation is None and update.evaluation is None:
            session._carry_out(Evaluate(), update)
        if not update.turns:
            update.turns = [t for t in session.turns if t.role == "interviewer"][-1:]
        return session, update

    # What the user does

    def submit(self, text: str) -> Update:
        """Record a candidate reply, analyse it, and return what the interviewer says next."""
        check_answer(text, self.interview_id)
        if self.state.phase != "awaiting_answer":
            raise InputError("The interview is not waiting for an answer right now.")
        return self._dispatch(AnswerSubmitted(text=text))

    def skip(self) -> Update:
        if self.state.phase != "awaiting_answer":
            raise InputError("There is no question to skip right now.")
        self._write(ControlRecord(seq=self._seq(), at=self._clock(), control="skip"))
        return self._dispatch(QuestionSkipped())

    def end(self) -> Update:
        if self.state.finished:
            raise InputError("The interview has already ended.")
        self._write(ControlRecord(seq=self._seq(), at=self._clock(), control="end"))
        return self._dispatch(EndRequested())

    def close(self) -> None:
        self._writer.close()

    # Views

    @property
    def interview_id(self) -> str:
        return self.header.interview_id

    @property
    def turns(self) -> list[Turn]:
        return [r for r in self.records if isinstance(r, Turn)]

    @property
    def transcript(self) -> Transcript:
        return Transcript(header=self.header, records=list(self.records))

    @property
    def evaluation(self) -> Evaluation | None:
        return self.transcript.evaluation

    # Machinery

    def _dispatch(self, event: AnyEvent) -> Update:
        update = Update()
        if isinstance(event, AnswerSubmitted):
            current = self.state.current
            self._write(
                Turn(
                    seq=self._seq(),
                    at=self._clock(),
                    role="candidate",
                    text=event.text,
                    question_id=current.question_id if current else None,
                )
            )
        transition = step(self.state, event)
        self.state = transition.state
        for action in transition.actions:
            self._carry_out(action, update)
        return update

    def _carry_out(self, action: Ask | Analyze | Evaluate, update: Update) -> None:
        if isinstance(action, Ask):
            turn = Turn(
                seq=self._seq(),
                at=self._clock(),
                role="interviewer",
                text=action.text,
                ask=action.ask,
                question_id=action.question_id,
                target=action.target,
                reason=action.reason,
                question_number=action.question_number,
                followup_number=action.followup_number,
            )
            self._write(turn)
            update.turns.append(turn)
        elif isinstance(action, Analyze):
            analysis = self.brain.analyze(
                action.question,
                action.replies,
                action.probes,
                topic=self.state.rubric.topic_for(action.question_id),
            )
            record = AnalysisRecord(
                seq=self._seq(), at=self._clock(), question_id=action.question_id, analysis=analysis
            )
            self._write(record)
            update.analyses.append(record)
            follow = self._dispatch(AnswerAnalyzed(analysis=analysis))
            update.turns.extend(follow.turns)
            update.analyses.extend(follow.analyses)
            update.evaluation = follow.evaluation or update.evaluation
        else:
            facts = InterviewFacts(
                interview_id=self.interview_id,
                started_at=self.header.at,
                evaluated_at=self._clock(),
                starling_version=__version__,
            )
            evaluation = self.brain.evaluate(self.state, facts)
            self._write(
                EvaluationRecord(
                    seq=self._seq(), at=self._clock(), evaluation=evaluation, usage=evaluation.usage
                )
            )
            update.evaluation = evaluation

    def _last_analyze(self) -> Analyze:
        current = self.state.current
        assert current is not None
        rubric = self.state.rubric
        return Analyze(
            question_id=current.question_id,
            question=rubric.question(current.question_id).text,
            replies=tuple(current.replies),
            probes=asked_followups(rubric, current),
        )

    def _write(self, record: BodyRecord) -> None:
        self._writer.append(record)
        self.records.append(record)

    def _seq(self) -> int:
        return (self.records[-1].seq if self.records else self.header.seq) + 1


def _rebuild(rubric: Rubric, transcript: Transcript) -> tuple[InterviewState, list[Ask]]:
    """The state of an interview replayed from its transcript, or a TranscriptError saying why not."""
    header = transcript.header
    try:
        state = new_interview(rubric, mode=header.mode, config=header.config, plan=header.plan)
    except KeyError as error:
        raise TranscriptError(
            f"Rubric '{rubric.id}' no longer has question {error}, which this interview used.",
            hint="Restore the rubric version the interview started with to resume it.",
        ) from error
    try:
        return replay(state, transcript)
    except InvalidEvent as error:
        raise TranscriptError(
            f"Interview {header.interview_id} cannot be continued: its records do not follow on ({error}).",
            hint=f"It can still be read: starling transcripts show {header.interview_id}",
        ) from error


def replay(state: InterviewState, transcript: Transcript) -> tuple[InterviewState, list[Ask]]:
    """Feed a transcript's events through `step`; return the state and every Ask the flow made."""
    asked: list[Ask] = []

    def run(event: AnyEvent) -> None:
        nonlocal state
        transition = step(state, event)
        state = transition.state
        asked.extend(a for a in transition.actions if isinstance(a, Ask))

    run(Started())
    for record in transcript.records:
        if isinstance(record, Turn) and record.role == "candidate":
            run(AnswerSubmitted(text=record.text))
        elif isinstance(record, AnalysisRecord):
            run(AnswerAnalyzed(analysis=record.analysis))
        elif isinstance(record, ControlRecord):
            run(QuestionSkipped() if record.control == "skip" else EndRequested())
    return state, asked
