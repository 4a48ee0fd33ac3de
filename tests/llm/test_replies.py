"""Replies that are not chat completions, and replies without bounds, from a real server on 127.0.0.1.

Every such reply is a fault the brain falls back on, labelled with the reason, never a crash; a
reply is read no further than its size cap and its call's time, and its tokens are counted
within that time too.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from agent.brains.factory import openai_chat
from agent.brains.llm import FALLBACK_BRAIN, BrainEvent, Listener, LlmBrain, LlmConfig
from agent.brains.llm.events import DraftWatcher
from agent.brains.llm.schema import AnalysisOutput
from agent.cli import main
from agent.domain.star import StarAnalysis
from agent.llm.errors import ModelReplyInvalid, ModelReplyTooLarge, ModelTimeout
from agent.llm.fake import ScriptedChatModel
from agent.llm.limits import MAX_REPLY_BYTES
from agent.llm.openai_backend import OpenAIChatModel
from agent.llm.protocol import ChatMessage, ChatRequest, ChatResponse
from agent.llm.structured import StructuredCaller
from agent.settings import Settings, load_settings
from tests.llm.conftest import FakeTime, completion
from tests.llm.loopback import (
    Behaviour,
    LoopbackModel,
    body,
    drip,
    events,
    hang,
    huge,
    json_body,
    valid,
)
from tests.llm.outputs import analysis_output

QUESTION = "Tell me about a time you helped an upset customer."
ANSWER = (
    "Last spring a guest at our hotel was upset about noise at midnight. I moved her to a quiet room "
    "myself and booked her taxi for the morning. She left a five-star review."
)
NOT_A_COMPLETION = "the model server's reply was not a chat completion"


def _completion_with(change: dict[str, Any] | None = None, drop: str | None = None) -> dict[str, Any]:
    document = copy.deepcopy(completion("{}"))
    message = document["choices"][0]
    if drop is not None:
        del message[drop]
    message.update(change or {})
    return document


def _content(value: object) -> dict[str, Any]:
    document = completion("{}")
    document["choices"][0]["message"]["content"] = value
    return document


# The body shapes that once escaped the error mapping (an HTTP 200 every time).
SHAPES: dict[str, Behaviour] = {
    "text/plain": body("Service is up.", content_type="text/plain"),
    "text/html": body("<html><title>Sign in to Guest Wi-Fi</title></html>", content_type="text/html"),
    "an empty body": body(b"", content_type=None),
    "a JSON list": json_body([]),
    "a bare JSON string": json_body("hello"),
    "message null": json_body(_completion_with({"message": None})),
    "message missing": json_body(_completion_with(drop="message")),
    "content 123": json_body(_content(123)),
}


def brain(
    loopback: LoopbackModel, fake_time: FakeTime, listener: Listener | None = None, **options: Any
) -> LlmBrain:
    return LlmBrain(
        loopback.chat(**options),
        LlmConfig(model="test-model"),
        retrier=fake_time.retrier(max_attempts=4),
        listener=listener,
        clock=fake_time.clock,
    )


def assert_fell_back(analysis: StarAnalysis, reason: str) -> None:
    assert analysis.brain == FALLBACK_BRAIN
    assert f"was not used for this answer: {reason}" in analysis.notes[0]
    assert "offline brain analysed it instead" in analysis.notes[0]
    assert analysis.score is not None and analysis.word_count > 0  # the offline reading, not a made-up one


@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("streamed", [False, True], ids=["complete", "stream"])
def test_a_reply_that_is_not_a_completion_is_a_labelled_fallback(
    loopback: LoopbackModel, fake_time: FakeTime, shape: str, streamed: bool
) -> None:
    loopback.reply(SHAPES[shape])
    events_seen: list[BrainEvent] = []
    # A listener makes the brain stream, as the app does.
    b = brain(loopback, fake_time, events_seen.append if streamed else None)
    analysis = b.analyze(QUESTION, [ANSWER])
    assert_fell_back(analysis, NOT_A_COMPLETION)
    assert loopback.requests == 1  # the same server answers the same way: not retried, not re-asked
    assert loopback.seen[0].streamed is streamed
    assert fake_time.sleeps == []


@pytest.mark.parametrize("shape", list(SHAPES))
def test_the_backend_says_what_came_instead(loopback: LoopbackModel, shape: str) -> None:
    loopback.reply(SHAPES[shape])
    with pytest.raises(ModelReplyInvalid) as caught:
        loopback.chat().complete(_request())
    assert loopback.base_url in caught.value.message
    assert "not a chat completion" in caught.value.message
    assert "OPENAI_BASE_URL" in (caught.value.hint or "")


def test_a_web_page_is_named_as_one(loopback: LoopbackModel) -> None:
    loopback.reply(SHAPES["text/html"])
    with pytest.raises(ModelReplyInvalid, match=r"a web page \(text/html\)"):
        loopback.chat().complete(_request())


def test_an_interview_behind_a_captive_portal_runs_on_the_offline_brain(
    loopback: LoopbackModel,
    home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    loopback.default = SHAPES["text/html"]
    monkeypatch.setenv("OPENAI_BASE_URL", loopback.base_url)
    monkeypatch.setenv("STARLING_MODEL", "test-model")
    answers = tmp_path / "answers.txt"
    answers.write_text(f"{ANSWER}\n---\nShe thanked me the next day.\n---\nNothing more.\n", encoding="utf-8")
    argv = ["--brain", "openai", "interview", "--rubric", "customer-focus", "--questions", "1"]
    code = main([*argv, "--answers", str(answers), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Traceback" not in err
    document = json.loads(out)
    analyses = [turn["analysis"] for turn in document["turns"] if turn["role"] == "analysis"]
    assert analyses and {a["brain"] for a in analyses} == {FALLBACK_BRAIN}
    assert all(NOT_A_COMPLETION in a["notes"][0] for a in analyses)
    assert document["evaluation"]["provenance"]["brain"] == FALLBACK_BRAIN


# Streams that are not whole


@pytest.mark.parametrize(
    ("stream", "what"),
    [
        (events([], finish=None), "a stream with no answer in it"),
        (events(['{"a": 1'], finish=None, done=False), "ended before the answer was complete"),
        (body("data: <html>\n\n", content_type="text/event-stream"), "a stream event that is not JSON"),
        (
            body('data: {"choices": [{"delta": {"content": 5}}]}\n\n', content_type="text/event-stream"),
            "shape",
        ),
    ],
    ids=["no-chunks", "cut-off", "not-json", "wrong-shape"],
)
def test_a_broken_stream_is_an_invalid_reply(loopback: LoopbackModel, stream: Behaviour, what: str) -> None:
    loopback.reply(stream)
    with pytest.raises(ModelReplyInvalid, match=what):
        list(loopback.chat().stream(_request()))


def test_a_server_that_streams_unasked_or_ignores_stream_is_understood(loopback: LoopbackModel) -> None:
    loopback.reply(events(["Hel", "lo"]), json_body(completion("Hello")))
    chat = loopback.chat()
    assert chat.complete(_request()).content == "Hello"
    streamed = list(chat.stream(_request()))
    assert streamed[0] == "Hello"
    assert isinstance(streamed[-1], ChatResponse) and streamed[-1].content == "Hello"


def test_a_valid_reply_still_works_both_ways(loopback: LoopbackModel, fake_time: FakeTime) -> None:
    loopback.default = valid(analysis_output())
    assert brain(loopback, fake_time).analyze(QUESTION, [ANSWER]).brain == "openai:test-model"
    listened = brain(loopback, fake_time, lambda event: None)
    assert listened.analyze(QUESTION, [ANSWER]).brain == "openai:test-model"
    assert [seen.streamed for seen in loopback.seen] == [False, True]


# Bounded in size


@pytest.mark.parametrize("streamed", [False, True], ids=["complete", "stream"])
def test_a_reply_over_the_default_cap_is_a_fault_and_is_not_read_to_the_end(
    loopback: LoopbackModel, streamed: bool
) -> None:
    loopback.reply(huge(4 * MAX_REPLY_BYTES, streamed=streamed))
    chat = openai_chat(Settings(base_url=loopback.base_url, model="test-model"))
    assert isinstance(chat, OpenAIChatModel) and chat.max_reply_bytes == MAX_REPLY_BYTES
    with pytest.raises(ModelReplyTooLarge) as caught:
        if streamed:
            list(chat.stream(_request()))
        else:
            chat.complete(_request())
    assert caught.value.limit == MAX_REPLY_BYTES
    assert "2 MB" in caught.value.message
    assert not caught.value.retryable


def test_a_huge_reply_falls_back_with_the_reason(loopback: LoopbackModel, fake_time: FakeTime) -> None:
    loopback.reply(huge(1024 * 1024, streamed=True))
    b = brain(loopback, fake_time, lambda event: None, max_reply_bytes=256 * 1024)
    assert_fell_back(b.analyze(QUESTION, [ANSWER]), "the model server's reply was larger than allowed")
    assert loopback.requests == 1


def test_the_cap_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STARLING_MAX_REPLY_BYTES", "500000")
    settings = load_settings(base_url="http://127.0.0.1:9/v1", model="m")
    chat = openai_chat(settings)
    assert isinstance(chat, OpenAIChatModel) and chat.max_reply_bytes == 500_000
    assert Settings.model_fields["max_reply_bytes"].default == MAX_REPLY_BYTES


# Bounded in time


def test_a_server_that_never_answers_times_out(loopback: LoopbackModel) -> None:
    loopback.reply(hang())
    with pytest.raises(ModelTimeout):
        loopback.chat(timeout=0.2).complete(_request())


@pytest.mark.parametrize("streamed", [False, True], ids=["complete", "stream"])
def test_a_reply_that_drips_forever_times_out_on_the_whole_call(
    loopback: LoopbackModel, streamed: bool
) -> None:
    # Each gap is far inside the read timeout; only the bound on the whole call ends it.
    loopback.reply(drip(0.02, streamed=streamed))
    chat = loopback.chat(timeout=0.3)
    with pytest.raises(ModelTimeout, match=r"did not finish its reply within 0\.3 s"):
        if streamed:
            list(chat.stream(_request()))
        else:
            chat.complete(_request())


class _Clock:
    """Moves one second each time something counts tokens."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class _SlowCounter:
    """Counts a token per four characters and records what it was asked to count."""

    def __init__(self, clock: _Clock) -> None:
        self.clock = clock
        self.counted: list[int] = []

    def count(self, text: str) -> int:
        self.counted.append(len(text))
        self.clock.now += 1.0
        return len(text) // 4

    def count_messages(self, messages: Any) -> int:
        return sum(self.count(m.content) for m in messages)

    def truncate(self, text: str, max_tokens: int) -> tuple[str, int]:
        return text, 0


def test_counting_a_huge_reply_stops_when_the_calls_time_is_spent() -> None:
    clock = _Clock()
    counter = _SlowCounter(clock)
    reply = analysis_output() + " " * (8 * 1024 * 1024)  # valid JSON, and 8 MB of it with no usage reported
    caller = StructuredCaller(
        model=ScriptedChatModel.of(ChatResponse(content=reply)),
        model_name="m",
        counter=counter,
        time_budget=5.0,
        clock=clock,
    )
    result = caller.ask([ChatMessage(role="user", content="x")], AnalysisOutput)
    prompt_counts = 1
    reply_counted = sum(counter.counted[prompt_counts:])
    assert reply_counted <= 5 * 64 * 1024  # a few pieces, not 8 MB
    assert clock.now <= 1 + 5  # the prompt, then the pieces the budget allowed
    assert result.usage.completion_tokens == pytest.approx(len(reply) / 4, rel=0.01)  # the rest estimated


def test_counting_a_normal_reply_is_exact() -> None:
    from agent.llm.tokens import TiktokenCounter, count_within

    counter = TiktokenCounter()
    text = analysis_output()
    assert count_within(counter, text, seconds=0.0) == counter.count(text)
    long = "I called every customer myself. " * 5000
    assert count_within(counter, long, seconds=60.0) == pytest.approx(counter.count(long), abs=10)


def test_drafting_follow_ups_holds_a_bounded_window_of_a_huge_stream() -> None:
    seen: list[BrainEvent] = []
    watcher = DraftWatcher(seen.append)
    question = "How did the guest react after the move?"
    text = (
        '{"rationale": "'
        + "x" * 200_000
        + '", "followups": [{"target": "result", "question": "'
        + question
        + '"}'
        + " " * 200_000
        + "]}"
    )
    held = 0
    for start in range(0, len(text), 16):
        watcher.feed(text[start : start + 16])
        held = max(held, watcher.held)
    assert held <= 4000
    assert seen and seen[-1].text == question and seen[-1].complete  # type: ignore[union-attr]


def _request() -> ChatRequest:
    return ChatRequest(model="test-model", messages=(ChatMessage(role="user", content="x"),))
