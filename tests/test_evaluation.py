"""Evaluation mechanics: evidence checked against the transcript, not_assessed, thresholds, confidence."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from agent.domain.evaluation import (
    ADVANCE_AT,
    BORDERLINE_AT,
    Evaluation,
    EvidenceClaim,
    EvidenceQuote,
    Provenance,
    QuestionScore,
    assemble,
    grounded,
    keep_grounded,
    recommend,
    score_dimensions,
)
from agent.domain.policy import InterviewConfig
from agent.domain.rubric import Rubric
from agent.domain.transcript import EvaluationRecord
from agent.domain.usage import Usage
from agent.session import InterviewSession
from agent.storage import TranscriptStore, read_transcript
from tests.conftest import FIXED_START, FakeBrain, FixedClock, analysis

LEVELS = {1: "Insufficient", 2: "Limited", 3: "Competent", 4: "Strong", 5: "Exceptional"}
ANCHORS = {level: f"anchor {level}" for level in LEVELS}
DIMENSIONS = [
    ("empathy", "Empathy", ANCHORS),
    ("balance", "Balance", ANCHORS),
    ("learning", "Learning", ANCHORS),
]
PROVENANCE = Provenance(
    interview_id="eval-test",
    rubric_id="customer-focus",
    rubric_version="1.0.0",
    rubric_hash="sha256:abc",
    brain="fake",
    starling_version="test",
    interview_started_at=FIXED_START,
    evaluated_at=FIXED_START + timedelta(minutes=20),
)


def score(
    question_id: str,
    dimension: str,
    value: int | None,
    *,
    quotes: list[tuple[EvidenceClaim, str]] | None = None,
    **extra: object,
) -> QuestionScore:
    made = QuestionScore(
        question_id=question_id,
        dimension=dimension,
        question=f"Question {question_id}?",
        coverage={"situation": "present", "task": "present", "action": "present", "result": "present"},
        rationale="because",
        score=value,
        level=LEVELS[value] if value else None,
        evidence=[EvidenceQuote(claim=claim, quote=quote) for claim, quote in quotes or []],
        status="scored" if value is not None else "not_assessed",
        brain="fake",
    )
    return QuestionScore.model_validate({**made.model_dump(), **extra})


def build(questions: list[QuestionScore], turns: list[str] | None = None) -> Evaluation:
    return assemble(
        questions=questions,
        dimensions=DIMENSIONS,
        levels=LEVELS,
        candidate_turns=turns or [],
        provenance=PROVENANCE,
    )


# Evidence


def test_grounded_quotes() -> None:
    turns = ["I called the   warehouse\nmyself on Monday.", "The customer renewed."]
    assert grounded("I called the warehouse myself", turns)
    assert grounded("  The customer   renewed. ", turns)
    assert not grounded("I called the supplier myself", turns)
    assert not grounded("myself on Monday. The customer renewed.", turns)  # spans two turns
    assert not grounded("   ", turns)
    assert not grounded("anything", [])


def test_keep_grounded_counts_what_it_drops() -> None:
    evidence = [
        EvidenceQuote(claim="action", quote="I called the warehouse"),
        EvidenceQuote(claim="result", quote="we won the account"),
        EvidenceQuote(claim="situation", quote="Tell me about a time"),
    ]
    kept, dropped = keep_grounded(evidence, ["Honestly, I called the warehouse first."])
    assert kept == evidence[:1]
    assert dropped == 2


def test_assemble_drops_quotes_not_in_candidate_turns() -> None:
    turns = ["I rang the customer back within the hour.", "The refund went out the same day."]
    questions = [
        score(
            "q1",
            "empathy",
            4,
            quotes=[
                ("action", "I rang the customer back within the hour."),
                ("result", "The customer sent us a thank-you card."),  # invented
            ],
        ),
        score(
            "q2",
            "balance",
            3,
            quotes=[
                ("result", "refund went out the same day"),
                ("situation", "Can you tell me about a time"),  # the interviewer's words
            ],
        ),
    ]
    evaluation = build(questions, turns)
    assert evaluation.dropped_evidence == 2
    assert [e.quote for e in evaluation.questions[0].evidence] == [
        "I rang the customer back within the hour."
    ]
    assert [e.quote for e in evaluation.questions[1].evidence] == ["refund went out the same day"]


def test_session_evaluation_drops_invented_evidence(
    store: TranscriptStore, clock: FixedClock, rubric: Rubric
) -> None:
    reply = "Last May I called the warehouse myself and the parcel arrived the next day."
    brain = FakeBrain().queue(
        analysis(
            evidence={
                "action": ["I called the warehouse myself"],
                "result": ["the customer doubled their order"],  # never said
            },
            score=4,
        ),
    )
    session, _ = InterviewSession.start(
        rubric=rubric,
        brain=brain,
        store=store,
        config=InterviewConfig(max_followups=1),
        plan=["upset-customer"],
        clock=clock,
        interview_id="evidence",
    )
    update = session.submit(reply)
    assert update.evaluation is not None
    assert update.evaluation.dropped_evidence == 1
    (question,) = update.evaluation.questions
    assert [e.quote for e in question.evidence] == ["I called the warehouse myself"]
    records = read_transcript(store.path_for("evidence")).records
    written = [r for r in records if isinstance(r, EvaluationRecord)]
    assert len(written) == 1 and written[0].evaluation == update.evaluation


# Dimensions


def test_dimension_without_scored_question_is_not_assessed() -> None:
    questions = [
        score("q1", "empathy", 4),
        score("q2", "empathy", 2),
        score("q3", "balance", None),  # asked but not assessable
    ]
    dimensions = {d.dimension: d for d in score_dimensions(questions, DIMENSIONS, LEVELS)}
    assert dimensions["empathy"].status == "assessed"
    assert dimensions["empathy"].score == 3.0
    assert dimensions["empathy"].level == "Competent"
    assert dimensions["empathy"].anchor == "anchor 3"
    assert dimensions["empathy"].question_ids == ["q1", "q2"]
    for name in ("balance", "learning"):
        assert dimensions[name].status == "not_assessed"
        assert dimensions[name].score is None
        assert dimensions[name].level is None
        assert dimensions[name].question_ids == []


@pytest.mark.parametrize(
    ("scores", "level"),
    [
        ([2, 3], "Competent"),
        ([3, 4], "Strong"),
        ([1, 2], "Limited"),
        ([4, 5], "Exceptional"),
        ([2, 2, 3], "Limited"),
    ],
)
def test_dimension_level_rounds_half_up(scores: list[int], level: str) -> None:
    questions = [score(f"q{n}", "empathy", value) for n, value in enumerate(scores)]
    (empathy, *_) = score_dimensions(questions, DIMENSIONS, LEVELS)
    assert empathy.level == level


# Recommendation


@pytest.mark.parametrize("scores", [[], [5], [None, 4], [None, None, 5]])
def test_fewer_than_two_scored_questions_is_insufficient(scores: list[int | None]) -> None:
    questions = [score(f"q{n}", "empathy", value) for n, value in enumerate(scores)]
    overall, recommendation, confidence = recommend(questions)
    assert recommendation == "insufficient_evidence"
    assert confidence == "low"
    scored = [s for s in scores if s is not None]
    assert overall == (float(scored[0]) if scored else None)


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([4, 4], "advance"),
        ([4, 4, 3, 4], "advance"),  # exactly 3.75
        ([4, 3, 4, 3], "borderline"),  # 3.5
        ([3, 3], "borderline"),
        ([3, 3, 3, 2], "borderline"),  # exactly 2.75
        ([3, 2], "do_not_advance"),  # 2.5
        ([1, 1, None], "do_not_advance"),
    ],
)
def test_recommendation_thresholds(scores: list[int | None], expected: str) -> None:
    questions = [score(f"q{n}", "empathy", value) for n, value in enumerate(scores)]
    overall, recommendation, _ = recommend(questions)
    scored = [s for s in scores if s is not None]
    assert overall == round(sum(scored) / len(scored), 2)
    assert recommendation == expected


def test_threshold_constants_are_ordered() -> None:
    assert 1 < BORDERLINE_AT < ADVANCE_AT < 5


@pytest.mark.parametrize(
    ("scores", "confidence"),
    [
        ([4, 4, 4], "high"),  # three answers, tight, 0.25 from the boundary
        ([4, 4], "medium"),  # only two answers
        ([4, 4, 3, 4], "low"),  # on the advance boundary
        ([5, 2, 5], "low"),  # spread of three
        ([2, 2, 2], "high"),
    ],
)
def test_confidence(scores: list[int], confidence: str) -> None:
    questions = [score(f"q{n}", "empathy", value) for n, value in enumerate(scores)]
    assert recommend(questions)[2] == confidence


def test_assemble_reports_flags_and_not_assessed_questions() -> None:
    questions = [
        score("q1", "empathy", 2, red_flags=["blames_customer", "too_short"], ownership="unclear"),
        score("q2", "balance", 2, red_flags=["too_short"], ownership="unclear"),
        score("q3", "learning", None),
    ]
    evaluation = build(questions)
    assert evaluation.red_flags == ["blames_customer", "too_short"]
    assert evaluation.recommendation == "do_not_advance"
    assert evaluation.overall_score == 2.0
    assert any(c.startswith("Not assessed: 'Question q3?'") for c in evaluation.concerns)
    assert any("Blamed the other person" in c for c in evaluation.concerns)
    assert [d.status for d in evaluation.dimensions] == ["assessed", "assessed", "not_assessed"]


def test_nothing_assessable() -> None:
    evaluation = build([score("q1", "empathy", None), score("q2", "balance", None)])
    assert evaluation.overall_score is None
    assert evaluation.recommendation == "insufficient_evidence"
    assert all(d.status == "not_assessed" for d in evaluation.dimensions)
    assert evaluation.concerns[0] == "No question produced assessable evidence."
    assert evaluation.strengths == []


def test_evaluation_round_trips_through_json() -> None:
    evaluation = build(
        [score("q1", "empathy", 4, quotes=[("action", "I did it")]), score("q2", "balance", 3)], ["I did it"]
    )
    assert Evaluation.model_validate_json(evaluation.model_dump_json()) == evaluation


def test_an_evaluations_usage_is_kept_beside_its_json_in_the_record_not_inside_it() -> None:
    questions = [score("q1", "empathy", 4), score("q2", "balance", 3)]
    spent = Usage(prompt_tokens=1200, completion_tokens=80, cost_usd=0.0004)
    plain = build(questions)
    costed = assemble(
        questions=questions,
        dimensions=DIMENSIONS,
        levels=LEVELS,
        candidate_turns=[],
        provenance=PROVENANCE,
        usage=spent,
    )
    assert costed.usage == spent
    assert costed.model_dump_json() == plain.model_dump_json()  # the same JSON from every brain
    record = EvaluationRecord(seq=3, at=FIXED_START, evaluation=costed, usage=costed.usage)
    written = json.loads(record.model_dump_json())
    assert list(written) == ["seq", "at", "type", "evaluation", "usage"]
    assert "usage" not in written["evaluation"]
    assert Usage.model_validate(written["usage"]) == spent
