"""Calibration cases: the brain re-reads a gold transcript's conversation and evaluates it."""

from __future__ import annotations

from datetime import UTC, datetime

from agent import __version__
from agent.brains.protocol import InterviewFacts
from agent.domain.policy import InterviewConfig, QuestionProgress, new_interview
from agent.domain.star import StarAnalysis
from agent.evals.cases import CalibrationCase
from agent.evals.context import CaseContext
from agent.evals.kinds.told import told_progress
from agent.evals.outcomes import CalibrationOutcome

# Fixed instants: an evaluation's timestamps must not make two identical runs look different.
_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


def run_calibration(case: CalibrationCase, context: CaseContext) -> CalibrationOutcome:
    gold = context.transcripts[case.transcript]
    rubric = context.rubric
    config = InterviewConfig(question_count=len(gold.questions), max_followups=gold.max_followups)
    state = new_interview(rubric, mode=gold.mode, config=config, plan=[q.question for q in gold.questions])
    progress: list[QuestionProgress] = []
    analyses: list[StarAnalysis] = []
    for question in gold.questions:
        if question.skipped:
            progress.append(QuestionProgress(question_id=question.question, status="skipped"))
            continue
        told, found = told_progress(rubric, question.question, question.turns, context.brain, status="done")
        progress.append(told)
        analyses.extend(found)
    state = state.model_copy(update={"questions": tuple(progress), "index": len(progress), "phase": "closed"})
    facts = InterviewFacts(
        interview_id=case.id, started_at=_EPOCH, evaluated_at=_EPOCH, starling_version=__version__
    )
    evaluation = context.brain.evaluate(state, facts)
    turns = tuple(reply for p in progress for reply in p.replies)
    return CalibrationOutcome(evaluation=evaluation, analyses=tuple(analyses), candidate_turns=turns)
