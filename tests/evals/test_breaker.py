"""Evals fail fast when the model is down: a circuit breaker ends the run with exit 2 and says why."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.evals.brains import ModelBrainProvider, llm_brain_factory
from agent.evals.breaker import CircuitBreaker, CircuitOpen
from agent.evals.defaults import BREAKER_FAILURES, DEFAULT_MAX_IN_FLIGHT
from agent.evals.errors import HarnessError
from agent.evals.runner import RunOptions, run_suite
from agent.evals.suite_loader import load_suite
from agent.llm.errors import ModelServerError, ModelTimeout
from agent.llm.fake import Reply, ScriptedChatModel
from agent.llm.protocol import ChatMessage, ChatRequest, ChatResponse
from agent.settings import load_settings
from tests.evals.conftest import SUITES, CliRunner
from tests.llm.loopback import LoopbackModel, json_body

pytest.importorskip("agent.brains.factory")

REQUEST = ChatRequest(model="m", messages=(ChatMessage(role="user", content="x"),))


@pytest.fixture
def always_500() -> Iterator[LoopbackModel]:
    with LoopbackModel(default=json_body({"error": {"message": "upstream is down"}}, status=500)) as model:
        yield model


def test_an_eval_against_a_model_that_always_fails_stops_with_exit_2(
    always_500: LoopbackModel, run_cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", always_500.base_url)
    monkeypatch.setenv("STARLING_RETRY_SECONDS", "0")  # no waiting between attempts in a test
    cache = str(tmp_path / "cache")
    result = run_cli("eval", "smoke", "--brain", "openai", "--model", "test-model", "--cache-dir", cache)
    assert result.code == 2
    assert "The eval run was stopped after" in result.err
    assert f"{BREAKER_FAILURES} model calls in a row failed" in result.err
    assert "HTTP 500" in result.err and "upstream is down" in result.err
    assert "--brain replay" in result.err  # what to do about it
    assert "Traceback" not in result.err
    # A handful of calls, not one per case of a 749-case suite.
    assert always_500.requests <= BREAKER_FAILURES + DEFAULT_MAX_IN_FLIGHT


def test_the_runner_stops_and_the_cases_left_are_not_run(tmp_path: Path) -> None:
    suite = load_suite(SUITES / "smoke.yaml")
    down = ScriptedChatModel(default=ModelServerError("down", status=503))
    provider = ModelBrainProvider.recording(
        down,
        model="test-model",
        factory=llm_brain_factory(load_settings(model="test-model", retry_seconds=0)),
        cache_dir=tmp_path / "cache",
        max_in_flight=2,
    )
    with pytest.raises(HarnessError, match="model calls in a row failed") as caught:
        run_suite(suite, provider, RunOptions(jobs=4))
    assert caught.value.exit_code == 2
    assert down.calls <= BREAKER_FAILURES + 4
    assert provider.halted() is not None


def test_the_breaker_opens_after_failures_in_a_row_and_then_calls_nothing() -> None:
    inner = ScriptedChatModel(default=ModelServerError("busy"))
    breaker = CircuitBreaker(inner, failures=3)
    for _ in range(3):
        with pytest.raises(ModelServerError):
            breaker.complete(REQUEST)
    assert breaker.opened is not None and "3 model calls in a row failed" in breaker.opened
    with pytest.raises(CircuitOpen) as caught:
        breaker.complete(REQUEST)
    assert not caught.value.retryable
    with pytest.raises(CircuitOpen):
        list(breaker.stream(REQUEST))
    assert inner.calls == 3


def test_a_success_resets_the_count_so_a_flaky_model_keeps_running() -> None:
    replies: list[Reply] = [ModelServerError("busy"), "ok"] * 20
    flaky = ScriptedChatModel.of(*replies)
    breaker = CircuitBreaker(flaky, failures=2)
    for _ in range(20):
        with pytest.raises(ModelServerError):
            breaker.complete(REQUEST)
        assert breaker.complete(REQUEST).content == "ok"
    assert breaker.opened is None


def test_a_model_that_only_times_out_opens_it_by_time() -> None:
    now = [0.0]

    def slow_timeout(request: ChatRequest) -> str:
        now[0] += 30.0  # each call waits out a 30 s timeout
        raise ModelTimeout("The model did not answer within 30 s.")

    breaker = CircuitBreaker(
        ScriptedChatModel(default=slow_timeout), failures=100, seconds=60.0, clock=lambda: now[0]
    )
    for _ in range(3):
        with pytest.raises(ModelTimeout):
            breaker.complete(REQUEST)
    assert breaker.opened is not None and "over 60 s" in breaker.opened


def test_a_stream_counts_as_a_success_once_it_has_its_final_response() -> None:
    inner = ScriptedChatModel.of(ModelServerError("busy"), "streamed text", ModelServerError("busy"))
    breaker = CircuitBreaker(inner, failures=2)
    with pytest.raises(ModelServerError):
        breaker.complete(REQUEST)
    assert isinstance(list(breaker.stream(REQUEST))[-1], ChatResponse)
    with pytest.raises(ModelServerError):
        breaker.complete(REQUEST)
    assert breaker.opened is None
