"""JSON documents with a pinned contract: `starling analyze` objects and whole interviews."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent.domain.rubric import Rubric
from agent.domain.star import StarAnalysis, primary_gap

if TYPE_CHECKING:
    from agent.domain.transcript import Transcript, Turn


def analysis_document(analysis: StarAnalysis, rubric: Rubric, question: str) -> dict[str, Any]:
    """The pinned `starling analyze` object, plus evidence and provenance."""
    gap = primary_gap(analysis)
    matched = _match_question(rubric, question)
    followup_text = ""
    if gap.target != "none":
        followup_text = (
            rubric.followup(matched, gap.target) if matched else getattr(rubric.generic_followups, gap.target)
        )
    return {
        "star": {slot: analysis.star.status(slot) for slot in ("situation", "task", "action", "result")},
        "ownership": analysis.ownership,
        "specific_example": analysis.specific_example,
        "quantified_result": analysis.quantified_result,
        "red_flags": list(analysis.red_flags),
        "followup": {"target": gap.target, "question": followup_text, "reason": gap.reason},
        "score": analysis.score,
        "not_assessed": analysis.not_assessed,
        "declined": analysis.declined,
        "reflection": analysis.reflection,
        "evidence": {
            slot: list(analysis.star.finding(slot).evidence)
            for slot in ("situation", "task", "action", "result")
        },
        "rationale": analysis.rationale,
        "word_count": analysis.word_count,
        "notes": list(analysis.notes),
        "brain": analysis.brain,
        "model": analysis.model,
    }


def interview_document(transcript: Transcript) -> dict[str, Any]:
    from agent.domain.transcript import AnalysisRecord, Turn

    """A whole interview: header, tagged turns, analyses and the evaluation."""
    header = transcript.header
    turns: list[dict[str, Any]] = []
    for record in transcript.records:
        if isinstance(record, Turn):
            turns.append(_turn(record))
        elif isinstance(record, AnalysisRecord):
            turns.append(
                {
                    "role": "analysis",
                    "question_id": record.question_id,
                    "analysis": record.analysis.model_dump(mode="json"),
                }
            )
    evaluation = transcript.evaluation
    return {
        "interview_id": header.interview_id,
        "rubric": {"id": header.rubric_id, "version": header.rubric_version, "hash": header.rubric_hash},
        "mode": header.mode,
        "brain": header.brain,
        "candidate": header.candidate,
        "plan": header.plan,
        "config": header.config.model_dump(mode="json"),
        "started_at": header.at.isoformat(),
        "finished": transcript.finished,
        "turns": turns,
        "evaluation": evaluation.model_dump(mode="json") if evaluation else None,
    }


def _turn(turn: Turn) -> dict[str, Any]:
    item: dict[str, Any] = {"role": turn.role, "text": turn.text, "at": turn.at.isoformat()}
    if turn.role == "interviewer":
        item["kind"] = turn.ask
        item["question_id"] = turn.question_id
        if turn.ask == "followup":
            item["target"] = turn.target
            item["reason"] = turn.reason
    else:
        item["kind"] = "answer"
        item["question_id"] = turn.question_id
    return item


def _match_question(rubric: Rubric, question: str) -> str | None:
    wanted = " ".join(question.lower().split()).rstrip("?.! ")
    for candidate in rubric.questions:
        if " ".join(candidate.text.lower().split()).rstrip("?.! ") == wanted or candidate.id == question:
            return candidate.id
    return None
