"""Cached and replayed model responses, keyed by the exact request, tested against a stub model."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.domain.usage import Usage
from agent.evals.chatcache import CachingChatModel, ReplayChatModel, cache_key
from agent.evals.errors import CacheMiss, HarnessError
from agent.evals.scope import case_scope
from agent.evals.throttle import ThrottledChatModel
from agent.llm.errors import ModelRateLimited, ModelTimeout
from agent.llm.protocol import ChatMessage, ChatRequest, ChatResponse


class StubModel:
    """Answers with a numbered reply and counts its calls; can fail first a few times."""

    name = "stub"

    def __init__(self, failures: list[Exception] | None = None, finish: str = "stop") -> None:
        self.calls = 0
        self.failures = list(failures or [])
        self.finish = finish
        self.lock = threading.Lock()

    def complete(self, request: ChatRequest) -> ChatResponse:
        with self.lock:
            self.calls += 1
            if self.failures:
                raise self.failures.pop(0)
            number = self.calls
        return ChatResponse.model_validate(
            {
                "content": f"reply {number}",
                "finish_reason": self.finish,
                "usage": Usage(prompt_tokens=10, completion_tokens=2),
                "model": request.model,
            }
        )

    def stream(self, request: ChatRequest) -> Iterator[str | ChatResponse]:
        response = self.complete(request)
        yield from (response.content[:3], response.content[3:])
        yield response


def request(text: str = "hello") -> ChatRequest:
    return ChatRequest(
        model="m", messages=(ChatMessage(role="user", content=text),), schema_name="AnalysisOutput"
    )


def test_a_second_identical_request_is_served_from_disk(tmp_path: Path) -> None:
    stub = StubModel()
    model = CachingChatModel(stub, tmp_path)
    first = model.complete(request())
    again = CachingChatModel(StubModel(), tmp_path).complete(request())
    assert again == first
    assert stub.calls == 1
    assert (tmp_path / request().key()[:2] / f"{request().key()}.json").is_file()


def test_a_different_request_is_a_different_entry(tmp_path: Path) -> None:
    stub = StubModel()
    model = CachingChatModel(stub, tmp_path)
    model.complete(request("one"))
    model.complete(request("two"))
    model.complete(request("one"))
    assert stub.calls == 2
    assert (model.stats.hits, model.stats.misses, model.stats.writes) == (1, 2, 2)
    assert model.stats.fresh.prompt_tokens == 20
    assert model.stats.cached.prompt_tokens == 10


def test_repeats_are_separate_samples(tmp_path: Path) -> None:
    stub = StubModel()
    model = CachingChatModel(stub, tmp_path)
    with case_scope("c1", 0):
        a = model.complete(request())
    with case_scope("c1", 1):
        b = model.complete(request())
    assert a.content != b.content
    assert cache_key(request(), 1) == f"{request().key()}-1"


def test_streams_are_cached_too(tmp_path: Path) -> None:
    stub = StubModel()
    model = CachingChatModel(stub, tmp_path)
    live = list(model.stream(request()))
    replayed = list(ReplayChatModel(tmp_path).stream(request()))
    assert "".join(c for c in live if isinstance(c, str)) == "reply 1"
    assert replayed[0] == "reply 1"
    assert isinstance(replayed[-1], ChatResponse)


def test_refusals_and_errors_are_not_cached(tmp_path: Path) -> None:
    model = CachingChatModel(StubModel(finish="refusal"), tmp_path)
    model.complete(request())
    assert model.stats.writes == 0
    failing = CachingChatModel(StubModel(failures=[ModelTimeout("slow")]), tmp_path)
    with pytest.raises(ModelTimeout):
        failing.complete(request())
    assert not any(tmp_path.rglob("*.json"))


def test_replay_never_calls_out_and_reports_misses(tmp_path: Path) -> None:
    CachingChatModel(StubModel(), tmp_path).complete(request("known"))
    replay = ReplayChatModel(tmp_path)
    assert replay.complete(request("known")).content == "reply 1"
    with case_scope("case-7", 0), pytest.raises(CacheMiss) as caught:
        replay.complete(request("unknown"))
    assert caught.value.exit_code == 2
    assert "--brain openai" in str(caught.value)
    assert replay.stats.missed_cases == {"case-7"}


def test_a_damaged_cache_entry_is_a_harness_error(tmp_path: Path) -> None:
    CachingChatModel(StubModel(), tmp_path).complete(request())
    path = next(tmp_path.rglob("*.json"))
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(HarnessError, match="cannot be read"):
        ReplayChatModel(tmp_path).complete(request())


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def test_rate_limits_back_off_honouring_retry_after() -> None:
    fake = FakeTime()
    stub = StubModel(failures=[ModelRateLimited("429", retry_after=7.0), ModelRateLimited("429")])
    model = ThrottledChatModel(stub, sleep=fake.sleep, clock=fake.clock, base_delay=1.0)
    assert model.complete(request()).content == "reply 3"
    assert model.rate_limited == 2
    assert fake.slept[0] >= 7.0
    assert 2.0 <= fake.slept[-1] <= 2.5


def test_rate_limits_give_up_after_the_attempts() -> None:
    fake = FakeTime()
    stub = StubModel(failures=[ModelRateLimited("429")] * 3)
    model = ThrottledChatModel(stub, attempts=2, sleep=fake.sleep, clock=fake.clock)
    with pytest.raises(ModelRateLimited):
        model.complete(request())


def test_other_errors_pass_straight_through() -> None:
    model = ThrottledChatModel(StubModel(failures=[ModelTimeout("slow")]))
    with pytest.raises(ModelTimeout):
        model.complete(request())


def test_requests_in_flight_are_bounded() -> None:
    in_flight = 0
    peak = 0
    lock = threading.Lock()

    class Slow(StubModel):
        def complete(self, request: ChatRequest) -> ChatResponse:
            nonlocal in_flight, peak
            with lock:
                in_flight += 1
                peak = max(peak, in_flight)
            time.sleep(0.02)
            with lock:
                in_flight -= 1
            return super().complete(request)

    model = ThrottledChatModel(Slow(), max_in_flight=2)
    threads = [threading.Thread(target=model.complete, args=(request(str(i)),)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak == 2
