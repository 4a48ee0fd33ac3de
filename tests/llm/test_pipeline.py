"""One pipeline for every model call: what a call records, and a failed call's usage recorded once."""

from __future__ import annotations

from pathlib import Path

from agent.brains.llm import (
    FALLBACK_BRAIN,
    BrainEvent,
    CallFinished,
    CallStarted,
    FellBack,
    LlmBrain,
    LlmConfig,
)
from agent.brains.llm.pipeline import Answered, Pipeline, Unanswered
from agent.brains.llm.runtime import Health, Ledger, Reporter
from agent.brains.llm.schema import AnalysisOutput
from agent.domain.policy import InterviewConfig
from agent.domain.rubric import Rubric
from agent.domain.transcript import EvaluationRecord
from agent.domain.usage import Usage
from agent.llm.errors import ModelAuthError
from agent.llm.fake import ScriptedChatModel
from agent.llm.protocol import ChatResponse
from agent.llm.structured import StructuredCaller
from agent.llm.tokens import TiktokenCounter
from agent.prompting import AnalysisPrompt, Exchange
from agent.session import InterviewSession
from agent.storage import TranscriptStore
from tests.conftest import FixedClock
from tests.llm.conftest import FakeTime
from tests.llm.outputs import analysis_output, score_output

Q = "Tell me about a time you helped an upset customer."
STORY = "Last spring a guest was upset about noise. I moved her to a quiet room myself and she thanked me."
SPENT = Usage(prompt_tokens=100, completion_tokens=10, cost_usd=0.001)
# Three answers that never validate (the first and two re-asks): the call fails having spent 3 x SPENT.
FAILED = SPENT + SPENT + SPENT


def invalid(output: str) -> list[ChatResponse]:
    return [ChatResponse(content=output, usage=SPENT)] * 3


def make(fake: ScriptedChatModel, events: list[BrainEvent], **config: object) -> LlmBrain:
    clock = FakeTime()
    return LlmBrain(
        fake,
        LlmConfig(model="gpt-4o-mini", **config),  # type: ignore[arg-type]
        retrier=clock.retrier(max_attempts=1),
        listener=events.append,
        clock=clock.clock,
    )


def pipeline(fake: ScriptedChatModel, events: list[BrainEvent], **config: object) -> tuple[Pipeline, Ledger]:
    settings = LlmConfig(model="gpt-4o-mini", **config)  # type: ignore[arg-type]
    counter = TiktokenCounter.for_model(settings.model)
    ledger = Ledger()
    calls = Pipeline(
        label="scripted:gpt-4o-mini",
        caller=StructuredCaller(model=fake, model_name=settings.model, counter=counter),
        counter=counter,
        config=settings,
        health=Health(settings),
        ledger=ledger,
        report=Reporter(events.append),
    )
    return calls, ledger


def context(current: list[Exchange], truncated: bool) -> AnalysisPrompt:
    return AnalysisPrompt(question=Q, exchanges=current, personalise=True, truncated=truncated)


def test_an_answered_call_is_reported_and_recorded_once() -> None:
    events: list[BrainEvent] = []
    calls, ledger = pipeline(
        ScriptedChatModel.of(ChatResponse(content=analysis_output(), usage=SPENT)), events
    )
    outcome = calls.ask("analysis", context, [Exchange(reply=STORY)], AnalysisOutput)
    assert isinstance(outcome, Answered) and outcome.result.usage == SPENT
    assert ledger.entries == [("analysis", None, SPENT)]
    assert [type(event) for event in events] == [CallStarted, CallFinished]


def test_a_failed_call_is_unanswered_with_its_usage_on_the_ledger_once() -> None:
    events: list[BrainEvent] = []
    calls, ledger = pipeline(ScriptedChatModel.of(*invalid(analysis_output(ownership="maybe"))), events)
    outcome = calls.ask("analysis", context, [Exchange(reply=STORY)], AnalysisOutput, question_id="q1")
    assert outcome == Unanswered("the model's answer did not match the expected structure", FAILED)
    assert ledger.entries == [("analysis", "q1", FAILED)]
    assert [type(event) for event in events] == [CallStarted, FellBack]


def test_a_call_not_made_is_unanswered_and_records_nothing() -> None:
    events: list[BrainEvent] = []
    fake = ScriptedChatModel.of(ModelAuthError("no"), analysis_output())
    calls, ledger = pipeline(fake, events)
    assert isinstance(calls.ask("analysis", context, [Exchange(reply=STORY)], AnalysisOutput), Unanswered)
    blocked = calls.ask("analysis", context, [Exchange(reply=STORY)], AnalysisOutput)  # the key was rejected
    assert isinstance(blocked, Unanswered) and blocked.usage is None
    assert "not used for the rest of this interview" in blocked.reason
    assert fake.calls == 1
    assert ledger.entries == [
        ("analysis", None, Usage())
    ]  # the rejected call spent nothing; the next made none
    assert [type(event) for event in events] == [CallStarted, FellBack, FellBack]


def test_a_request_over_the_budget_is_unanswered_before_any_call() -> None:
    events: list[BrainEvent] = []
    fake = ScriptedChatModel.of(analysis_output())
    calls, ledger = pipeline(fake, events, prompt_token_budget=50)
    outcome = calls.ask("analysis", context, [Exchange(reply=STORY)], AnalysisOutput)
    assert isinstance(outcome, Unanswered) and "token budget" in outcome.reason
    assert fake.calls == 0 and ledger.entries == []
    assert [type(event) for event in events] == [FellBack]


def test_a_failed_analysis_records_its_usage_once_and_carries_it() -> None:
    events: list[BrainEvent] = []
    brain = make(ScriptedChatModel.of(*invalid(analysis_output(ownership="maybe"))), events)
    analysis = brain.analyze(Q, [STORY])
    assert analysis.brain == FALLBACK_BRAIN
    assert analysis.usage == FAILED
    assert brain.ledger.entries == [("analysis", None, FAILED)]
    assert brain.usage == FAILED
    assert [type(event) for event in events].count(FellBack) == 1


def test_a_failed_question_score_records_its_usage_once_and_the_evaluation_carries_it(
    rubric: Rubric, tmp_path: Path
) -> None:
    events: list[BrainEvent] = []
    answered = ChatResponse(content=analysis_output(), usage=SPENT)
    fake = ScriptedChatModel.of(answered, *invalid(score_output(ownership="maybe")))
    brain = make(fake, events)
    store = TranscriptStore(tmp_path)
    session, _ = InterviewSession.start(
        rubric=rubric,
        brain=brain,
        store=store,
        config=InterviewConfig(question_count=1, max_followups=0),
        clock=FixedClock(),
        interview_id="failed-score",
    )
    update = session.submit(STORY)
    assert update.evaluation is not None
    (question,) = update.evaluation.questions
    assert question.brain == FALLBACK_BRAIN
    assert brain.ledger.entries == [("analysis", None, SPENT), ("evaluation", question.question_id, FAILED)]
    (record,) = [r for r in store.load("failed-score").records if isinstance(r, EvaluationRecord)]
    assert record.usage == FAILED
    assert store.load("failed-score").usage == brain.usage == SPENT + FAILED
    assert [type(event) for event in events].count(FellBack) == 1
