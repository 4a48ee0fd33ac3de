"""Reading a chat-completions reply off the wire: bounded in size and time, and checked for shape.

The SDK trusts whatever a server sends with HTTP 200 (a login page comes back as a `str`), so
the backend reads the body itself. A reply that is not a chat completion (a web page, an empty
body, JSON of another shape, a stream that stops early) is `ModelReplyInvalid`, one larger than
the cap is `ModelReplyTooLarge`, and one still arriving after the call's time is `ModelTimeout`:
outcomes a brain falls back on, never a crash and never an unbounded read.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.domain.usage import Usage
from agent.llm.errors import ModelReplyInvalid, ModelReplyTooLarge, ModelServerError, ModelTimeout
from agent.llm.pricing import ModelPrice, priced
from agent.llm.protocol import ChatResponse, FinishReason
from agent.llm.redaction import Redactor

_HINT = (
    "Check that OPENAI_BASE_URL is an OpenAI-compatible API's address (usually ending in /v1), "
    "not a web page, a web UI or a network login page."
)
_SSE_STARTS = (b"data:", b":", b"event:", b"id:", b"retry:")
_FINISH: dict[str, FinishReason] = {
    "stop": "stop",
    "length": "length",
    "content_filter": "content_filter",
    "refusal": "refusal",
    "tool_calls": "stop",
    "function_call": "stop",
}


class _Wire(BaseModel):
    """Only the fields we use are checked; servers add their own."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class WireMessage(_Wire):
    content: str | None = None
    refusal: str | None = None


class WireChoice(_Wire):
    message: WireMessage
    finish_reason: str | None = None


class WireDetails(_Wire):
    cached_tokens: int | None = Field(default=None, ge=0)


class WireUsage(_Wire):
    prompt_tokens: int | None = Field(default=None, ge=0)
    completion_tokens: int | None = Field(default=None, ge=0)
    prompt_tokens_details: WireDetails | None = None


class WireCompletion(_Wire):
    choices: list[WireChoice] = Field(min_length=1)
    model: str | None = None
    usage: Any = None


class WireDelta(_Wire):
    content: str | None = None
    refusal: str | None = None


class WireChunkChoice(_Wire):
    delta: WireDelta | None = None
    finish_reason: str | None = None


class WireChunk(_Wire):
    choices: list[WireChunkChoice] = Field(default_factory=list)
    model: str | None = None
    usage: Any = None


def _usage_of(value: Any) -> WireUsage | None:
    """Usage is bookkeeping: when a server's is malformed it is counted locally instead."""
    if value is None:
        return None
    try:
        return WireUsage.model_validate(value)
    except ValidationError:
        return None


class ReplyBudget:
    """The size and time one reply may take; every chunk read is charged to it."""

    def __init__(
        self, *, where: str, max_bytes: int, seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.where = where
        self.max_bytes = max_bytes
        self.seconds = seconds
        self._clock = clock
        self._started = clock()
        self.received = 0

    def charge(self, chunk: bytes) -> None:
        self.received += len(chunk)
        if self.received > self.max_bytes:
            raise ModelReplyTooLarge(
                f"The reply from {self.where} was larger than {_size(self.max_bytes)}; "
                "it was not read further.",
                limit=self.max_bytes,
                hint="A model answer is far smaller: check the server, or raise STARLING_MAX_REPLY_BYTES "
                "(max_reply_bytes in the settings file) if its answers really are this large.",
            )
        if self._clock() - self._started > self.seconds:
            raise ModelTimeout(
                f"The model at {self.where} did not finish its reply within {self.seconds:g} s."
            )

    def metered(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        """The chunks, each charged before it is handed on."""
        for chunk in chunks:
            self.charge(chunk)
            yield chunk


@dataclass(frozen=True)
class ReplyReader:
    """Turns a checked completion or stream into our ChatResponse: key redacted, usage priced."""

    redact: Redactor
    prices: Mapping[str, ModelPrice]

    def whole(self, completion: WireCompletion, model: str) -> ChatResponse:
        choice = completion.choices[0]
        message = choice.message
        return ChatResponse(
            content=self.redact.reply(message.content or ""),
            finish_reason=_finish(choice.finish_reason),
            refusal=self.redact.reply(message.refusal) if message.refusal else None,
            usage=self._usage(completion.usage, model),
            model=self.redact.reply(completion.model or model),
        )

    def streamed(self, chunks: Iterable[WireChunk], model: str) -> Iterator[str | ChatResponse]:
        """The text as it arrives, then the final response."""
        held = self.redact.pieces()  # a key split across two chunks is still found
        parts: list[str] = []
        refusal: list[str] = []
        finish: FinishReason = "stop"
        usage: Any = None
        named = model
        for chunk in chunks:
            named = chunk.model or named
            usage = chunk.usage if chunk.usage is not None else usage
            for choice in chunk.choices[:1]:
                delta = choice.delta or WireDelta()
                text = held.feed(delta.content) if delta.content else ""
                if text:
                    parts.append(text)
                    yield text
                if delta.refusal:
                    refusal.append(delta.refusal)
                if choice.finish_reason:
                    finish = _finish(choice.finish_reason)
        rest = held.flush()
        if rest:
            parts.append(rest)
            yield rest
        yield ChatResponse(
            content="".join(parts),
            finish_reason=finish,
            refusal=self.redact.reply("".join(refusal)) or None,
            usage=self._usage(usage, model),
            model=self.redact.reply(named),
        )

    def _usage(self, value: Any, model: str) -> Usage:
        usage = _usage_of(value)
        if usage is None:
            return Usage()
        details = usage.prompt_tokens_details
        counted = Usage(
            prompt_tokens=usage.prompt_tokens or 0,
            completion_tokens=usage.completion_tokens or 0,
            cached_tokens=(details.cached_tokens if details else None) or 0,
        )
        return priced(counted, model, self.prices)


def is_event_stream(content_type: str, first: bytes) -> bool:
    return "event-stream" in content_type.lower() or first.lstrip().startswith(_SSE_STARTS)


def completion(body: bytes, content_type: str, where: str) -> WireCompletion:
    """The chat completion in a body, or ModelReplyInvalid saying what came instead."""
    if not body.strip():
        raise _invalid(where, "an empty body")
    try:
        data = json.loads(body)
    except ValueError:
        raise _invalid(where, _not_json(content_type)) from None
    if not isinstance(data, dict):
        raise _invalid(where, _json_kind(data))
    _raise_reported_error(data, where)
    try:
        return WireCompletion.model_validate(data)
    except ValidationError as error:
        raise _invalid(where, f"JSON that is not a chat completion ({_first_problem(error)})") from None


def chunks(pieces: Iterable[bytes], where: str) -> Iterator[WireChunk]:
    """The chunks of a server-sent-events stream, up to `[DONE]`; ModelReplyInvalid if it is not one.

    A stream must carry at least one choice and end with `[DONE]` or a finish reason; one that
    just stops was cut off.
    """
    answered = finished = False
    for payload in _events(pieces):
        if payload.strip() == b"[DONE]":
            finished = True
            break
        try:
            data = json.loads(payload)
        except ValueError:
            raise _invalid(where, "a stream event that is not JSON") from None
        if not isinstance(data, dict):
            raise _invalid(where, f"a stream event that is {_json_kind(data)}")
        _raise_reported_error(data, where, streaming=True)
        try:
            chunk = WireChunk.model_validate(data)
        except ValidationError as error:
            raise _invalid(where, f"a stream chunk of the wrong shape ({_first_problem(error)})") from None
        answered = answered or bool(chunk.choices)
        finished = finished or any(choice.finish_reason for choice in chunk.choices)
        yield chunk
    if not answered:
        raise _invalid(where, "a stream with no answer in it")
    if not finished:
        raise _invalid(where, "a stream that ended before the answer was complete")


def _events(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """The data of each server-sent event, with lines found without rescanning what was searched."""
    buffer = bytearray()
    searched = 0
    data: list[bytes] = []
    for piece in pieces:
        buffer += piece
        start = 0
        while (end := buffer.find(b"\n", max(start, searched))) >= 0:
            line = bytes(buffer[start:end]).rstrip(b"\r")
            start = end + 1
            if not line:
                if data:
                    yield b"\n".join(data)
                    data = []
            elif line.startswith(b"data:"):
                value = line[5:]
                data.append(value[1:] if value.startswith(b" ") else value)
        del buffer[:start]
        searched = len(buffer)
    tail = bytes(buffer).strip()
    if tail.startswith(b"data:"):
        data.append(tail[5:].lstrip())
    if data:
        yield b"\n".join(data)


def _finish(reason: str | None) -> FinishReason:
    return _FINISH.get(reason or "stop", "stop")


def _raise_reported_error(data: dict[str, Any], where: str, *, streaming: bool = False) -> None:
    """Some proxies report failures as `{"error": ...}` with HTTP 200, or as an event mid-stream."""
    if "error" not in data or data.get("choices"):
        return
    inner = data["error"]
    detail = inner.get("message") if isinstance(inner, dict) else inner
    text = str(detail)[:300] if detail else "no details"
    when = " mid-stream" if streaming else ""
    raise ModelServerError(f"The server at {where} reported an error{when}: {text}")


def _invalid(where: str, what: str) -> ModelReplyInvalid:
    return ModelReplyInvalid(
        f"The server at {where} answered with {what}, not a chat completion.", hint=_HINT
    )


def _not_json(content_type: str) -> str:
    kind = content_type.split(";")[0].strip().lower()
    if kind == "text/html":
        return "a web page (text/html)"
    if kind == "text/plain":
        return "plain text (text/plain)"
    return f"a body that is not valid JSON ({kind})" if kind else "a body that is not valid JSON"


def _json_kind(data: object) -> str:
    names = {list: "list", str: "string", bool: "boolean", int: "number", float: "number"}
    return "JSON null" if data is None else f"a JSON {names.get(type(data), 'value')}"


def _first_problem(error: ValidationError) -> str:
    """Where the shape is wrong, without echoing the server's text."""
    item = error.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in item["loc"]) or "the whole reply"
    return f"{where}: {item['msg']}"[:200]


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):g} MB" if count >= 1024 * 1024 else f"{count:,} bytes"
