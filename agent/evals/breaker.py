"""A circuit breaker for model-backed eval runs: a model that keeps failing stops the run.

An interview brain falls back to the offline reader when its model fails, which is right for a
candidate and wrong for an eval: against a dead server every case spends its whole retry budget
and the run measures nothing. The breaker counts model calls that fail in a row across all cases.
Past `failures` of them, or when they have gone on for `seconds` without a success, it opens:
every later call fails at once, and the runner ends the run with exit code 2.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

from agent.evals.defaults import BREAKER_FAILURES, BREAKER_SECONDS
from agent.llm.errors import ModelError
from agent.llm.protocol import ChatModel, ChatRequest, ChatResponse


class CircuitOpen(ModelError):
    """Raised for every call once the breaker has opened; not retried."""

    reason = "the eval run stopped calling the model after repeated failures"


class CircuitBreaker:
    """A ChatModel that passes calls through until too many in a row have failed."""

    def __init__(
        self,
        inner: ChatModel,
        *,
        failures: int = BREAKER_FAILURES,
        seconds: float = BREAKER_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.inner = inner
        self.failures = failures
        self.seconds = seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._streak = 0
        self._since = 0.0
        self._opened: str | None = None

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def opened(self) -> str | None:
        """Why the breaker opened, as a sentence for the user; None while it is closed."""
        with self._lock:
            return self._opened

    def complete(self, request: ChatRequest) -> ChatResponse:
        self._refuse_if_open()
        try:
            response = self.inner.complete(request)
        except ModelError as error:
            self._failed(error)
            raise
        self._succeeded()
        return response

    def stream(self, request: ChatRequest) -> Iterator[str | ChatResponse]:
        self._refuse_if_open()
        try:
            for item in self.inner.stream(request):
                if isinstance(item, ChatResponse):
                    self._succeeded()
                yield item
        except ModelError as error:
            self._failed(error)
            raise

    def _refuse_if_open(self) -> None:
        opened = self.opened
        if opened is not None:
            raise CircuitOpen(opened)

    def _succeeded(self) -> None:
        with self._lock:
            self._streak = 0

    def _failed(self, error: ModelError) -> None:
        if isinstance(error, CircuitOpen):
            return
        now = self._clock()
        with self._lock:
            if self._opened is not None:
                return
            self._streak += 1
            if self._streak == 1:
                self._since = now
            lasted = now - self._since
            if self._streak >= self.failures or (self._streak >= 2 and lasted >= self.seconds):
                self._opened = (
                    f"{self._streak} model calls in a row failed over {lasted:.0f} s, "
                    f"the last with: {error.message}"
                )
