"""The domain's optional extras for model brains: follow-up wording and usage, backwards compatible."""

from __future__ import annotations

import json

import pytest

from agent.brains.offline import OfflineBrain, analyze_answer
from agent.brains.protocol import InterviewFacts
from agent.domain.policy import InterviewConfig, new_interview
from agent.domain.rubric import Rubric
from agent.domain.star import FollowUpWording, StarAnalysis, usable_wording
from agent.domain.transcript import AnalysisRecord, EvaluationRecord, Transcript
from agent.domain.usage import Usage
from tests.conftest import FIXED_START, analysis
from tests.test_storage import header


@pytest.mark.parametrize(
    ("text", "usable"),
    [
        ("What did the guest say once she was in the new room?", True),
        ("  What did the guest say\n once she was in the new room?  ", True),
        ("Thanks. What did the guest say then?", False),
        ("What happened? And then?", False),
        ("Describe the outcome for the guest.", False),
        ("Why so?", False),
        ("What did you do <next>?", False),
        ("Q" * 200 + " a b c?", False),
    ],
)
def test_only_one_short_question_is_usable_wording(text: str, usable: bool) -> None:
    assert (usable_wording(text) is not None) is usable


def test_the_offline_brains_analysis_serialises_exactly_as_before() -> None:
    dumped = analyze_answer("Q?", ["I called the customer and fixed it last week."]).model_dump(mode="json")
    assert "followup_wording" not in dumped and "usage" not in dumped


def test_an_analysis_written_before_the_extras_existed_still_loads() -> None:
    old = analysis().model_dump(mode="json")
    loaded = StarAnalysis.model_validate(old)
    assert loaded.followup_wording == [] and loaded.usage is None


def test_extras_round_trip_through_json() -> None:
    rich = analysis().model_copy(
        update={
            "followup_wording": [FollowUpWording(target="result", question="How did it end for her?")],
            "usage": Usage(prompt_tokens=10, completion_tokens=2, cost_usd=0.001),
        }
    )
    again = StarAnalysis.model_validate_json(rich.model_dump_json())
    assert again == rich
    assert again.wording_for("result") == "How did it end for her?"
    assert again.wording_for("action") is None


def test_transcript_usage_totals_analyses_and_evaluations(rubric: Rubric) -> None:
    state = new_interview(rubric, config=InterviewConfig(question_count=1))
    facts = InterviewFacts(
        interview_id="int-1", started_at=FIXED_START, evaluated_at=FIXED_START, starling_version="t"
    )
    evaluation = OfflineBrain().evaluate(state, facts)

    first = analysis().model_copy(
        update={"usage": Usage(prompt_tokens=100, completion_tokens=10, cost_usd=0.1)}
    )
    second = analysis()
    records = [
        AnalysisRecord(seq=1, at=FIXED_START, question_id="q", analysis=first),
        AnalysisRecord(seq=2, at=FIXED_START, question_id="q", analysis=second),
        EvaluationRecord(
            seq=3, at=FIXED_START, evaluation=evaluation, usage=Usage(prompt_tokens=50, cost_usd=0.2)
        ),
    ]
    transcript = Transcript(header=header(), records=records)
    total = transcript.usage
    assert total is not None
    assert (total.prompt_tokens, total.completion_tokens) == (150, 10)
    assert total.cost_usd == pytest.approx(0.3)
    assert Transcript(header=header(), records=records[1:2]).usage is None
    line = json.loads(records[1].model_dump_json())
    assert "usage" not in line["analysis"]
