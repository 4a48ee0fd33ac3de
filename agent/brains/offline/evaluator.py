"""The offline evaluator: per-question scores from the final analysis of each story."""

from __future__ import annotations

from agent.brains.protocol import InterviewFacts
from agent.domain.evaluation import (
    COACHING,
    Evaluation,
    EvidenceQuote,
    Provenance,
    QuestionScore,
    assemble,
)
from agent.domain.policy import InterviewState, QuestionProgress
from agent.domain.rubric import Rubric
from agent.domain.star import STAR_SLOTS, ranked_gaps


def evaluate_interview(state: InterviewState, facts: InterviewFacts, *, brain: str) -> Evaluation:
    rubric = state.rubric
    questions = [score_question(rubric, progress, brain=brain) for progress in state.questions]
    candidate_turns = [reply for progress in state.questions for reply in progress.replies]
    return assemble(
        questions=questions,
        dimensions=[(d.id, d.name, dict(d.anchors)) for d in rubric.dimensions],
        levels=dict(rubric.levels),
        candidate_turns=candidate_turns,
        provenance=Provenance(
            interview_id=facts.interview_id,
            rubric_id=rubric.id,
            rubric_version=rubric.version,
            rubric_hash=rubric.content_hash(),
            brain=brain,
            starling_version=facts.starling_version,
            interview_started_at=facts.started_at,
            evaluated_at=facts.evaluated_at,
        ),
    )


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
    if analysis is None or progress.status == "declined":
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
        for quote in getattr(analysis.star, slot).evidence[:2]
    ]
    coaching = [COACHING[gap.target] for gap in ranked_gaps(analysis) if gap.target in COACHING]
    if not analysis.reflection:
        coaching.append(COACHING["reflection"])
    level = rubric.levels.get(analysis.score)
    anchor = rubric.dimension(question.dimension).anchors.get(analysis.score, "")
    rationale = f"{analysis.rationale} Level {analysis.score} ({level}): {anchor}".strip()
    return QuestionScore(
        **base,
        coverage={slot: analysis.star.status(slot) for slot in STAR_SLOTS},
        rationale=rationale[:2000],
        score=analysis.score,
        level=level,
        evidence=evidence[:8],
        ownership=analysis.ownership,
        specific_example=analysis.specific_example,
        quantified_result=analysis.quantified_result,
        red_flags=list(analysis.red_flags),
        coaching=list(dict.fromkeys(coaching))[:8],
    )
