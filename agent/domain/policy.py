"""The interview flow as a pure state machine: `step(state, event) -> Transition(state, actions)`.

Nothing here does I/O. The session runner carries out the actions (asks, analyses, evaluates,
persists) and feeds the results back as events, so the CLI, the UI and the evals share one flow.
"""

from __future__ import annotations

import random
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from agent.domain.defaults import DEFAULT_MAX_FOLLOWUPS as DEFAULT_MAX_FOLLOWUPS
from agent.domain.defaults import DEFAULT_QUESTION_COUNT as DEFAULT_QUESTION_COUNT
from agent.domain.followup_choice import FollowUpChoice, choose_followup
from agent.domain.rubric import Rubric
from agent.domain.star import FollowUpTarget, StarAnalysis

Mode = Literal["practice", "assessment"]
Phase = Literal["ready", "awaiting_answer", "awaiting_analysis", "closed"]
QuestionStatus = Literal["pending", "active", "done", "skipped", "declined"]
AskKind = Literal["opening", "question", "followup", "closing"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class InterviewConfig(_Frozen):
    """How an interview is planned and how far each question is probed."""

    question_count: int = Field(default=DEFAULT_QUESTION_COUNT, ge=1, le=12)
    max_followups: int = Field(default=DEFAULT_MAX_FOLLOWUPS, ge=0, le=4)
    seed: int = 0


class Attempt(_Frozen):
    """One candidate reply to a question or follow-up, the analysis of the story so far, and
    what the interviewer chose to do next because of it (and why)."""

    reply: str
    prompt_kind: Literal["question", "followup"]
    target: FollowUpTarget | None = None
    analysis: StarAnalysis | None = None
    choice: FollowUpChoice | None = None


class QuestionProgress(_Frozen):
    """Where one planned question stands."""

    question_id: str
    status: QuestionStatus = "pending"
    attempts: tuple[Attempt, ...] = ()
    probed: tuple[FollowUpTarget, ...] = ()
    not_evidenced: tuple[str, ...] = ()

    @property
    def replies(self) -> list[str]:
        return [attempt.reply for attempt in self.attempts]

    @property
    def latest_analysis(self) -> StarAnalysis | None:
        """The analysis of the story so far, which is what the question is scored on.

        A declined follow-up adds nothing to the story (its target goes to `not_evidenced`),
        so the analysis before it stands; only a question declined outright has a declined one.
        """
        analysed = [attempt.analysis for attempt in self.attempts if attempt.analysis is not None]
        for analysis in reversed(analysed):
            if not analysis.declined:
                return analysis
        return analysed[-1] if analysed else None


class InterviewState(_Frozen):
    """Everything the flow needs to decide the next move; rebuilt by replaying events."""

    rubric: Rubric
    mode: Mode = "practice"
    config: InterviewConfig = InterviewConfig()
    questions: tuple[QuestionProgress, ...]
    index: int = 0
    phase: Phase = "ready"
    ended_early: bool = False

    @property
    def current(self) -> QuestionProgress | None:
        if 0 <= self.index < len(self.questions):
            return self.questions[self.index]
        return None

    @property
    def followups_asked(self) -> int:
        current = self.current
        return len(current.probed) if current else 0

    @property
    def finished(self) -> bool:
        return self.phase == "closed"


# Events: facts the runner reports.


class Started(_Frozen):
    kind: Literal["started"] = "started"


class AnswerSubmitted(_Frozen):
    kind: Literal["answer_submitted"] = "answer_submitted"
    text: str


class AnswerAnalyzed(_Frozen):
    kind: Literal["answer_analyzed"] = "answer_analyzed"
    analysis: StarAnalysis


class QuestionSkipped(_Frozen):
    kind: Literal["question_skipped"] = "question_skipped"


class EndRequested(_Frozen):
    kind: Literal["end_requested"] = "end_requested"


Event = Annotated[
    Started | AnswerSubmitted | AnswerAnalyzed | QuestionSkipped | EndRequested,
    Field(discriminator="kind"),
]


# Actions: what the runner must do next.


class Ask(_Frozen):
    """Show an interviewer message. Follow-ups carry the gap they probe and why."""

    kind: Literal["ask"] = "ask"
    ask: AskKind
    text: str
    question_id: str | None = None
    target: FollowUpTarget | None = None
    reason: str | None = None
    question_number: int | None = None
    followup_number: int | None = None


class Analyze(_Frozen):
    """Analyse the candidate's story for a question so far (every reply, oldest first)."""

    kind: Literal["analyze"] = "analyze"
    question_id: str
    question: str
    replies: tuple[str, ...]
    probes: tuple[str, ...] = ()


class Evaluate(_Frozen):
    """The interview is over: produce the evaluation."""

    kind: Literal["evaluate"] = "evaluate"


Action = Annotated[Ask | Analyze | Evaluate, Field(discriminator="kind")]


class Transition(_Frozen):
    state: InterviewState
    actions: tuple[Ask | Analyze | Evaluate, ...] = ()


class InvalidEvent(ValueError):
    """An event that makes no sense in the current phase (a runner bug, not user input)."""


def plan_questions(rubric: Rubric, count: int, seed: int) -> list[str]:
    """Pick `count` questions, spreading them over as many dimensions as possible.

    A rubric composed from a kit plans each competency's own number of questions instead, in
    the kit's order, each spread over that competency's dimensions. The same rubric and seed
    always give the same plan.
    """
    rng = random.Random(seed)
    if not rubric.parts:
        return _spread([(q.id, q.dimension) for q in rubric.questions], count, rng)
    plan: list[str] = []
    for part in rubric.parts:
        own = [(q.id, q.dimension) for q in rubric.questions_of(part)]
        plan += _spread(own, part.questions, rng)
    return plan


def _spread(questions: list[tuple[str, str]], count: int, rng: random.Random) -> list[str]:
    """`count` of the (id, dimension) questions, taking from each dimension in turn."""
    by_dimension: dict[str, list[str]] = {}
    for question_id, dimension in questions:
        by_dimension.setdefault(dimension, []).append(question_id)
    dimensions = sorted(by_dimension)
    rng.shuffle(dimensions)
    for ids in by_dimension.values():
        rng.shuffle(ids)
    plan: list[str] = []
    while len(plan) < min(count, len(questions)):
        for dimension in dimensions:
            if by_dimension[dimension] and len(plan) < count:
                plan.append(by_dimension[dimension].pop())
    return plan


def new_interview(
    rubric: Rubric,
    *,
    mode: Mode = "practice",
    config: InterviewConfig | None = None,
    plan: list[str] | None = None,
) -> InterviewState:
    """A fresh interview over a planned (or given) list of question ids.

    A kit sets its own number of questions, whatever the config asks for.
    """
    config = config or InterviewConfig()
    if rubric.kit_question_count is not None:
        config = config.model_copy(update={"question_count": rubric.kit_question_count})
    question_ids = plan if plan is not None else plan_questions(rubric, config.question_count, config.seed)
    for question_id in question_ids:
        rubric.question(question_id)  # raises KeyError for an unknown id
    return InterviewState(
        rubric=rubric,
        mode=mode,
        config=config,
        questions=tuple(QuestionProgress(question_id=qid) for qid in question_ids),
    )


def step(
    state: InterviewState, event: Started | AnswerSubmitted | AnswerAnalyzed | QuestionSkipped | EndRequested
) -> Transition:
    """Advance the interview by one event."""
    if isinstance(event, Started):
        return _start(state)
    if state.phase == "closed":
        raise InvalidEvent(f"the interview is over; {event.kind} cannot be handled")
    if isinstance(event, AnswerSubmitted):
        return _answer(state, event.text)
    if isinstance(event, AnswerAnalyzed):
        return _analyzed(state, event.analysis)
    if isinstance(event, QuestionSkipped):
        if state.phase != "awaiting_answer":
            raise InvalidEvent("a question can only be skipped while waiting for an answer")
        return _advance(_set_current(state, status="skipped"))
    return _close(state.model_copy(update={"ended_early": True}))


def _start(state: InterviewState) -> Transition:
    if state.phase != "ready":
        raise InvalidEvent("the interview has already started")
    opening = Ask(ask="opening", text=state.rubric.opening)
    transition = _advance(state)
    return Transition(state=transition.state, actions=(opening, *transition.actions))


def _answer(state: InterviewState, text: str) -> Transition:
    current = state.current
    if state.phase != "awaiting_answer" or current is None:
        raise InvalidEvent("no question is waiting for an answer")
    last_target = current.probed[-1] if current.probed else None
    attempt = Attempt(
        reply=text,
        prompt_kind="followup" if last_target else "question",
        target=last_target,
    )
    updated = current.model_copy(update={"attempts": (*current.attempts, attempt)})
    state = _replace_current(state, updated).model_copy(update={"phase": "awaiting_analysis"})
    question = state.rubric.question(current.question_id)
    probes = asked_followups(state.rubric, current)
    return Transition(
        state=state,
        actions=(
            Analyze(
                question_id=current.question_id,
                question=question.text,
                replies=tuple(updated.replies),
                probes=probes,
            ),
        ),
    )


def _analyzed(state: InterviewState, analysis: StarAnalysis) -> Transition:
    current = state.current
    if state.phase != "awaiting_analysis" or current is None or not current.attempts:
        raise InvalidEvent("no answer is waiting for analysis")
    choice = choose_followup(
        analysis,
        ruled_out=(*current.probed, *current.not_evidenced),
        followups_asked=len(current.probed),
        max_followups=state.config.max_followups,
    )
    last = current.attempts[-1].model_copy(update={"analysis": analysis, "choice": choice})
    current = current.model_copy(update={"attempts": (*current.attempts[:-1], last)})

    if choice.why == "declined":
        if last.target is None:
            current = current.model_copy(
                update={"status": "declined", "not_evidenced": ("situation", "task", "action", "result")}
            )
        else:
            current = current.model_copy(
                update={"status": "done", "not_evidenced": (*current.not_evidenced, last.target)}
            )
        return _advance(_replace_current(state, current))

    gap = choice.probe
    if gap is None:
        return _advance(_replace_current(state, current.model_copy(update={"status": "done"})))

    current = current.model_copy(update={"probed": (*current.probed, gap.target)})
    state = _replace_current(state, current).model_copy(update={"phase": "awaiting_answer"})
    ask = Ask(
        ask="followup",
        text=analysis.wording_for(gap.target) or state.rubric.followup(current.question_id, gap.target),
        question_id=current.question_id,
        target=gap.target,
        reason=gap.reason,
        question_number=state.index + 1,
        followup_number=len(current.probed),
    )
    return Transition(state=state, actions=(ask,))


def asked_followups(rubric: Rubric, progress: QuestionProgress) -> tuple[str, ...]:
    """The follow-ups of a question as they were asked, in order.

    Follow-up k was chosen from the analysis of reply k, so its wording is that analysis's
    personalised wording when it offered a usable one, else the rubric's text.
    """
    asked: list[str] = []
    for index, target in enumerate(progress.probed):
        analysis = progress.attempts[index].analysis if index < len(progress.attempts) else None
        wording = analysis.wording_for(target) if analysis is not None else None
        asked.append(wording or rubric.followup(progress.question_id, target))
    return tuple(asked)


def _advance(state: InterviewState) -> Transition:
    """Move to the next pending question, or close when none is left."""
    start = state.index + 1 if state.phase != "ready" else 0
    for index in range(start, len(state.questions)):
        if state.questions[index].status == "pending":
            progress = state.questions[index].model_copy(update={"status": "active"})
            questions = (*state.questions[:index], progress, *state.questions[index + 1 :])
            state = state.model_copy(
                update={"questions": questions, "index": index, "phase": "awaiting_answer"}
            )
            question = state.rubric.question(progress.question_id)
            return Transition(
                state=state,
                actions=(
                    Ask(
                        ask="question",
                        text=question.text,
                        question_id=question.id,
                        question_number=index + 1,
                    ),
                ),
            )
    return _close(state)


def _close(state: InterviewState) -> Transition:
    state = state.model_copy(update={"phase": "closed", "index": len(state.questions)})
    return Transition(
        state=state,
        actions=(Ask(ask="closing", text=state.rubric.closing_for(state.mode)), Evaluate()),
    )


def _set_current(state: InterviewState, *, status: QuestionStatus) -> InterviewState:
    current = state.current
    assert current is not None
    return _replace_current(state, current.model_copy(update={"status": status}))


def _replace_current(state: InterviewState, progress: QuestionProgress) -> InterviewState:
    index = state.index
    questions = (*state.questions[:index], progress, *state.questions[index + 1 :])
    return state.model_copy(update={"questions": questions})
