"""The session runner: persistence before every reply, input checks, and resume from any interruption."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from agent.answers import MAX_ANSWER_CHARS
from agent.domain.policy import InterviewConfig
from agent.domain.rubric import Rubric
from agent.domain.star import StarAnalysis
from agent.domain.transcript import (
    AnalysisRecord,
    BodyRecord,
    ControlRecord,
    EvaluationRecord,
    Turn,
)
from agent.errors import InputError, TranscriptError
from agent.rubrics import load_rubric
from agent.session import InterviewSession, Update
from agent.storage import TranscriptStore, read_transcript
from tests.conftest import BrainCrashed, FakeBrain, FixedClock, analysis, complete, declined

RUBRIC = load_rubric("customer-focus")
PLAN = ["upset-customer", "different-expectations", "saying-no", "win-back"]
CONFIG = InterviewConfig(question_count=4, max_followups=2, seed=0)


@dataclass(frozen=True)
class Step:
    """One scripted candidate move: a reply with the analysis the brain will give, or a control."""

    kind: str
    text: str = ""
    result: StarAnalysis | None = None


# Covers a follow-up chain that hits the budget, a declined main question, a declined follow-up,
# and a skip of the last question.
SCRIPT = [
    Step("answer", "u1: the customer shouted about a late order", analysis("++-+")),
    Step("answer", "u2: I rang the warehouse", analysis("+++-")),
    Step("answer", "u3: it arrived the next day", complete(score=4)),
    Step("answer", "e1: I can't recall one", declined()),
    Step("answer", "s1: I told them we could not refund", analysis("+++-", score=3)),
    Step("answer", "s2: I don't remember how it ended", declined()),
    Step("skip"),
]


def start(
    store: TranscriptStore, brain: FakeBrain, clock: FixedClock, *, plan: list[str] = PLAN
) -> tuple[InterviewSession, Update]:
    return InterviewSession.start(
        rubric=RUBRIC,
        brain=brain,
        store=store,
        config=CONFIG,
        plan=plan,
        clock=clock,
        interview_id="test-interview",
    )


def act(session: InterviewSession, step: Step) -> Update:
    if step.kind == "skip":
        return session.skip()
    if step.kind == "end":
        return session.end()
    return session.submit(step.text)


def brain_for(script: list[Step]) -> FakeBrain:
    return FakeBrain().queue(*(s.result for s in script if s.result is not None))


def comparable(records: list[BodyRecord]) -> list[Any]:
    """Records without timestamps, which depend on how often the clock was read."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in {"at", "evaluated_at"}}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return [strip(r.model_dump(mode="json")) for r in records]


def reference(tmp_path: Path) -> InterviewSession:
    store = TranscriptStore(tmp_path / "reference")
    session, _ = start(store, brain_for(SCRIPT), FixedClock())
    for step in SCRIPT:
        act(session, step)
    session.close()
    return session


def test_whole_interview_with_the_fake_brain(
    store: TranscriptStore, clock: FixedClock, rubric: Rubric
) -> None:
    brain = brain_for(SCRIPT)
    session, first = start(store, brain, clock)
    assert [t.ask for t in first.turns] == ["opening", "question"]
    assert first.turns[1].question_id == PLAN[0]

    shown: list[tuple[str | None, str | None, str | None]] = []
    for step in SCRIPT:
        update = act(session, step)
        shown += [(t.ask, t.question_id, t.target) for t in update.turns]
    assert shown == [
        ("followup", "upset-customer", "action"),
        ("followup", "upset-customer", "result"),
        ("question", "different-expectations", None),
        ("question", "saying-no", None),
        ("followup", "saying-no", "result"),
        ("question", "win-back", None),
        ("closing", None, None),
    ]
    assert session.state.finished
    assert brain.calls[1] == (
        rubric.question("upset-customer").text,
        ("u1: the customer shouted about a late order", "u2: I rang the warehouse"),
    )
    states = {q.question_id: q for q in session.state.questions}
    assert states["upset-customer"].status == "done"
    assert states["different-expectations"].status == "declined"
    assert states["saying-no"].not_evidenced == ("result",)
    assert states["win-back"].status == "skipped"

    evaluation = session.evaluation
    assert evaluation is not None
    assert brain.evaluations == 1
    assert [q.status for q in evaluation.questions] == ["scored", "not_assessed", "scored", "not_assessed"]
    # saying-no is scored on the story told before the declined follow-up on its result.
    assert evaluation.questions[2].score == 3  # not the declined analysis (score 1)
    assert evaluation.questions[2].not_evidenced == ["result"]
    assert evaluation.provenance.interview_id == "test-interview"
    assert evaluation.provenance.rubric_hash == rubric.content_hash()

    records = read_transcript(store.path_for("test-interview")).records
    assert sum(isinstance(r, EvaluationRecord) for r in records) == 1
    assert isinstance(records[-1], EvaluationRecord)
    assert [r.seq for r in records] == list(range(1, len(records) + 1))


def test_every_record_is_on_disk_before_the_next_question(store: TranscriptStore, clock: FixedClock) -> None:
    session, first = start(store, brain_for(SCRIPT), clock)
    path = store.path_for(session.interview_id)
    assert read_transcript(path).turns == first.turns
    for step in SCRIPT:
        update = act(session, step)
        on_disk = read_transcript(path)
        assert on_disk.records == session.records
        for turn in update.turns:
            assert turn in on_disk.records
        for record in update.analyses:
            assert record in on_disk.records
        if step.kind == "answer":
            assert step.text in on_disk.candidate_text


def test_header_records_the_plan_and_provenance(
    store: TranscriptStore, clock: FixedClock, rubric: Rubric
) -> None:
    session, _ = start(store, FakeBrain(), clock)
    header = read_transcript(store.path_for(session.interview_id)).header
    assert header.plan == PLAN
    assert header.config == CONFIG
    assert header.rubric_hash == rubric.content_hash()
    assert header.brain == "fake"


@pytest.mark.parametrize("text", ["", "   ", "\n\t \n"])
def test_empty_answer_is_refused_and_nothing_written(
    store: TranscriptStore, clock: FixedClock, text: str
) -> None:
    brain = FakeBrain()
    session, _ = start(store, brain, clock)
    path = store.path_for(session.interview_id)
    before = path.read_bytes()
    with pytest.raises(InputError) as raised:
        session.submit(text)
    assert raised.value.hint
    assert path.read_bytes() == before
    assert brain.calls == []
    assert session.state.phase == "awaiting_answer"


def test_overlong_answer_is_refused_and_nothing_written(store: TranscriptStore, clock: FixedClock) -> None:
    brain = FakeBrain(default=complete())
    session, _ = start(store, brain, clock)
    path = store.path_for(session.interview_id)
    before = path.read_bytes()
    with pytest.raises(InputError) as raised:
        session.submit("x" * (MAX_ANSWER_CHARS + 1))
    assert "limit" in raised.value.message
    assert path.read_bytes() == before
    assert brain.calls == []
    session.submit("y" * MAX_ANSWER_CHARS)  # exactly at the limit is fine
    assert len(brain.calls) == 1


def test_actions_after_the_end_are_refused(store: TranscriptStore, clock: FixedClock) -> None:
    brain = FakeBrain(default=complete())
    session, _ = start(store, brain, clock)
    update = session.end()
    assert [t.ask for t in update.turns] == ["closing"]
    assert update.evaluation is not None
    assert session.state.ended_early
    path = store.path_for(session.interview_id)
    before = path.read_bytes()
    with pytest.raises(InputError):
        session.submit("late answer")
    with pytest.raises(InputError):
        session.skip()
    with pytest.raises(InputError):
        session.end()
    assert path.read_bytes() == before
    assert brain.evaluations == 1


def test_end_writes_control_then_closing_then_one_evaluation(
    store: TranscriptStore, clock: FixedClock
) -> None:
    session, _ = start(store, FakeBrain(default=complete()), clock)
    session.submit("a complete story")
    session.end()
    records = read_transcript(store.path_for(session.interview_id)).records
    tail = records[-3:]
    assert isinstance(tail[0], ControlRecord) and tail[0].control == "end"
    assert isinstance(tail[1], Turn) and tail[1].ask == "closing"
    assert isinstance(tail[2], EvaluationRecord)
    assert sum(isinstance(r, EvaluationRecord) for r in records) == 1


REFERENCE_RECORDS = 23


def cut_points() -> list[tuple[int, bool]]:
    # The reference transcript has a fixed number of body records; cut after each of them,
    # cleanly and with the next record torn in half.
    count = REFERENCE_RECORDS
    return [(k, False) for k in range(count + 1)] + [(k, True) for k in range(count)]


def test_reference_script_record_count(tmp_path: Path) -> None:
    """Keeps `cut_points` honest: it must cover every record of the reference run."""
    assert len(reference(tmp_path).records) == REFERENCE_RECORDS


@pytest.mark.parametrize(("keep", "torn"), cut_points())
def test_resume_after_interruption_at_any_point(tmp_path: Path, keep: int, torn: bool) -> None:
    ref = reference(tmp_path)
    records = ref.records
    store = TranscriptStore(tmp_path / "resumed")
    with store.create(ref.header) as writer:
        for record in records[:keep]:
            writer.append(record)
    path = writer.path
    if torn:
        line = records[keep].model_dump_json().encode("utf-8")
        with path.open("ab") as handle:
            handle.write(line[: len(line) // 2])

    transcript = store.load(ref.interview_id)
    assert transcript.records == records[:keep]
    analysed = sum(isinstance(r, AnalysisRecord) for r in transcript.records)
    consumed = sum(
        isinstance(r, ControlRecord) or (isinstance(r, Turn) and r.role == "candidate")
        for r in transcript.records
    )
    answered = [s for s in SCRIPT if s.result is not None]
    brain = FakeBrain().queue(*(s.result for s in answered[analysed:] if s.result is not None))
    had_evaluation = transcript.evaluation is not None

    session, update = InterviewSession.resume(
        transcript=transcript, rubric=RUBRIC, brain=brain, store=store, clock=FixedClock()
    )
    if not session.state.finished:
        last_interviewer = [t for t in session.turns if t.role == "interviewer"][-1]
        assert update.turns[-1] == last_interviewer
        assert last_interviewer.ask in {"question", "followup"}
    for step in SCRIPT[consumed:]:
        act(session, step)
    session.close()

    final = read_transcript(path)
    assert comparable(final.records) == comparable(records)
    assert final.records == session.records
    assert brain.analyses == type(brain.analyses)(), "every queued analysis was used exactly once"
    assert brain.evaluations == (0 if had_evaluation else 1)


def test_resume_after_the_brain_crashed_mid_analysis(store: TranscriptStore, clock: FixedClock) -> None:
    brain = brain_for(SCRIPT)
    brain.crash_on_call = 2
    session, _ = start(store, brain, clock)
    act(session, SCRIPT[0])
    with pytest.raises(BrainCrashed):
        act(session, SCRIPT[1])
    session.close()

    transcript = store.load(session.interview_id)
    last = transcript.records[-1]
    assert isinstance(last, Turn) and last.role == "candidate" and last.text == SCRIPT[1].text

    # The crashed call consumed nothing from the queue; a fresh brain picks up where it stopped.
    rest = FakeBrain().queue(*brain.analyses)
    resumed, update = InterviewSession.resume(
        transcript=transcript, rubric=RUBRIC, brain=rest, store=store, clock=clock
    )
    assert [(t.ask, t.target) for t in update.turns] == [("followup", "result")]
    assert len(update.analyses) == 1
    assert rest.calls[0][1] == (SCRIPT[0].text, SCRIPT[1].text)
    for step in SCRIPT[2:]:
        act(resumed, step)
    resumed.close()

    final = read_transcript(store.path_for(session.interview_id))
    assert final.candidate_text == [s.text for s in SCRIPT if s.kind == "answer"]
    interviewer = [(t.ask, t.question_id, t.followup_number) for t in final.turns if t.role == "interviewer"]
    assert len(interviewer) == len(set(interviewer))
    assert sum(isinstance(r, EvaluationRecord) for r in final.records) == 1


def test_resume_of_a_finished_interview_adds_nothing(store: TranscriptStore, clock: FixedClock) -> None:
    session, _ = start(store, brain_for(SCRIPT), clock)
    for step in SCRIPT:
        act(session, step)
    session.close()
    path = store.path_for(session.interview_id)
    before = path.read_bytes()
    brain = FakeBrain()
    resumed, update = InterviewSession.resume(
        transcript=store.load(session.interview_id), rubric=RUBRIC, brain=brain, store=store, clock=clock
    )
    resumed.close()
    assert path.read_bytes() == before
    assert brain.calls == [] and brain.evaluations == 0
    assert [t.ask for t in update.turns] == ["closing"]


def test_resume_with_another_rubric_is_refused(store: TranscriptStore, clock: FixedClock) -> None:
    session, _ = start(store, FakeBrain(), clock)
    session.close()
    other = RUBRIC.model_copy(update={"id": "other-rubric"})
    with pytest.raises(TranscriptError):
        InterviewSession.resume(
            transcript=store.load(session.interview_id), rubric=other, brain=FakeBrain(), store=store
        )


def test_resume_when_the_rubric_lost_a_question_is_refused(store: TranscriptStore, clock: FixedClock) -> None:
    session, _ = start(store, FakeBrain(), clock)
    session.close()
    rubric = RUBRIC
    smaller = rubric.model_copy(update={"questions": [q for q in rubric.questions if q.id != "win-back"]})
    with pytest.raises(TranscriptError) as raised:
        InterviewSession.resume(
            transcript=store.load(session.interview_id), rubric=smaller, brain=FakeBrain(), store=store
        )
    assert "win-back" in raised.value.message
