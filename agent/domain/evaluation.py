"""The structured evaluation, evidence checks against the transcript, and mechanical combination.

Per-question scores come from a brain. Everything after that (dropping unsupported evidence,
dimension scores, `not_assessed`, the recommendation) is decided here, in code, the same way
for every brain.
"""

from __future__ import annotations

import math
import statistics
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from agent.domain.coverage import answers
from agent.domain.rubric import competency_of
from agent.domain.star import RedFlag, SlotStatus, StarSlot
from agent.domain.usage import Usage

Recommendation = Literal["advance", "borderline", "do_not_advance", "insufficient_evidence"]
Confidence = Literal["low", "medium", "high"]
EvidenceClaim = Literal["situation", "task", "action", "result", "ownership", "reflection"]

# A dimension is scored only from questions that were actually answered; below this many
# scored questions overall, no recommendation is made.
MIN_SCORED_FOR_RECOMMENDATION = 2
ADVANCE_AT = 3.75
BORDERLINE_AT = 2.75
MAX_COACHING_TIPS = 8


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class EvidenceQuote(_Strict):
    """A verbatim quote from the candidate that supports a claim about a STAR slot."""

    claim: EvidenceClaim
    quote: Annotated[str, Field(min_length=1, max_length=600)]


class QuestionScore(_Strict):
    """How one question was answered: coverage, rationale first, then the score."""

    question_id: str
    dimension: str
    question: str
    coverage: dict[StarSlot, SlotStatus]
    not_evidenced: list[str] = Field(default_factory=list)
    rationale: str = Field(max_length=2000)
    score: Annotated[int, Field(ge=1, le=5)] | None = None
    level: str | None = None
    evidence: list[EvidenceQuote] = Field(default_factory=list, max_length=8)
    ownership: Literal["clear", "unclear"] | None = None
    specific_example: bool | None = None
    quantified_result: bool | None = None
    red_flags: list[RedFlag] = Field(default_factory=list)
    coaching: list[str] = Field(default_factory=list, max_length=MAX_COACHING_TIPS)
    notes: list[Annotated[str, Field(max_length=300)]] = Field(
        default_factory=list,
        max_length=5,
        exclude_if=lambda value: not value,
        description="What the brain could not do for this answer, e.g. read its language.",
    )
    status: Literal["scored", "not_assessed"] = "scored"
    brain: str


class DimensionScore(_Strict):
    """A dimension's score, or `not_assessed` when no answered question gives evidence for it."""

    dimension: str
    name: str
    status: Literal["assessed", "not_assessed"]
    score: float | None = None
    level: str | None = None
    anchor: str | None = None
    question_ids: list[str] = Field(default_factory=list)


class CompetencyScore(_Strict):
    """A kit competency's score: the mean of its scored questions, or `not_assessed` without any."""

    competency: str
    name: str
    status: Literal["assessed", "not_assessed"]
    score: float | None = None
    level: str | None = None
    question_ids: list[str] = Field(default_factory=list)


class Provenance(_Strict):
    """Where an evaluation came from, so a reviewer can trust or question it."""

    interview_id: str
    rubric_id: str
    rubric_version: str
    rubric_hash: str
    brain: str
    starling_version: str
    interview_started_at: datetime
    evaluated_at: datetime


class Evaluation(_Strict):
    """The structured outcome of an interview, for the candidate's coaching or a reviewer."""

    questions: list[QuestionScore]
    dimensions: list[DimensionScore]
    # Per competency, for an interview on a role kit; empty for a single-competency rubric.
    competencies: list[CompetencyScore] = Field(default_factory=list, exclude_if=lambda value: not value)
    overall_score: float | None
    recommendation: Recommendation
    confidence: Confidence
    strengths: list[str] = Field(default_factory=list, max_length=8)
    concerns: list[str] = Field(default_factory=list, max_length=8)
    red_flags: list[RedFlag] = Field(default_factory=list)
    dropped_evidence: int = Field(default=0, ge=0)
    provenance: Provenance
    # What the model calls behind it cost, as the brain returned it. Never in the evaluation's own
    # JSON, so that reads the same from every brain: a transcript keeps it in the evaluation's record.
    usage: Usage | None = Field(default=None, exclude=True)


def normalise_space(text: str) -> str:
    return " ".join(text.split())


def grounded(quote: str, candidate_turns: list[str]) -> bool:
    """True when a quote appears verbatim (up to white space) in one of the candidate's turns."""
    needle = normalise_space(quote)
    if not needle:
        return False
    return any(needle in normalise_space(turn) for turn in candidate_turns)


def keep_grounded(
    evidence: list[EvidenceQuote], candidate_turns: list[str]
) -> tuple[list[EvidenceQuote], int]:
    """Drop quotes that are not in the transcript; return what is kept and how many were dropped."""
    kept = [item for item in evidence if grounded(item.quote, candidate_turns)]
    return kept, len(evidence) - len(kept)


def score_dimensions(
    questions: list[QuestionScore],
    dimensions: list[tuple[str, str, dict[int, str]]],
    levels: dict[int, str],
) -> list[DimensionScore]:
    """Average scored questions per dimension; a dimension with none is `not_assessed`."""
    result: list[DimensionScore] = []
    for dimension_id, name, anchors in dimensions:
        scored = [q for q in questions if q.dimension == dimension_id and q.score is not None]
        mean = _mean_level(scored)
        if mean is None:
            result.append(DimensionScore(dimension=dimension_id, name=name, status="not_assessed"))
            continue
        result.append(
            DimensionScore(
                dimension=dimension_id,
                name=name,
                status="assessed",
                score=mean[0],
                level=levels.get(mean[1]),
                anchor=anchors.get(mean[1]),
                question_ids=[q.question_id for q in scored],
            )
        )
    return result


def score_competencies(
    questions: list[QuestionScore], competencies: list[tuple[str, str]], levels: dict[int, str]
) -> list[CompetencyScore]:
    """Average scored questions per kit competency (a question's id is qualified by its competency)."""
    result: list[CompetencyScore] = []
    for competency, name in competencies:
        scored = [q for q in questions if competency_of(q.question_id) == competency and q.score is not None]
        mean = _mean_level(scored)
        if mean is None:
            result.append(CompetencyScore(competency=competency, name=name, status="not_assessed"))
            continue
        result.append(
            CompetencyScore(
                competency=competency,
                name=name,
                status="assessed",
                score=mean[0],
                level=levels.get(mean[1]),
                question_ids=[q.question_id for q in scored],
            )
        )
    return result


def _mean_level(scored: list[QuestionScore]) -> tuple[float, int] | None:
    """The mean score of scored questions, and the level it rounds to; None when there are none."""
    values = [q.score for q in scored if q.score is not None]
    if not values:
        return None
    mean = round(statistics.fmean(values), 2)
    # Half up: built-in round() sends 2.5 down to 2 but 3.5 up to 4.
    return mean, int(min(5, max(1, math.floor(mean + 0.5))))


def recommend(questions: list[QuestionScore]) -> tuple[float | None, Recommendation, Confidence]:
    """Overall score, recommendation and confidence, from the scored questions alone."""
    scores = [q.score for q in questions if q.score is not None]
    if len(scores) < MIN_SCORED_FOR_RECOMMENDATION:
        overall = round(statistics.fmean(scores), 2) if scores else None
        return overall, "insufficient_evidence", "low"
    overall = round(statistics.fmean(scores), 2)
    if overall >= ADVANCE_AT:
        recommendation: Recommendation = "advance"
    elif overall >= BORDERLINE_AT:
        recommendation = "borderline"
    else:
        recommendation = "do_not_advance"
    spread = max(scores) - min(scores)
    near_boundary = min(abs(overall - ADVANCE_AT), abs(overall - BORDERLINE_AT)) < 0.25
    if len(scores) >= 3 and spread <= 2 and not near_boundary:
        confidence: Confidence = "high"
    elif near_boundary or spread >= 3:
        confidence = "low"
    else:
        confidence = "medium"
    return overall, recommendation, confidence


def assemble(
    *,
    questions: list[QuestionScore],
    dimensions: list[tuple[str, str, dict[int, str]]],
    levels: dict[int, str],
    candidate_turns: list[str],
    provenance: Provenance,
    competencies: list[tuple[str, str]] | None = None,
    usage: Usage | None = None,
) -> Evaluation:
    """Combine per-question scores into the evaluation, mechanically and the same for every brain.

    Evidence not found verbatim in the candidate's turns is dropped and counted. `usage` is what
    the model calls behind the scores cost, when a model made them.
    """
    checked: list[QuestionScore] = []
    dropped = 0
    for question in questions:
        kept, lost = keep_grounded(question.evidence, candidate_turns)
        dropped += lost
        checked.append(question.model_copy(update={"evidence": kept}))
    overall, recommendation, confidence = recommend(checked)
    strengths, concerns = _observations(checked)
    flags = sorted({flag for q in checked for flag in q.red_flags})
    return Evaluation(
        questions=checked,
        dimensions=score_dimensions(checked, dimensions, levels),
        competencies=score_competencies(checked, competencies or [], levels),
        overall_score=overall,
        recommendation=recommendation,
        confidence=confidence,
        strengths=strengths,
        concerns=concerns,
        red_flags=flags,
        dropped_evidence=dropped,
        provenance=provenance,
        usage=usage,
    )


def _observations(questions: list[QuestionScore]) -> tuple[list[str], list[str]]:
    """Strengths and concerns stated as observable facts about the answers."""
    scored = [q for q in questions if q.score is not None]
    strengths: list[str] = []
    concerns: list[str] = []
    if not scored:
        return strengths, ["No question produced assessable evidence."]
    total = len(scored)

    def count(predicate: object) -> int:
        return sum(1 for q in scored if callable(predicate) and predicate(q))

    specific = count(lambda q: q.specific_example)
    owned = count(lambda q: q.ownership == "clear")
    outcomes = count(lambda q: q.coverage.get("result") == "present")
    measured = count(lambda q: q.quantified_result)
    if specific == total:
        strengths.append(f"Gave a specific past example in {answers(total, total)}.")
    if owned >= max(1, total - 1) and owned:
        strengths.append(f"Described their own actions clearly in {answers(owned, total)}.")
    if outcomes == total:
        strengths.append("Said how the story ended." if total == 1 else "Said how every story ended.")
    if measured:
        strengths.append(f"Backed the outcome with a measure in {answers(measured, total)}.")
    for q in scored:
        if q.score is not None and q.score >= 4:
            strengths.append(f"Strong evidence on '{_short(q.question)}' (score {q.score}).")

    if specific < total:
        concerns.append(f"No specific past example in {answers(total - specific, total)}.")
    if owned < total:
        concerns.append(f"The candidate's own part was unclear in {answers(total - owned, total)}.")
    if outcomes < total:
        concerns.append(f"No clear outcome in {answers(total - outcomes, total)}.")
    for q in questions:
        if q.status == "not_assessed":
            concerns.append(f"Not assessed: '{_short(q.question)}' ({q.rationale})")
        if "blames_customer" in q.red_flags:
            concerns.append(f"Blamed the other person dismissively in '{_short(q.question)}'.")
        if "prompt_injection" in q.red_flags:
            concerns.append(f"Tried to instruct the assessment in '{_short(q.question)}'; it was ignored.")
    return strengths[:8], concerns[:8]


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
