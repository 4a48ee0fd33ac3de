"""Faults end to end: a real backend over a faked HTTP layer, retried, re-asked or fallen back.

Time is faked: the retry schedule runs instantly and the waits are asserted exactly.
"""

from __future__ import annotations

import httpx2
import pytest

from agent.brains.llm import FALLBACK_BRAIN, LlmBrain, LlmConfig
from agent.brains.llm.schema import AnalysisOutput
from agent.domain.star import StarAnalysis
from agent.llm.errors import ModelOutputInvalid, ModelRefused, ModelTruncated, RetriesExhausted
from agent.llm.protocol import ChatMessage, ChatRequest
from agent.llm.retry import RetryingChatModel
from agent.llm.structured import StructuredCaller
from tests.llm.conftest import FakeServer, FakeTime, completion, error
from tests.llm.outputs import analysis_output

QUESTION = "Tell me about a time you helped an upset customer."
ANSWER = (
    "Last spring a guest at our hotel was upset about noise at midnight. I moved her to a quiet room "
    "myself and booked her taxi for the morning. She left a five-star review."
)
VALID = analysis_output(evidence={"action": ["I moved her to a quiet room myself"]})


def brain(server: FakeServer, fake_time: FakeTime, **policy: float) -> LlmBrain:
    options = {"base_delay": 1.0, "max_delay": 8.0, "total_seconds": 60.0, "max_attempts": 4, **policy}
    return LlmBrain(
        server.chat(),
        LlmConfig(model="test-model"),
        retrier=fake_time.retrier(**options),
        clock=fake_time.clock,
    )


def analyse(b: LlmBrain) -> StarAnalysis:
    return b.analyze(QUESTION, [ANSWER])


def assert_fell_back(analysis: StarAnalysis, words: str) -> None:
    assert analysis.brain == FALLBACK_BRAIN
    assert words in analysis.notes[0]
    assert "offline brain analysed it instead" in analysis.notes[0]


def test_429_waits_as_long_as_retry_after_says(server: FakeServer, fake_time: FakeTime) -> None:
    server.reply(error(429, headers={"retry-after": "7"}), completion(VALID))
    analysis = analyse(brain(server, fake_time))
    assert analysis.brain == "openai:test-model"
    assert fake_time.sleeps == [7.0]


def test_retry_after_is_capped(server: FakeServer, fake_time: FakeTime) -> None:
    server.reply(error(429, headers={"retry-after": "3600"}), completion(VALID))
    analyse(brain(server, fake_time, retry_after_cap=5.0))
    assert fake_time.sleeps == [5.0]


def test_a_retry_after_beyond_the_total_budget_falls_back_at_once(
    server: FakeServer, fake_time: FakeTime
) -> None:
    server.reply(error(429, headers={"retry-after": "50"}))
    analysis = analyse(brain(server, fake_time, total_seconds=30.0, retry_after_cap=60.0))
    assert fake_time.sleeps == []
    assert_fell_back(analysis, "rate-limited")


def test_500s_back_off_exponentially_then_succeed(server: FakeServer, fake_time: FakeTime) -> None:
    server.reply(error(500), error(502), completion(VALID))
    analysis = analyse(brain(server, fake_time))
    assert analysis.brain == "openai:test-model"
    assert fake_time.sleeps == [1.0, 2.0]


def test_500s_until_the_attempts_run_out_fall_back_with_the_reason(
    server: FakeServer, fake_time: FakeTime
) -> None:
    server.reply(*[error(500)] * 4)
    analysis = analyse(brain(server, fake_time))
    assert_fell_back(analysis, "the model server returned an error (4 attempts")
    assert fake_time.sleeps == [1.0, 2.0, 4.0]
    assert (
        analysis.score is not None and analysis.score >= 1 and analysis.word_count > 0
    )  # a real offline analysis, not a made-up score


def test_retrying_stops_within_the_total_time(server: FakeServer, fake_time: FakeTime) -> None:
    server.reply(*[error(503)] * 10)
    analyse(brain(server, fake_time, max_attempts=10, total_seconds=10.0))
    assert sum(fake_time.sleeps) <= 10.0
    assert fake_time.sleeps == [1.0, 2.0, 4.0]  # the next wait (8 s) would pass 10 s


def test_timeouts_are_retried_then_fall_back(server: FakeServer, fake_time: FakeTime) -> None:
    server.reply(*[httpx2.ReadTimeout("slow")] * 4)
    assert_fell_back(analyse(brain(server, fake_time)), "did not answer in time")


def test_connection_refused_falls_back(server: FakeServer, fake_time: FakeTime) -> None:
    server.reply(*[httpx2.ConnectError("refused")] * 4)
    assert_fell_back(analyse(brain(server, fake_time)), "could not be reached")


def test_malformed_json_is_reasked_with_the_error(server: FakeServer, fake_time: FakeTime) -> None:
    server.reply(completion("{oops"), completion(VALID))
    analysis = analyse(brain(server, fake_time))
    assert analysis.brain == "openai:test-model"
    reask = server.bodies[1]["messages"]
    assert reask[-2] == {"role": "assistant", "content": "{oops"}
    assert "Invalid JSON" in reask[-1]["content"]
    assert "Valid on attempt 2" in analysis.notes[0]
    assert analysis.usage is not None and analysis.usage.prompt_tokens == 200  # both calls counted


def test_schema_invalid_json_is_reasked_then_succeeds(server: FakeServer, fake_time: FakeTime) -> None:
    server.reply(completion(analysis_output(score=9)), completion(VALID))
    analysis = analyse(brain(server, fake_time))
    assert analysis.brain == "openai:test-model"
    assert "score" in server.bodies[1]["messages"][-1]["content"]


def test_invalid_three_times_falls_back(server: FakeServer, fake_time: FakeTime) -> None:
    bad = analysis_output(ownership="maybe")
    server.reply(completion(bad), completion(bad), completion(bad))
    analysis = analyse(brain(server, fake_time))
    assert len(server.bodies) == 3  # the first answer and two re-asks, no more
    assert_fell_back(analysis, "did not match the expected structure")
    assert analysis.usage is not None and analysis.usage.prompt_tokens == 300


def test_the_invalid_output_error_carries_every_attempt_and_its_raw_text(server: FakeServer) -> None:
    server.reply(completion("nope"), completion('{"star": 1}'), completion("still nope"))
    caller = StructuredCaller(model=server.chat(), model_name="test-model")
    with pytest.raises(ModelOutputInvalid) as caught:
        caller.ask([ChatMessage(role="user", content="x")], AnalysisOutput)
    assert caught.value.raw_outputs == ["nope", '{"star": 1}', "still nope"]
    assert "star" in caught.value.attempts[1].error


def test_a_refusal_is_not_reasked_and_falls_back(server: FakeServer, fake_time: FakeTime) -> None:
    server.reply(completion(None, refusal="I can't assess people."))
    analysis = analyse(brain(server, fake_time))
    assert len(server.bodies) == 1
    assert_fell_back(analysis, "refused")


def test_a_content_filter_stop_is_a_refusal(server: FakeServer) -> None:
    server.reply(completion("", finish="content_filter"))
    caller = StructuredCaller(model=server.chat(), model_name="test-model")
    with pytest.raises(ModelRefused):
        caller.ask([ChatMessage(role="user", content="x")], AnalysisOutput)


def test_a_cut_off_answer_is_asked_once_more_with_room(server: FakeServer, fake_time: FakeTime) -> None:
    server.reply(completion(VALID[:40], finish="length"), completion(VALID))
    analysis = analyse(brain(server, fake_time))
    assert analysis.brain == "openai:test-model"
    assert server.bodies[1]["max_tokens"] == 2 * server.bodies[0]["max_tokens"]
    assert "cut off" in analysis.notes[0]


def test_cut_off_twice_falls_back(server: FakeServer, fake_time: FakeTime) -> None:
    server.reply(completion(VALID[:40], finish="length"), completion(VALID[:80], finish="length"))
    assert_fell_back(analyse(brain(server, fake_time)), "cut off")


def test_truncation_error_keeps_the_raw_text(server: FakeServer) -> None:
    server.reply(completion('{"st', finish="length"))
    caller = StructuredCaller(model=server.chat(), model_name="m", max_tokens=100, max_tokens_cap=100)
    with pytest.raises(ModelTruncated) as caught:
        caller.ask([ChatMessage(role="user", content="x")], AnalysisOutput)
    assert caught.value.raw == '{"st'
    assert caught.value.max_tokens == 100


def test_json_schema_rejected_by_the_server_then_json_mode_for_the_rest(
    server: FakeServer, fake_time: FakeTime
) -> None:
    server.reply(error(500, "Input should be 'text' or 'json_object'"), completion(VALID), completion(VALID))
    b = brain(server, fake_time)
    analyse(b)
    analyse(b)
    kinds = [body["response_format"]["type"] for body in server.bodies]
    assert kinds == ["json_schema", "json_object", "json_object"]
    assert server.bodies[1]["response_format"]["schema"] == AnalysisOutput.model_json_schema()
    assert fake_time.sleeps == []


def test_a_stream_is_retried_only_before_its_first_chunk(fake_time: FakeTime) -> None:
    from agent.llm.errors import ModelServerError
    from agent.llm.fake import ScriptedChatModel

    fake = ScriptedChatModel.of(ModelServerError("busy"), "hello there")
    model = RetryingChatModel(fake, fake_time.retrier())
    items = list(model.stream(_request()))
    assert items[-1].content == "hello there"  # type: ignore[union-attr]
    assert fake.calls == 2


def test_exhausted_retries_say_how_many_and_how_long(fake_time: FakeTime) -> None:
    from agent.llm.errors import ModelTimeout
    from agent.llm.fake import ScriptedChatModel

    fake = ScriptedChatModel.of(*[ModelTimeout("slow")] * 3)
    with pytest.raises(RetriesExhausted) as caught:
        RetryingChatModel(fake, fake_time.retrier(max_attempts=3)).complete(_request())
    assert caught.value.attempts == 3
    assert caught.value.reason == "the model did not answer in time (3 attempts in 3 s)"


def _request() -> ChatRequest:
    return ChatRequest(model="m", messages=(ChatMessage(role="user", content="x"),))
