"""Turn a brain's per-question scores into the evaluation of an interview, the same way for every brain."""

from __future__ import annotations

from agent.brains.protocol import InterviewFacts
from agent.domain.evaluation import Evaluation, Provenance, QuestionScore, assemble
from agent.domain.policy import InterviewState
from agent.domain.usage import Usage


def evaluation_for(
    state: InterviewState,
    facts: InterviewFacts,
    questions: list[QuestionScore],
    *,
    brain: str,
    usage: Usage | None = None,
) -> Evaluation:
    """The evaluation of `state` from its question scores, with provenance naming `brain` and the
    `usage` of the model calls that made the scores, if any."""
    rubric = state.rubric
    return assemble(
        questions=questions,
        dimensions=[(d.id, d.name, dict(d.anchors)) for d in rubric.dimensions],
        levels=dict(rubric.levels),
        competencies=[(part.id, part.title) for part in rubric.parts],
        candidate_turns=[reply for progress in state.questions for reply in progress.replies],
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
        usage=usage,
    )
