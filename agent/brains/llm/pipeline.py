"""One model call, the same way for the analyser and the evaluator, with one place for fallbacks.

Every call goes: is the model worth calling, fit the request to the prompt budget, report the
start, ask, record the model's health, put the usage on the ledger, report the finish. A call
that cannot be made or fails comes back `Unanswered`, and its usage (tokens a failed call had
already spent, e.g. on answers that did not validate) is put on the ledger once, in `_unanswered`,
and handed back so the result that falls back records what the attempt cost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel

from agent.brains.llm.events import CallFinished, CallStarted, DraftWatcher, FellBack, Purpose, TextReceived
from agent.brains.llm.runtime import Health, Ledger, LlmConfig, Reporter, fitted_messages
from agent.domain.usage import Usage
from agent.errors import BrainError
from agent.llm.errors import ModelError
from agent.llm.structured import Structured, StructuredCaller
from agent.llm.tokens import TokenCounter
from agent.prompting import Exchange

T = TypeVar("T", bound=BaseModel)

# Builds the request's context from the exchanges (cut to fit, when `truncated`).
Context = Callable[[list[Exchange], bool], BaseModel]


@dataclass(frozen=True)
class Answered(Generic[T]):
    """The model's validated answer, and how many tokens of the replies were cut to fit the budget."""

    result: Structured[T]
    cut_tokens: int


@dataclass(frozen=True)
class Unanswered:
    """The model was not used or failed: why, and what the failed call had already spent."""

    reason: str
    usage: Usage | None = None


class Pipeline:
    """The collaborators every model call needs, and the one sequence each call goes through."""

    def __init__(
        self,
        *,
        label: str,
        caller: StructuredCaller,
        counter: TokenCounter,
        config: LlmConfig,
        health: Health,
        ledger: Ledger,
        report: Reporter,
    ) -> None:
        self.label = label
        self.config = config
        self._caller = caller
        self._counter = counter
        self._health = health
        self._ledger = ledger
        self._report = report

    def ask(
        self,
        purpose: Purpose,
        context: Context,
        items: list[Exchange],
        output: type[T],
        *,
        question_id: str | None = None,
        drafts: bool = False,
    ) -> Answered[T] | Unanswered:
        """Ask for `output` with the `purpose` prompt; `drafts` streams it to a listener, if any,
        reporting the follow-up wording as it is written."""
        blocked = self._health.blocked()
        if blocked:
            return self._unanswered(purpose, question_id, blocked, None)
        try:
            fitted = fitted_messages(purpose, context, items, self._counter, self.config)
        except BrainError as error:
            return self._unanswered(purpose, question_id, error.message, None)
        self._report(
            CallStarted(purpose=purpose, prompt_tokens=fitted.prompt_tokens, question_id=question_id)
        )
        try:
            result = self._caller.ask(fitted.messages, output, on_text=self._streamer(purpose, drafts))
        except ModelError as error:
            self._health.failed(error)
            return self._unanswered(purpose, question_id, error.reason, error.usage)
        self._health.succeeded()
        self._ledger.add(purpose, question_id, result.usage)
        self._report(CallFinished(purpose=purpose, usage=result.usage, question_id=question_id))
        return Answered(result, fitted.cut_tokens)

    def _streamer(self, purpose: Purpose, drafts: bool) -> Callable[[str], None] | None:
        """What receives the streamed text: nothing (no stream) unless drafts are wanted and heard."""
        if not drafts or self._report.listener is None:
            return None
        watcher = DraftWatcher(self._report)

        def on_text(chunk: str) -> None:
            self._report(TextReceived(purpose=purpose, text=chunk))
            watcher.feed(chunk)

        return on_text

    def _unanswered(
        self, purpose: Purpose, question_id: str | None, reason: str, usage: Usage | None
    ) -> Unanswered:
        """The one place a fallback is accounted for: its usage on the ledger, then the report."""
        self._ledger.add(purpose, question_id, usage)
        self._report(FellBack(purpose=purpose, reason=reason, question_id=question_id))
        return Unanswered(reason, usage)
