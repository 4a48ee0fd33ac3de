"""Practice speaks to the person practising: a coaching summary instead of a recommendation, every
score saying how much it covers, and counts that read as English."""

from __future__ import annotations

import pytest

from agent.domain.coaching import COACHING, coaching_for, coaching_summary
from agent.domain.coverage import Coverage, answers, coverage
from agent.domain.star import SlotStatus, StarSlot
from agent.reports.html import _evaluation_section
from agent.reports.markdown import evaluation_markdown
from agent.reports.text import practice_summary_text
from tests.test_evaluation import build, score

# One answered question out of four: the session that was listed as "5.0".
ONE_OF_FOUR = [
    score("q1", "empathy", 5, specific_example=True, ownership="clear", quantified_result=True),
    score("q2", "balance", None, rationale="skipped by the candidate"),
    score("q3", "learning", None, rationale="skipped by the candidate"),
    score("q4", "learning", None, rationale="not reached"),
]


@pytest.mark.parametrize(
    ("count", "total", "said"),
    [(1, 1, "the only answer"), (2, 2, "both answers"), (3, 3, "all 3 answers"), (1, 3, "1 of 3 answers")],
)
def test_counts_read_as_english(count: int, total: int, said: str) -> None:
    assert answers(count, total) == said


def test_coverage_says_how_much_a_score_covers() -> None:
    assert coverage(build(ONE_OF_FOUR)) == Coverage(1, 4)
    assert Coverage(3, 4).text == "3 of 4 questions scored" and not Coverage(3, 4).complete
    assert Coverage(1, 1).text == "1 of 1 question scored" and Coverage(1, 1).complete


def test_strengths_never_say_all_1_answers() -> None:
    evaluation = build(ONE_OF_FOUR)
    said = " ".join(evaluation.strengths + evaluation.concerns)
    assert "all 1 answers" not in said and "1 of 1 answers" not in said
    assert "Gave a specific past example in the only answer." in evaluation.strengths


def test_the_practice_summary_coaches_and_says_what_it_covers() -> None:
    coached = coaching_summary(build(ONE_OF_FOUR))
    assert coached.score_line == "Average score: 5.0/5, 1 of 4 questions scored"
    assert any(line.startswith("You ") for line in coached.went_well)
    assert any("Answer every question next time" in line for line in coached.work_on)
    assert len(coached.not_scored) == 3


@pytest.mark.parametrize("render", ["markdown", "html", "text"])
def test_practice_reports_have_no_hiring_recommendation(render: str) -> None:
    evaluation = build(ONE_OF_FOUR)
    if render == "markdown":
        page = evaluation_markdown(evaluation, coaching=True)
    elif render == "html":
        page = _evaluation_section(evaluation, coaching=True)
    else:
        page = practice_summary_text(evaluation)
    assert "Practice summary" in page
    assert "1 of 4 questions scored" in page
    for reviewer_words in ("Recommendation", "Advance", "A person makes the decision", "confidence"):
        assert reviewer_words not in page


@pytest.mark.parametrize("render", ["markdown", "html"])
def test_the_reviewer_sees_the_recommendation_with_its_coverage(render: str) -> None:
    evaluation = build(ONE_OF_FOUR)
    page = (
        evaluation_markdown(evaluation, coaching=False)
        if render == "markdown"
        else _evaluation_section(evaluation, coaching=False)
    )
    assert "Insufficient evidence" in page
    assert "1 of 4 questions scored" in page


def statuses(code: str) -> dict[StarSlot, SlotStatus]:
    """Situation, task, action, result as + (present), ~ (partial) or - (missing)."""
    names: dict[str, SlotStatus] = {"+": "present", "~": "partial", "-": "missing"}
    return dict(zip(("situation", "task", "action", "result"), [names[c] for c in code], strict=True))


def test_coaching_follows_the_guides_follow_up_priority() -> None:
    tips = coaching_for(statuses("~-~-"), specific_example=False, ownership="unclear", reflection=False)
    expected = ["specificity", "ownership", "result", "action", "situation", "task", "reflection"]
    assert tips == [COACHING[target] for target in expected]


def test_missing_slots_come_before_partial_ones_and_the_task_last() -> None:
    tips = coaching_for(statuses("-~~-"), specific_example=True, ownership="clear", reflection=True)
    assert tips == [COACHING[target] for target in ("result", "situation", "action", "task")]


def test_whose_actions_is_coached_only_when_there_are_actions() -> None:
    unclear = coaching_for(statuses("++-+"), specific_example=True, ownership="unclear")
    assert unclear == [COACHING["action"]]
    assert coaching_for(statuses("++~+"), specific_example=True, ownership="unclear") == [
        COACHING["ownership"],
        COACHING["action"],
    ]


def test_an_off_topic_story_is_coached_to_a_relevant_example_first() -> None:
    tips = coaching_for(statuses("+++-"), specific_example=True, ownership="clear", red_flags=["off_topic"])
    assert tips == [COACHING["specificity"], COACHING["result"]]


def test_reflection_is_coached_only_when_judged_absent() -> None:
    complete = statuses("++++")
    assert coaching_for(complete, specific_example=True, ownership="clear", reflection=True) == []
    assert coaching_for(complete, specific_example=True, ownership="clear") == []  # not judged
    assert coaching_for(complete, specific_example=True, ownership="clear", reflection=False) == [
        COACHING["reflection"]
    ]


def test_a_declined_answer_has_no_gaps_to_coach() -> None:
    tips = coaching_for(statuses("----"), specific_example=False, ownership="unclear", declined=True)
    assert tips == []
