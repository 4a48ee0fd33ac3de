"""The model-backed brain: analysis and evaluation through the chat-model seam and prompts/."""

from agent.brains.llm.brain import LlmBrain
from agent.brains.llm.events import (
    BrainEvent,
    CallFinished,
    CallStarted,
    FellBack,
    FollowUpDrafted,
    Listener,
    RetryScheduled,
    TextReceived,
)
from agent.brains.llm.runtime import FALLBACK_BRAIN, LlmConfig

__all__ = [
    "FALLBACK_BRAIN",
    "BrainEvent",
    "CallFinished",
    "CallStarted",
    "FellBack",
    "FollowUpDrafted",
    "Listener",
    "LlmBrain",
    "LlmConfig",
    "RetryScheduled",
    "TextReceived",
]
