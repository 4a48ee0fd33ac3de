"""The model-backed brain: an analyser and an evaluator over any ChatModel, with offline fallback."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from agent.brains.llm.analyzer import LlmAnalyzer
from agent.brains.llm.evaluator import LlmEvaluator
from agent.brains.llm.events import Listener
from agent.brains.llm.pipeline import Pipeline
from agent.brains.llm.runtime import Health, Ledger, LlmConfig, Reporter
from agent.brains.protocol import InterviewFacts
from agent.domain.evaluation import Evaluation
from agent.domain.policy import InterviewState
from agent.domain.rubric import Topic
from agent.domain.star import StarAnalysis
from agent.domain.usage import Usage
from agent.llm.protocol import ChatModel
from agent.llm.retry import Retrier, RetryingChatModel
from agent.llm.structured import StructuredCaller
from agent.llm.tokens import TiktokenCounter, TokenCounter


class LlmBrain:
    """Analyses each candidate turn with one model call and scores each question in its own call.

    Every analysis and question score names the brain that produced it: `<provider>:<model>`, or
    `offline (fallback)` with the reason, when the model failed or was not used. The `listener`
    it is built with hears its progress, streamed text and fallbacks, on the calling thread.
    """

    def __init__(
        self,
        chat: ChatModel,
        config: LlmConfig,
        *,
        name: str = "openai",
        retrier: Retrier | None = None,
        counter: TokenCounter | None = None,
        listener: Listener | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.config = config
        self.label = f"{chat.name}:{config.model}"
        self.ledger = Ledger()
        self._report = Reporter(listener)
        counter = counter or TiktokenCounter.for_model(config.model)
        model = RetryingChatModel(chat, retrier or Retrier(), on_retry=self._report.retry)
        self.chat = model
        self.health = Health(config, clock=clock)
        caller = StructuredCaller(
            model=model,
            model_name=config.model,
            max_tokens=config.max_output_tokens,
            max_tokens_cap=config.max_output_tokens * 2,
            temperature=config.temperature,
            max_reasks=config.max_reasks,
            counter=counter,
            time_budget=config.request_seconds,
            clock=clock,
        )
        calls = Pipeline(
            label=self.label,
            caller=caller,
            counter=counter,
            config=config,
            health=self.health,
            ledger=self.ledger,
            report=self._report,
        )
        self._analyzer = LlmAnalyzer(calls)
        self._evaluator = LlmEvaluator(calls)

    def __repr__(self) -> str:
        return f"LlmBrain(label={self.label!r})"

    @property
    def usage(self) -> Usage:
        """Total usage of every call this brain has made."""
        return self.ledger.total

    def analyze(
        self, question: str, replies: Sequence[str], probes: Sequence[str] = (), topic: Topic | None = None
    ) -> StarAnalysis:
        """Analyse the story so far; `probes` are the follow-ups asked, in order, when known."""
        return self._analyzer.analyze(question, replies, probes, topic)

    def evaluate(self, state: InterviewState, facts: InterviewFacts) -> Evaluation:
        return self._evaluator.evaluate(state, facts)
