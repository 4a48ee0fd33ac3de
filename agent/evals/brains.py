"""The brain under test, behind one small interface: offline, a model (cached), or a replay of the cache.

A provider hands each case a fresh brain (model-backed brains keep per-interview health state),
and reports the token usage, cache statistics and example requests the run manifest records.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

from agent.brains.offline import OfflineBrain
from agent.brains.protocol import Brain
from agent.errors import StarlingError
from agent.evals.breaker import CircuitBreaker
from agent.evals.chatcache import CacheStats, CachingChatModel, ReplayChatModel
from agent.evals.runfile import RenderedPrompt, TokenUsage
from agent.evals.scope import CASE
from agent.evals.throttle import ThrottledChatModel
from agent.llm.protocol import ChatModel, ChatRequest, ChatResponse
from agent.settings import Settings

ModelBrainFactory = Callable[[ChatModel], Brain]
FALLBACK_MARK = "fallback"


class BrainProvider(Protocol):
    """Where a run gets its brains, and what it reports about the model calls behind them."""

    @property
    def name(self) -> str: ...

    @property
    def model(self) -> str | None: ...

    def brain(self) -> Brain: ...

    def usage(self) -> TokenUsage: ...

    def rendered(self) -> dict[str, RenderedPrompt]: ...

    def missed(self) -> set[str]:
        """Ids of cases that needed a response the replay cache did not have."""
        ...

    def halted(self) -> str | None:
        """Why the run must stop now (the model keeps failing), or None to go on."""
        ...


class FixedBrainProvider:
    """Any in-process brain: the offline one by default, or a test's deliberately degraded one."""

    def __init__(self, make: Callable[[], Brain] = OfflineBrain, name: str | None = None) -> None:
        self._make = make
        self._name = name or make().name

    @property
    def name(self) -> str:
        return self._name

    @property
    def model(self) -> str | None:
        return None

    def brain(self) -> Brain:
        return self._make()

    def usage(self) -> TokenUsage:
        return TokenUsage()

    def rendered(self) -> dict[str, RenderedPrompt]:
        return {}

    def missed(self) -> set[str]:
        return set()

    def halted(self) -> str | None:
        return None


class RecordingChatModel:
    """Keeps, for each kind of request, the one made by the first case in id order: the rendered
    prompts a comparison diffs. Everything else passes straight through."""

    def __init__(self, inner: ChatModel) -> None:
        self.inner = inner
        self.samples: dict[str, RenderedPrompt] = {}
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.inner.name

    def complete(self, request: ChatRequest) -> ChatResponse:
        self._record(request)
        return self.inner.complete(request)

    def stream(self, request: ChatRequest) -> Iterator[str | ChatResponse]:
        self._record(request)
        return self.inner.stream(request)

    def _record(self, request: ChatRequest) -> None:
        kind, case = request.schema_name or "request", CASE.get()
        with self._lock:
            known = self.samples.get(kind)
            if known is None or case < known.case_id:
                messages = [(message.role, message.content) for message in request.messages]
                self.samples[kind] = RenderedPrompt(case_id=case, messages=messages)


class ModelBrainProvider:
    """A model-backed brain over a cached (or replay-only) chat model, with bounded concurrency."""

    def __init__(
        self,
        *,
        name: str,
        model: str,
        factory: ModelBrainFactory,
        chat: CachingChatModel | ReplayChatModel,
        throttle: ThrottledChatModel | None = None,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self._name = name
        self._model = model
        self._factory = factory
        self._cache = chat
        self._throttle = throttle
        self._breaker = breaker
        self._recording = RecordingChatModel(chat)

    @classmethod
    def recording(
        cls, inner: ChatModel, *, model: str, factory: ModelBrainFactory, cache_dir: Path, max_in_flight: int
    ) -> ModelBrainProvider:
        """Calls the model for requests not in the cache, and caches what it answers.

        Calls that fail in a row open a circuit breaker, which stops the run (see `halted`).
        """
        throttle = ThrottledChatModel(inner, max_in_flight=max_in_flight)
        breaker = CircuitBreaker(throttle)
        return cls(
            name=inner.name,
            model=model,
            factory=factory,
            chat=CachingChatModel(breaker, cache_dir),
            throttle=throttle,
            breaker=breaker,
        )

    @classmethod
    def replaying(cls, *, model: str, factory: ModelBrainFactory, cache_dir: Path) -> ModelBrainProvider:
        """Answers only from the cache: no network at all."""
        return cls(name="replay", model=model, factory=factory, chat=ReplayChatModel(cache_dir))

    @property
    def name(self) -> str:
        return self._name

    @property
    def model(self) -> str | None:
        return self._model

    @property
    def stats(self) -> CacheStats:
        return self._cache.stats

    def brain(self) -> Brain:
        return self._factory(self._recording)

    def usage(self) -> TokenUsage:
        stats = self._cache.stats
        costs = [c for c in (stats.fresh.cost_usd,) if c is not None]
        return TokenUsage(
            prompt_tokens=stats.fresh.prompt_tokens,
            completion_tokens=stats.fresh.completion_tokens,
            cached_prompt_tokens=stats.cached.prompt_tokens,
            cached_completion_tokens=stats.cached.completion_tokens,
            cost_usd=sum(costs) if costs else None,
            cache_hits=stats.hits,
            cache_misses=stats.misses,
            cache_writes=stats.writes,
            rate_limited=self._throttle.rate_limited if self._throttle else 0,
        )

    def rendered(self) -> dict[str, RenderedPrompt]:
        return dict(sorted(self._recording.samples.items()))

    def missed(self) -> set[str]:
        if isinstance(self._cache, ReplayChatModel):
            return set(self._cache.stats.missed_cases)
        return set()

    def halted(self) -> str | None:
        return self._breaker.opened if self._breaker is not None else None


def llm_brain_factory(settings: Settings) -> ModelBrainFactory:
    """Builds the model-backed brain over any chat model, or says plainly that it is not there."""
    try:
        from agent.brains.factory import build_llm_brain
    except ImportError as error:
        raise StarlingError(
            "The LLM brain is not available in this version of Starling, so --brain openai and "
            "--brain replay cannot run.",
            hint="Use --brain offline, or install a Starling that includes the model-backed brain.",
        ) from error

    def factory(chat: ChatModel) -> Brain:
        return build_llm_brain(settings, chat=chat)

    return factory


def openai_chat_model(settings: Settings) -> ChatModel:
    """The OpenAI-compatible backend the settings describe (the one the interview brain uses)."""
    from agent.brains.factory import openai_chat

    return openai_chat(settings)
