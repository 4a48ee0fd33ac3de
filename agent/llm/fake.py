"""A scripted chat model that ships with the real one, for tests, evals and demos.

Replies come from a queue, in order: text, a full ChatResponse, an error to raise, or a function
of the request. Every request is recorded. Streaming cuts the reply into small chunks, so code
that consumes a stream is tested the same way as code that does not.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from agent.domain.usage import Usage
from agent.llm.errors import ModelError
from agent.llm.protocol import ChatRequest, ChatResponse

Reply = str | ChatResponse | ModelError | Callable[[ChatRequest], "str | ChatResponse"]


class ScriptExhausted(AssertionError):
    """The model was called more often than the script has replies for (a test bug)."""


@dataclass
class ScriptedChatModel:
    """A ChatModel whose replies are scripted. Usage is counted in words, a stable stand-in."""

    replies: deque[Reply] = field(default_factory=deque)
    default: Reply | None = None
    name: str = "scripted"
    chunk_size: int = 12
    requests: list[ChatRequest] = field(default_factory=list)

    @classmethod
    def of(cls, *replies: Reply, default: Reply | None = None) -> ScriptedChatModel:
        return cls(replies=deque(replies), default=default)

    def queue(self, *replies: Reply) -> ScriptedChatModel:
        self.replies.extend(replies)
        return self

    def fail_with(self, error: ModelError, times: int = 1) -> ScriptedChatModel:
        """Make the next `times` calls raise `error`."""
        self.replies.extend([error] * times)
        return self

    @property
    def calls(self) -> int:
        return len(self.requests)

    def complete(self, request: ChatRequest) -> ChatResponse:
        return self._next(request)

    def stream(self, request: ChatRequest) -> Iterator[str | ChatResponse]:
        response = self._next(request)
        text = response.content
        for start in range(0, len(text), self.chunk_size):
            yield text[start : start + self.chunk_size]
        yield response

    def _next(self, request: ChatRequest) -> ChatResponse:
        self.requests.append(request)
        if self.replies:
            reply = self.replies.popleft()
        elif self.default is not None:
            reply = self.default
        else:
            raise ScriptExhausted(f"ScriptedChatModel has no reply for call {len(self.requests)}")
        if isinstance(reply, ModelError):
            raise reply
        if callable(reply) and not isinstance(reply, ChatResponse):
            reply = reply(request)
        if isinstance(reply, ChatResponse):
            return reply
        return ChatResponse(content=reply, usage=word_usage(request, reply), model=request.model)


def word_usage(request: ChatRequest, reply: str) -> Usage:
    """Words in and out: deterministic token-like counts without a tokenizer."""
    prompt = sum(len(message.content.split()) for message in request.messages)
    return Usage(prompt_tokens=prompt, completion_tokens=len(reply.split()))


def texts(requests: Iterable[ChatRequest]) -> list[list[tuple[str, str]]]:
    """The (role, content) pairs of each recorded request, for assertions and snapshots."""
    return [[(m.role, m.content) for m in request.messages] for request in requests]
