"""A bound on model requests in flight, with a shared back-off when the provider rate-limits us.

When one call is rate-limited every worker pauses (for the server's Retry-After when it gives
one), so a concurrent run slows down together instead of hammering the provider.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from agent.llm.errors import ModelRateLimited
from agent.llm.protocol import ChatModel, ChatRequest, ChatResponse

T = TypeVar("T")
Sleep = Callable[[float], None]
Clock = Callable[[], float]


class ThrottledChatModel:
    """At most `max_in_flight` requests at once; a rate-limited request waits and is sent again.

    Other failures pass straight through: the brain's own retry policy owns those.
    """

    def __init__(
        self,
        inner: ChatModel,
        *,
        max_in_flight: int = 4,
        attempts: int = 5,
        base_delay: float = 1.0,
        max_delay: float = 30.0,
        sleep: Sleep = time.sleep,
        clock: Clock = time.monotonic,
        seed: int = 0,
    ) -> None:
        self.inner = inner
        self.attempts = attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.rate_limited = 0
        self._slots = threading.BoundedSemaphore(max_in_flight)
        self._sleep = sleep
        self._clock = clock
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._paused_until = 0.0

    @property
    def name(self) -> str:
        return self.inner.name

    def complete(self, request: ChatRequest) -> ChatResponse:
        return self._call(lambda: self.inner.complete(request))

    def stream(self, request: ChatRequest) -> Iterator[str | ChatResponse]:
        # Streams are collected whole inside a slot: an eval needs the response, not the typing effect.
        chunks = self._call(lambda: list(self.inner.stream(request)))
        yield from chunks

    def _call(self, call: Callable[[], T]) -> T:
        attempt = 0
        while True:
            attempt += 1
            self._wait_for_pause()
            with self._slots:
                try:
                    return call()
                except ModelRateLimited as error:
                    if attempt >= self.attempts:
                        raise
                    delay = self._delay(error, attempt)
            self._sleep(delay)

    def _delay(self, error: ModelRateLimited, attempt: int) -> float:
        """Exponential back-off with jitter, at least the server's Retry-After; everyone pauses."""
        with self._lock:
            jitter = 1 + 0.25 * self._rng.random()
        delay = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1)) * jitter
        if error.retry_after is not None:
            delay = min(self.max_delay, max(delay, float(error.retry_after)))
        with self._lock:
            self.rate_limited += 1
            self._paused_until = max(self._paused_until, self._clock() + delay)
        return delay

    def _wait_for_pause(self) -> None:
        while True:
            with self._lock:
                remaining = self._paused_until - self._clock()
            if remaining <= 0:
                return
            self._sleep(remaining)
