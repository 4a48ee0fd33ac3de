"""A compact, JSON-ready view of what the agent did on a case: for reports, and for the signature
that tells whether two runs of a case behaved identically."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from agent.domain.evaluation import Evaluation
from agent.domain.star import StarAnalysis
from agent.domain.transcript import AnalysisRecord, Turn
from agent.evals.outcomes import (
    AnalysisOutcome,
    InterviewOutcome,
    NextTurnOutcome,
    Outcome,
)
from agent.evals.scorers.labels import predicted_labels


def describe(outcome: Outcome) -> dict[str, Any]:
    if isinstance(outcome, AnalysisOutcome):
        return {
            **_analysis(outcome.analysis),
            "variants": {name: variant.score for name, variant in outcome.variants.items()},
        }
    if isinstance(outcome, NextTurnOutcome):
        return {
            "move": outcome.move,
            "target": outcome.target,
            "text": outcome.text,
            "analyses": [_analysis(a) for a in outcome.analyses],
        }
    if isinstance(outcome, InterviewOutcome):
        return {
            "turns": [_turn(t) for t in outcome.transcript.turns],
            **_evaluation(outcome.evaluation),
        }
    return {
        "analyses": [_analysis(a) for a in outcome.analyses],
        **_evaluation(outcome.evaluation),
    }


def brains_used(outcome: Outcome) -> list[str]:
    """The brain label on every analysis and on the evaluation: a fallback shows up here."""
    if isinstance(outcome, AnalysisOutcome):
        return [a.brain for a in (outcome.analysis, *outcome.variants.values())]
    if isinstance(outcome, NextTurnOutcome):
        return [a.brain for a in outcome.analyses]
    if isinstance(outcome, InterviewOutcome):
        records = outcome.transcript.records
        labels = [r.analysis.brain for r in records if isinstance(r, AnalysisRecord)]
    else:
        labels = [a.brain for a in outcome.analyses]
    evaluation = outcome.evaluation
    if evaluation is not None:
        labels += [evaluation.provenance.brain, *(q.brain for q in evaluation.questions)]
    return labels


def signature(output: dict[str, Any]) -> str:
    payload = json.dumps(output, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _analysis(analysis: StarAnalysis) -> dict[str, Any]:
    return {
        **predicted_labels(analysis),
        "red_flags": list(analysis.red_flags),
        "score": analysis.score,
        "brain": analysis.brain,
    }


def _turn(turn: Turn) -> str:
    if turn.role == "candidate":
        words = turn.text.split()
        return "candidate: " + " ".join(words[:12]) + (" …" if len(words) > 12 else "")
    if turn.ask == "followup":
        return f"interviewer (follow-up, {turn.target}): {turn.text}"
    return f"interviewer ({turn.ask}): {turn.text if turn.ask == 'question' else turn.text[:60] + '…'}"


def _evaluation(evaluation: Evaluation | None) -> dict[str, Any]:
    if evaluation is None:
        return {"evaluation": None}
    return {
        "scores": {q.question_id: q.score for q in evaluation.questions},
        "overall": evaluation.overall_score,
        "recommendation": evaluation.recommendation,
        "red_flags": list(evaluation.red_flags),
        "dropped_evidence": evaluation.dropped_evidence,
    }
