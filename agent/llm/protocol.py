"""The chat-model interface every brain talks to. Only `openai_backend` knows about the SDK."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from agent.domain.usage import Usage

Role = Literal["system", "user", "assistant"]
FinishReason = Literal["stop", "length", "refusal", "content_filter", "error"]


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Role
    content: str


class ChatRequest(BaseModel):
    """Everything sent to a model. Its key identifies it exactly, for caching and replay."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str
    messages: tuple[ChatMessage, ...]
    response_schema: dict[str, Any] | None = None
    schema_name: str | None = None
    max_tokens: int = Field(default=1024, ge=1)
    # None leaves the provider's default (some reasoning models accept no other value).
    temperature: float | None = Field(default=0.0, ge=0.0, le=2.0)

    def key(self) -> str:
        payload = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class ChatResponse(BaseModel):
    """What came back: the text, why it stopped, a refusal if any, and usage."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    content: str
    finish_reason: FinishReason = "stop"
    refusal: str | None = None
    usage: Usage = Usage()
    model: str = ""


class ChatModel(Protocol):
    """One small seam per provider: complete a request, or stream its text.

    Both raise `agent.llm.errors.ModelError` subclasses, never a provider SDK's exceptions.
    """

    @property
    def name(self) -> str:
        """A short label for provenance, e.g. 'openai' or 'scripted'."""
        ...

    def complete(self, request: ChatRequest) -> ChatResponse: ...

    def stream(self, request: ChatRequest) -> Iterator[str | ChatResponse]:
        """Yield text chunks as they arrive, then the final ChatResponse."""
        ...
