"""Rebuild a question's progress from a recorded exchange, analysing each reply with the brain.

Recorded follow-ups are taken as given rather than re-decided by the policy, so a case tests only
what it is about (the next move, or the evaluation) while the story so far stays fixed.
"""

from __future__ import annotations

from agent.brains.protocol import Analyzer
from agent.domain.policy import Attempt, QuestionProgress, QuestionStatus
from agent.domain.rubric import Rubric
from agent.domain.star import FollowUpTarget, StarAnalysis
from agent.evals.cases import PrefixTurn

ALL_SLOTS = ("situation", "task", "action", "result")


def told_progress(
    rubric: Rubric, question_id: str, turns: list[PrefixTurn], analyzer: Analyzer, *, status: QuestionStatus
) -> tuple[QuestionProgress, list[StarAnalysis]]:
    """The progress of one question after `turns`, with the policy's bookkeeping for declines.

    A first reply that declines makes the question `declined` with nothing evidenced; a declined
    follow-up marks only its target as not evidenced. Otherwise the question gets `status`.
    """
    question = rubric.question(question_id).text
    attempts: list[Attempt] = []
    probed: list[FollowUpTarget] = []
    not_evidenced: list[str] = []
    analyses: list[StarAnalysis] = []
    target: FollowUpTarget | None = None
    declined_outright = False
    for turn in turns:
        if turn.probe is not None:
            target = turn.probe
            probed.append(target)
            continue
        assert turn.candidate is not None
        replies = (*[a.reply for a in attempts], turn.candidate)
        analysis = analyzer.analyze(question, replies, topic=rubric.topic_for(question_id))
        analyses.append(analysis)
        attempts.append(
            Attempt(
                reply=turn.candidate,
                prompt_kind="followup" if target else "question",
                target=target,
                analysis=analysis,
            )
        )
        if analysis.declined:
            if target is None and len(attempts) == 1:
                declined_outright = True
                not_evidenced = list(ALL_SLOTS)
            elif target is not None and target not in not_evidenced:
                not_evidenced.append(target)
    progress = QuestionProgress(
        question_id=question_id,
        status="declined" if declined_outright and status == "done" else status,
        attempts=tuple(attempts),
        probed=tuple(probed),
        not_evidenced=tuple(not_evidenced),
    )
    return progress, analyses
