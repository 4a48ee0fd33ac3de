"""Structured output: ask for a pydantic model, validate, re-ask with the errors, then fail with context.

Refusals and truncated answers are their own outcomes, not validation failures: a refusal is
final, and a cut-off answer is asked once more with a larger output allowance before it fails.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from agent.domain.usage import Usage
from agent.llm.errors import ModelError, ModelOutputInvalid, ModelRefused, ModelTruncated, OutputAttempt
from agent.llm.limits import MAX_REASKS, REQUEST_TIMEOUT
from agent.llm.protocol import ChatMessage, ChatModel, ChatRequest, ChatResponse
from agent.llm.tokens import TokenCounter, count_within

T = TypeVar("T", bound=BaseModel)

_FENCE = re.compile(r"^\s*```(?:json)?\s*(?P<body>.*?)\s*```\s*$", re.DOTALL)
_RAW_ECHO_CHARS = 4000
REASK = (
    "Your previous reply could not be used:\n{errors}\n"
    "Reply again with only the corrected JSON object, matching the schema exactly."
)


@dataclass(frozen=True)
class Structured(Generic[T]):
    """A validated answer, what it cost, and how many calls it took."""

    value: T
    usage: Usage
    calls: int
    raw: str
    reasks: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class StructuredCaller:
    """Asks one model for one pydantic type at a time."""

    model: ChatModel
    model_name: str
    max_tokens: int = 800
    max_tokens_cap: int = 2000
    temperature: float | None = 0.0
    max_reasks: int = MAX_REASKS
    counter: TokenCounter | None = None
    # Seconds one call may take; counting the tokens of its reply gets whatever the call left.
    time_budget: float = REQUEST_TIMEOUT
    clock: Callable[[], float] = time.monotonic

    def ask(
        self,
        messages: Sequence[ChatMessage],
        output: type[T],
        *,
        on_text: Callable[[str], None] | None = None,
    ) -> Structured[T]:
        conversation = list(messages)
        schema = output.model_json_schema()
        usage = Usage()
        failures: list[OutputAttempt] = []
        max_tokens = self.max_tokens
        grown = False
        calls = 0
        notes: list[str] = []
        while True:
            request = ChatRequest(
                model=self.model_name,
                messages=tuple(conversation),
                response_schema=schema,
                schema_name=output.__name__,
                max_tokens=max_tokens,
                temperature=self.temperature,
            )
            calls += 1
            sent = self.clock()
            try:
                response = self._send(request, on_text)
            except ModelError as error:
                error.usage = usage
                raise
            usage = usage + self._measured(response, request, self.time_budget - (self.clock() - sent))
            if response.refusal or response.finish_reason in ("refusal", "content_filter"):
                refusal = (response.refusal or "stopped by the provider's content filter")[:300]
                raise _with_usage(ModelRefused(f"The model refused: {refusal}", refusal=refusal), usage)
            if response.finish_reason == "length":
                if not grown and max_tokens < self.max_tokens_cap:
                    grown = True
                    max_tokens = min(self.max_tokens_cap, max_tokens * 2)
                    notes.append(f"The first answer was cut off; asked again allowing {max_tokens} tokens.")
                    continue
                raise _with_usage(
                    ModelTruncated(
                        f"The model's answer was cut off at {max_tokens} tokens.",
                        max_tokens=max_tokens,
                        raw=response.content,
                    ),
                    usage,
                )
            try:
                value = parse(response.content, output)
            except ValidationError as error:
                summary = summarise(error)
                failures.append(OutputAttempt(raw=response.content, error=summary))
                if len(failures) > self.max_reasks:
                    raise _with_usage(
                        ModelOutputInvalid(
                            f"The model's answer did not match {output.__name__} after "
                            f"{len(failures)} attempts; last error: {summary.splitlines()[0]}",
                            attempts=failures,
                        ),
                        usage,
                    ) from error
                conversation += [
                    ChatMessage(role="assistant", content=response.content[:_RAW_ECHO_CHARS]),
                    ChatMessage(role="user", content=REASK.format(errors=summary)),
                ]
                continue
            if failures:
                notes.append(f"Valid on attempt {len(failures) + 1} after re-asking with the errors.")
            return Structured(
                value=value, usage=usage, calls=calls, raw=response.content, reasks=len(failures), notes=notes
            )

    def _send(self, request: ChatRequest, on_text: Callable[[str], None] | None) -> ChatResponse:
        if on_text is None:
            return self.model.complete(request)
        final: ChatResponse | None = None
        for item in self.model.stream(request):
            if isinstance(item, str):
                on_text(item)
            else:
                final = item
        if final is None:
            raise ModelError("The model's stream ended without a final response.")
        return final

    def _measured(self, response: ChatResponse, request: ChatRequest, seconds: float) -> Usage:
        """The reported usage; counted here when a server reports none (cost then unknown).

        The prompt was fitted to its budget, so it is counted whole; the reply is counted within
        the `seconds` the call left, however long it is.
        """
        if response.usage.prompt_tokens or self.counter is None:
            return response.usage
        return Usage(
            prompt_tokens=self.counter.count_messages(request.messages),
            completion_tokens=count_within(self.counter, response.content, seconds=seconds, clock=self.clock),
        )


def parse(text: str, output: type[T]) -> T:
    """Validate a reply as `output`, tolerating a Markdown fence or prose around the object."""
    try:
        return output.model_validate_json(text)
    except ValidationError as first:
        fenced = _FENCE.match(text)
        candidates = [fenced.group("body")] if fenced else []
        start, end = text.find("{"), text.rfind("}")
        if 0 <= start < end:
            candidates.append(text[start : end + 1])
        for candidate in candidates:
            if candidate != text:
                try:
                    return output.model_validate_json(candidate)
                except ValidationError:
                    continue
        raise first


def summarise(error: ValidationError, limit: int = 8) -> str:
    """The validation errors as short lines: where, and what is wrong (never the whole input)."""
    lines = []
    for item in error.errors(include_url=False, include_input=False)[:limit]:
        where = ".".join(str(part) for part in item["loc"]) or "(the whole reply)"
        lines.append(f"- {where}: {item['msg']}"[:240])
    extra = error.error_count() - limit
    if extra > 0:
        lines.append(f"- and {extra} more")
    return "\n".join(lines)


def _with_usage(error: ModelError, usage: Usage) -> ModelError:
    error.usage = usage
    return error
