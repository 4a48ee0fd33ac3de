"""The offline evaluator: per-question scores from the final analysis of each story."""

from __future__ import annotations

from agent.brains.assembly import evaluation_for
from agent.brains.protocol import InterviewFacts
from agent.domain.coaching import coaching_for
from agent.domain.evaluation import Evaluation, EvidenceQuote, QuestionScore
from agent.domain.policy import InterviewState, QuestionProgress
from agent.domain.rubric import Rubric
from agent.domain.star import STAR_SLOTS


def evaluate_interview(state: InterviewState, facts: InterviewFacts, *, brain: str) -> Evaluation:
    questions = [score_question(state.rubric, progress, brain=brain) for progress in state.questions]
    return evaluation_for(state, facts, questions, brain=brain)


def score_question(rubric: Rubric, progress: QuestionProgress, *, brain: str) -> QuestionScore:
    """Score one question from the analysis of the whole story told for it."""
    question = rubric.question(progress.question_id)
    analysis = progress.latest_analysis
    base = {
        "question_id": question.id,
        "dimension": question.dimension,
        "question": question.text,
        "not_evidenced": list(progress.not_evidenced),
        "brain": brain,
    }
    if analysis is not None and analysis.not_assessed:
        return QuestionScore(
            **base,
            coverage=dict.fromkeys(STAR_SLOTS, "missing"),
            rationale=" ".join(analysis.notes) or "the answer could not be read",
            notes=list(analysis.notes),
            status="not_assessed",
        )
    if analysis is None or analysis.score is None or progress.status == "declined":
        reason = {
            "skipped": "skipped by the candidate",
            "declined": "the candidate could not recall an example",
            "pending": "not reached",
            "active": "not answered",
        }.get(progress.status, "no analysed answer")
        return QuestionScore(
            **base,
            coverage=dict.fromkeys(STAR_SLOTS, "missing"),
            rationale=reason,
            status="not_assessed",
        )
    evidence = [
        EvidenceQuote(claim=slot, quote=quote)
        for slot in STAR_SLOTS
        for quote in analysis.star.finding(slot).evidence[:2]
    ]
    coverage = {slot: analysis.star.status(slot) for slot in STAR_SLOTS}
    level = rubric.levels.get(analysis.score)
    # The offline brain judges the story's structure, not the dimension's anchors, so it names the
    # level and never offers the anchor's description as its reason.
    rationale = f"{analysis.rationale} Structural score {analysis.score} ({level}).".strip()
    return QuestionScore(
        **base,
        coverage=coverage,
        rationale=rationale[:2000],
        score=analysis.score,
        level=level,
        evidence=evidence[:8],
        ownership=analysis.ownership,
        specific_example=analysis.specific_example,
        quantified_result=analysis.quantified_result,
        red_flags=list(analysis.red_flags),
        coaching=coaching_for(
            coverage,
            specific_example=analysis.specific_example,
            ownership=analysis.ownership,
            red_flags=analysis.red_flags,
            reflection=analysis.reflection,
            declined=analysis.declined,
        ),
        notes=list(analysis.notes),
    )
