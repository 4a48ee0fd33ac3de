"""Next-turn cases: replay a conversation prefix, then let the real policy choose the next move."""

from __future__ import annotations

from agent.domain.policy import (
    Analyze,
    AnswerAnalyzed,
    AnswerSubmitted,
    Ask,
    InterviewConfig,
    Started,
    new_interview,
    step,
)
from agent.evals.cases import NextMove, NextTurnCase
from agent.evals.context import CaseContext
from agent.evals.errors import HarnessError
from agent.evals.kinds.told import told_progress
from agent.evals.outcomes import NextTurnOutcome


def run_next_turn(case: NextTurnCase, context: CaseContext) -> NextTurnOutcome:
    rubric = context.rubric
    others = [q.id for q in rubric.questions if q.id != case.question][: case.remaining]
    config = InterviewConfig(question_count=1 + len(others), max_followups=case.max_followups)
    state = step(new_interview(rubric, config=config, plan=[case.question, *others]), Started()).state
    progress, analyses = told_progress(rubric, case.question, case.turns[:-1], context.brain, status="active")
    questions = (progress, *state.questions[1:])
    state = state.model_copy(update={"questions": questions})

    last = case.turns[-1].candidate
    assert last is not None
    transition = step(state, AnswerSubmitted(text=last))
    analyze = transition.actions[0]
    if not isinstance(analyze, Analyze):
        raise HarnessError(f"{case.id}: the policy did not ask for an analysis after the last reply")
    analysis = context.brain.analyze(
        analyze.question, analyze.replies, topic=rubric.topic_for(analyze.question_id)
    )
    transition = step(transition.state, AnswerAnalyzed(analysis=analysis))
    ask = next((a for a in transition.actions if isinstance(a, Ask)), None)
    if ask is None:
        raise HarnessError(f"{case.id}: the policy produced no interviewer turn")
    move: NextMove
    if ask.ask == "followup":
        move, target = "probe", ask.target
    elif ask.ask == "closing":
        move, target = "close", None
    else:
        move, target = "move_on", None
    return NextTurnOutcome(
        move=move,
        target=target,
        text=ask.text,
        replies=analyze.replies,
        analyses=(*analyses, analysis),
    )
