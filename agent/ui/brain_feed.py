"""What a model-backed brain reports while it works, brought onto the UI thread as messages.

The brain calls its listener on the worker thread; `BrainFeed` turns each event into a
`BrainProgressed` message (posting is thread-safe), and `describe_progress` says in plain words
what the person is waiting for. The feed is given to the brain when it is built; the offline
brain takes none and reports nothing.

The model brain's event types are imported only when a model brain reports something, so the
offline path never loads the model brain (or its templates).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message
from textual.message_pump import MessagePump

from agent.domain.usage import Usage

if TYPE_CHECKING:
    from agent.brains.llm.events import BrainEvent, FellBack


class BrainProgressed(Message):
    """The model-backed brain reported progress (a call, a drafted follow-up, a retry, a fallback)."""

    def __init__(self, event: BrainEvent) -> None:
        super().__init__()
        self.event = event


@dataclass
class BrainFeed:
    """Forwards a brain's events to a screen, and keeps the running usage total."""

    target: MessagePump
    total: Usage | None = None

    def __call__(self, event: BrainEvent) -> None:
        self.target.post_message(BrainProgressed(event))

    def add(self, usage: Usage) -> Usage:
        self.total = usage if self.total is None else self.total + usage
        return self.total


def describe_progress(event: BrainEvent) -> str | None:
    """A status line for the person waiting, or None when the event needs none."""
    from agent.brains.llm.events import CallStarted, RetryScheduled

    if isinstance(event, CallStarted):
        return (
            "The model is reading your answer…"
            if event.purpose == "analysis"
            else "The model is scoring the interview…"
        )
    if isinstance(event, RetryScheduled):
        return f"The model did not answer ({event.reason}); trying again in {event.delay:.0f} s…"
    return None


def describe_usage(total: Usage) -> str:
    tokens = total.prompt_tokens + total.completion_tokens
    cost = "cost unknown" if total.cost_usd is None else f"≈ ${total.cost_usd:.4f}"
    return f"{tokens:,} tokens · {cost}"


def fallback_notice(event: FellBack) -> str:
    what = "this answer" if event.purpose == "analysis" else "the scoring"
    return f"The model was not available ({event.reason}). The offline brain did {what} instead; the transcript says so."


__all__ = [
    "BrainFeed",
    "BrainProgressed",
    "describe_progress",
    "describe_usage",
    "fallback_notice",
]
