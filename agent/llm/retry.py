"""Retries with exponential backoff inside a bounded total time, honouring Retry-After.

The clock and the sleep are injected, so tests run the whole schedule in microseconds.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from agent.llm.errors import ModelError, ModelRateLimited, RetriesExhausted
from agent.llm.limits import MAX_ATTEMPTS, RETRY_AFTER_CAP, RETRY_SECONDS
from agent.llm.protocol import ChatModel, ChatRequest, ChatResponse

log = logging.getLogger("starling.llm")

T = TypeVar("T")
Sleep = Callable[[float], None]
Clock = Callable[[], float]


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts, backoff, the Retry-After cap and the total time allowed."""

    max_attempts: int = MAX_ATTEMPTS
    base_delay: float = 1.0
    max_delay: float = 8.0
    retry_after_cap: float = RETRY_AFTER_CAP
    total_seconds: float = RETRY_SECONDS
    jitter: float = 0.1

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """The wait after the `attempt`-th failure (1-based): base * 2^(n-1), capped, with jitter."""
        delay: float = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return delay * (1.0 + self.jitter * rng.random())


@dataclass(frozen=True)
class RetryNotice:
    """Told to a listener before each wait, so a UI can say what is happening."""

    attempt: int
    delay: float
    reason: str


@dataclass
class Retrier:
    """Runs a call until it succeeds, a non-retryable error occurs, or the budget is spent."""

    policy: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Sleep = time.sleep
    clock: Clock = time.monotonic
    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def call(self, fn: Callable[[], T], on_retry: Callable[[RetryNotice], None] | None = None) -> T:
        started = self.clock()
        attempt = 0
        while True:
            attempt += 1
            try:
                return fn()
            except ModelError as error:
                if not error.retryable:
                    raise
                delay = self._delay(error, attempt)
                elapsed = self.clock() - started
                out_of_time = elapsed + delay > self.policy.total_seconds
                if attempt >= self.policy.max_attempts or out_of_time:
                    raise RetriesExhausted(
                        f"{error.message} Gave up after {attempt} attempt(s) in {elapsed:.1f} s.",
                        last=error,
                        attempts=attempt,
                        elapsed=elapsed,
                    ) from error
                log.warning("model call failed (%s); retry %d in %.2f s", error.reason, attempt, delay)
                if on_retry is not None:
                    on_retry(RetryNotice(attempt=attempt, delay=delay, reason=error.reason))
                self.sleep(delay)

    def _delay(self, error: ModelError, attempt: int) -> float:
        if isinstance(error, ModelRateLimited) and error.retry_after is not None:
            return max(0.0, min(error.retry_after, self.policy.retry_after_cap))
        return self.policy.backoff(attempt, self.rng)


@dataclass
class RetryingChatModel:
    """A ChatModel that retries another one's retryable failures.

    A stream is retried only until its first chunk arrives; after that a failure is final,
    because text already shown cannot be taken back.
    """

    inner: ChatModel
    retrier: Retrier = field(default_factory=Retrier)
    on_retry: Callable[[RetryNotice], None] | None = None

    @property
    def name(self) -> str:
        return self.inner.name

    def complete(self, request: ChatRequest) -> ChatResponse:
        return self.retrier.call(lambda: self.inner.complete(request), self.on_retry)

    def stream(self, request: ChatRequest) -> Iterator[str | ChatResponse]:
        def opened() -> tuple[str | ChatResponse | None, Iterator[str | ChatResponse]]:
            iterator = iter(self.inner.stream(request))
            return next(iterator, None), iterator

        first, rest = self.retrier.call(opened, self.on_retry)
        if first is None:
            return
        yield first
        yield from rest
