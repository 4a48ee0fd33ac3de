"""What the analyser and the evaluator share: the model caller, budget, health and reporting."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from agent.brains.llm.budget import Fitted, fit
from agent.brains.llm.events import BrainEvent, CallStarted, Listener, Purpose, RetryScheduled
from agent.domain.usage import Usage
from agent.llm.errors import ModelAuthError, ModelError, ModelNotFound, RetriesExhausted
from agent.llm.limits import (
    MAX_OUTPUT_TOKENS,
    MAX_REASKS,
    PERSONALISE_FOLLOWUPS,
    PROMPT_TOKEN_BUDGET,
    REQUEST_TIMEOUT,
    TEMPERATURE,
)
from agent.llm.protocol import ChatMessage
from agent.llm.retry import RetryNotice
from agent.llm.tokens import TokenCounter
from agent.prompting import Exchange, messages

FALLBACK_BRAIN = "offline (fallback)"


@dataclass(frozen=True)
class LlmConfig:
    """How the model-backed brain asks: model, budgets, wording and when to stop trying."""

    model: str
    prompt_token_budget: int = PROMPT_TOKEN_BUDGET
    max_output_tokens: int = MAX_OUTPUT_TOKENS
    temperature: float | None = TEMPERATURE
    personalise_followups: bool = PERSONALISE_FOLLOWUPS
    max_reasks: int = MAX_REASKS
    prompts: Path | None = None
    # Seconds one model call may take, the reply's token counting included.
    request_seconds: float = REQUEST_TIMEOUT
    # After this many turns in a row whose calls failed even with retries, skip the model for a while,
    # so a dead server costs one retry budget, not one per turn.
    failures_before_pause: int = 2
    pause_seconds: float = 120.0


@dataclass
class Health:
    """Whether the model is worth calling now; a rejected key or unknown model ends it for good."""

    config: LlmConfig
    clock: Callable[[], float] = time.monotonic
    failures: int = 0
    paused_until: float = 0.0
    stopped: str | None = None

    def blocked(self) -> str | None:
        if self.stopped:
            return f"the model is not used for the rest of this interview after: {self.stopped}"
        if self.clock() < self.paused_until:
            return "the model failed repeatedly and is paused for a while"
        return None

    def failed(self, error: ModelError) -> None:
        if isinstance(error, ModelAuthError | ModelNotFound):
            self.stopped = error.reason
        elif isinstance(error, RetriesExhausted):
            self.failures += 1
            if self.failures >= self.config.failures_before_pause:
                self.paused_until = self.clock() + self.config.pause_seconds

    def succeeded(self) -> None:
        self.failures = 0
        self.paused_until = 0.0


@dataclass
class Ledger:
    """Usage of every call this brain made, for totals in a UI."""

    entries: list[tuple[Purpose, str | None, Usage]] = field(default_factory=list)

    def add(self, purpose: Purpose, question_id: str | None, usage: Usage | None) -> None:
        if usage is not None:
            self.entries.append((purpose, question_id, usage))

    @property
    def total(self) -> Usage:
        return sum((usage for _, _, usage in self.entries), Usage())


@dataclass
class Reporter:
    """Sends events to the listener, if there is one."""

    listener: Listener | None = None
    current: Purpose = "analysis"

    def __call__(self, event: BrainEvent) -> None:
        if isinstance(event, CallStarted):
            self.current = event.purpose
        if self.listener is not None:
            self.listener(event)

    def retry(self, notice: RetryNotice) -> None:
        self(
            RetryScheduled(
                purpose=self.current, attempt=notice.attempt, delay=notice.delay, reason=notice.reason
            )
        )


def fitted_messages(
    kind: str,
    build: Callable[[list[Exchange], bool], BaseModel],
    items: list[Exchange],
    counter: TokenCounter,
    config: LlmConfig,
) -> Fitted:
    """Render a request kind from its context and fit it to the prompt budget."""

    def render(current: list[Exchange], truncated: bool) -> tuple[ChatMessage, ...]:
        context = build(current, truncated)
        return messages(kind, context, config.prompts)

    return fit(items, render, counter, config.prompt_token_budget)


def plain(reason: str, limit: int = 160) -> str:
    return reason if len(reason) <= limit else reason[: limit - 1] + "…"
