"""JSON and Markdown renderers: every question shown, not_assessed said plainly, candidate text literal."""

from __future__ import annotations

import json

import pytest
from markdown_it import MarkdownIt

from agent.domain.evaluation import Evaluation
from agent.domain.policy import InterviewConfig
from agent.domain.rubric import Rubric
from agent.domain.transcript import Transcript
from agent.reports.json_report import analysis_document, interview_document
from agent.reports.markdown import bar, evaluation_markdown, transcript_markdown
from agent.session import InterviewSession
from agent.storage import TranscriptStore
from tests.conftest import FakeBrain, FixedClock, analysis, complete
from tests.rendered import Page

PLAN = ["upset-customer", "saying-no", "win-back"]
MARKUP = "[bold]x[/bold] and \x1b[31mred\x1b[0m and <b>tag</b> and *stars*"
PLAIN = "I called the warehouse myself and the parcel arrived the next day."


def run_interview(store: TranscriptStore, rubric: Rubric, *, finish: bool = True) -> Transcript:
    """Question 1 answered (with a follow-up), question 2 skipped, question 3 answered with markup."""
    brain = FakeBrain().queue(
        analysis("++-+", evidence={"situation": ["I called the warehouse myself"]}, score=3),
        complete(score=4),
        analysis("++++", evidence={"action": ["[bold]x[/bold]"]}, score=5, flags=["too_short"]),
    )
    session, _ = InterviewSession.start(
        rubric=rubric,
        brain=brain,
        store=store,
        config=InterviewConfig(max_followups=1),
        plan=PLAN,
        clock=FixedClock(),
        interview_id="report-test",
        candidate="Ada \x1b]0;owned\x07",
    )
    session.submit(PLAIN)
    session.submit("It was my job to fix it.")
    session.skip()
    if finish:
        session.submit(MARKUP)
    session.close()
    return store.load("report-test")


# analyze documents


def test_analysis_document_pinned_keys(rubric: Rubric) -> None:
    question = rubric.question("upset-customer")
    document = analysis_document(analysis("++-+"), rubric, question.text)
    assert set(document) >= {
        "star",
        "ownership",
        "specific_example",
        "quantified_result",
        "red_flags",
        "followup",
        "score",
    }
    assert document["star"] == {
        "situation": "present",
        "task": "present",
        "action": "missing",
        "result": "present",
    }
    own = question.followup_for("action")
    assert own is not None
    assert document["followup"]["target"] == "action"
    assert document["followup"]["question"] == own.text


def test_analysis_document_for_an_unknown_question_uses_generic_followups(rubric: Rubric) -> None:
    document = analysis_document(analysis("++-+"), rubric, "Tell me about your favourite colour.")
    assert document["followup"]["question"] == rubric.generic_followups.action


def test_analysis_document_matches_question_loosely(rubric: Rubric) -> None:
    question = rubric.question("upset-customer")
    loose = "  " + question.text.upper().rstrip("?") + "  "
    document = analysis_document(analysis("+++-"), rubric, loose)
    own = question.followup_for("result")
    assert own is not None
    assert document["followup"]["question"] == own.text


def test_analysis_document_without_gaps(rubric: Rubric) -> None:
    document = analysis_document(complete(), rubric, rubric.questions[0].text)
    assert document["followup"]["target"] == "none"
    assert document["followup"]["question"] == ""


# interview documents


def test_interview_document_tags_every_turn(store: TranscriptStore, rubric: Rubric) -> None:
    transcript = run_interview(store, rubric)
    document = interview_document(transcript)
    assert document["interview_id"] == "report-test"
    assert document["plan"] == PLAN
    assert document["finished"] is True
    kinds = [t["kind"] for t in document["turns"] if t["role"] in {"interviewer", "candidate"}]
    assert kinds == [
        "opening",
        "question",
        "answer",
        "followup",
        "answer",
        "question",
        "question",
        "answer",
        "closing",
    ]
    followup = next(t for t in document["turns"] if t.get("kind") == "followup")
    assert followup["target"] == "action"
    assert followup["reason"]
    analyses = [t for t in document["turns"] if t["role"] == "analysis"]
    assert len(analyses) == 3
    evaluation = document["evaluation"]
    assert [q["question_id"] for q in evaluation["questions"]] == PLAN


def test_json_keeps_candidate_text_literally(store: TranscriptStore, rubric: Rubric) -> None:
    transcript = run_interview(store, rubric)
    rendered = json.dumps(interview_document(transcript), ensure_ascii=False)
    assert "\x1b" not in rendered  # JSON escapes control characters...
    loaded = json.loads(rendered)
    texts = [t["text"] for t in loaded["turns"] if t["role"] == "candidate"]
    assert MARKUP in texts  # ...and gives them back exactly
    quotes = [e["quote"] for q in loaded["evaluation"]["questions"] for e in q["evidence"]]
    assert "[bold]x[/bold]" in quotes
    assert loaded["candidate"] == "Ada \x1b]0;owned\x07"


def test_unfinished_interview_document(store: TranscriptStore, rubric: Rubric) -> None:
    document = interview_document(run_interview(store, rubric, finish=False))
    assert document["finished"] is False
    assert document["evaluation"] is None


# Markdown


def evaluation_of(transcript: Transcript) -> Evaluation:
    evaluation = transcript.evaluation
    assert evaluation is not None
    return evaluation


def test_evaluation_markdown_includes_every_question(store: TranscriptStore, rubric: Rubric) -> None:
    evaluation = evaluation_of(run_interview(store, rubric))
    text = evaluation_markdown(evaluation)
    for number, question_id in enumerate(PLAN, start=1):
        assert f"#### {number}. {rubric.question(question_id).text}" in text
    skipped = text.split(f"#### 2. {rubric.question('saying-no').text}")[1].split("#### 3.")[0]
    assert "**Score:** not assessed" in skipped
    assert "**Score:** 4/5 (Strong)" in text
    assert "**Score:** 5/5 (Exceptional)" in text
    assert "`too_short`" in text
    assert "Interview `report-test`" in text


def test_evaluation_markdown_shows_unassessed_dimensions(store: TranscriptStore, rubric: Rubric) -> None:
    evaluation = evaluation_of(run_interview(store, rubric))
    text = evaluation_markdown(evaluation)
    assessed = {d.dimension for d in evaluation.dimensions if d.status == "assessed"}
    assert assessed == {rubric.question("upset-customer").dimension, rubric.question("win-back").dimension}
    for dimension in evaluation.dimensions:
        row = next(line for line in text.splitlines() if line.startswith(f"| {dimension.name} |"))
        if dimension.status == "not_assessed":
            assert row == f"| {dimension.name} | not assessed | not assessed |"
        else:
            assert "/5" in row


def test_coaching_only_when_asked(store: TranscriptStore, rubric: Rubric) -> None:
    transcript = run_interview(store, rubric)
    evaluation = evaluation_of(transcript).model_copy()
    questions = [q.model_copy(update={"coaching": ["Say how it ended."]}) for q in evaluation.questions]
    coached = evaluation.model_copy(update={"questions": questions})
    assert "What to add next time:" in evaluation_markdown(coached, coaching=True)
    assert "What to add next time:" not in evaluation_markdown(coached, coaching=False)


def test_dropped_evidence_is_reported(store: TranscriptStore, rubric: Rubric) -> None:
    evaluation = evaluation_of(run_interview(store, rubric)).model_copy(update={"dropped_evidence": 3})
    assert "3 evidence quote(s) not found in the transcript were dropped." in evaluation_markdown(evaluation)


def test_transcript_markdown(store: TranscriptStore, rubric: Rubric) -> None:
    text = transcript_markdown(run_interview(store, rubric))
    assert text.startswith("# Interview report-test with Ada ")
    assert "**Interviewer** (opening):" in text
    assert "**Interviewer** (follow-up on action):" in text
    assert "**Interviewer** (closing):" in text
    assert f"> {PLAIN}" in text
    shown = " ".join(Page(MarkdownIt("commonmark").render(text)).text.split())
    assert "[bold]x[/bold]" in shown and "<b>tag</b>" in shown and "*stars*" in shown  # not interpreted
    assert "## Practice summary" in text, "a practice interview gets coaching, not an evaluation"
    assert "Recommendation" not in text
    assert "**unfinished**" not in text


def test_transcript_markdown_never_emits_terminal_controls(store: TranscriptStore, rubric: Rubric) -> None:
    text = transcript_markdown(run_interview(store, rubric))
    assert not any(ord(c) < 0x20 and c not in "\n\t" for c in text)
    shown = Page(MarkdownIt("commonmark").render(text)).text
    assert "␛[31mred␛[0m" in shown
    assert "Ada ␛]0;owned␇" in shown


def test_unfinished_transcript_markdown(store: TranscriptStore, rubric: Rubric) -> None:
    text = transcript_markdown(run_interview(store, rubric, finish=False))
    assert "**unfinished**" in text
    assert "## Evaluation" not in text


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, "not assessed"), (5.0, "█" * 20 + " 5.0/5"), (2.5, "█" * 10 + "░" * 10 + " 2.5/5")],
)
def test_bar(value: float | None, expected: str) -> None:
    assert bar(value) == expected
