"""The OpenAI-compatible backend: the only module that imports `openai`.

It turns a ChatRequest into one chat-completions call (plain or streamed), maps every SDK
exception to our own (chained with `from`), and asks for structured output the best way the
server allows: a `json_schema` response format first, and for servers that reject it (llama.cpp
answers HTTP 500) JSON mode with the schema passed alongside, remembered per instance.
"""

from __future__ import annotations

import email.utils
import itertools
import json
import logging
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from typing import Any, Literal

import httpx2
import openai
from pydantic import SecretStr

from agent.llm import wire
from agent.llm.errors import (
    ModelAuthError,
    ModelError,
    ModelNotFound,
    ModelRateLimited,
    ModelReplyInvalid,
    ModelRequestRejected,
    ModelServerError,
    ModelTimeout,
    ModelUnreachable,
)
from agent.llm.limits import MAX_REPLY_BYTES, REQUEST_TIMEOUT
from agent.llm.pricing import ModelPrice
from agent.llm.protocol import ChatRequest, ChatResponse
from agent.llm.redaction import Redactor
from agent.llm.wire import ReplyBudget, ReplyReader, is_event_stream

log = logging.getLogger("starling.llm")

OPENAI_BASE_URL = "https://api.openai.com/v1"
# Sent when a local server needs no key: the SDK insists on some value.
NO_KEY = "not-needed"
StructuredMode = Literal["auto", "json_schema", "json_object"]
# Keywords OpenAI's strict json_schema mode does not accept; pydantic still enforces them on our side.
_STRICT_UNSUPPORTED = frozenset({"maxLength", "minLength", "default"})


def is_openai_host(base_url: str) -> bool:
    host = httpx2.URL(base_url).host or ""
    return host == "api.openai.com" or host.endswith((".openai.com", ".openai.azure.com"))


def strict_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema as OpenAI's strict mode wants it: every property required, no unsupported keywords."""

    def clean(node: Any) -> Any:
        if isinstance(node, list):
            return [clean(item) for item in node]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in ("properties", "$defs"):  # maps of names: keep every name
                out[key] = {name: clean(sub) for name, sub in value.items()}
            elif key not in _STRICT_UNSUPPORTED:
                out[key] = clean(value)
        if out.get("type") == "object" and isinstance(out.get("properties"), dict):
            out["required"] = list(out["properties"])
            out["additionalProperties"] = False
        return out

    cleaned: dict[str, Any] = clean(schema)
    return cleaned


class OpenAIChatModel:
    """A ChatModel over any OpenAI-compatible chat-completions endpoint."""

    name = "openai"

    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_key: SecretStr | None = None,
        timeout: float = REQUEST_TIMEOUT,
        max_reply_bytes: int = MAX_REPLY_BYTES,
        structured_mode: StructuredMode = "auto",
        prices: Mapping[str, ModelPrice] | None = None,
        http_client: httpx2.Client | None = None,
    ) -> None:
        self.base_url = (base_url or OPENAI_BASE_URL).rstrip("/")
        self.timeout = timeout
        self.max_reply_bytes = max_reply_bytes
        self._mode: StructuredMode = structured_mode
        self._stream_usage = True
        self._token_param = "max_completion_tokens" if is_openai_host(self.base_url) else "max_tokens"
        secret = api_key.get_secret_value() if api_key is not None else ""
        # Only the SDK client holds the key; this object keeps a redactor, not the key.
        self._redact = Redactor(secret)
        self._redact.guard_logs()
        self._reader = ReplyReader(redact=self._redact, prices=dict(prices or {}))
        self._client = openai.OpenAI(
            api_key=secret or NO_KEY,
            base_url=self.base_url,
            timeout=timeout,
            max_retries=0,  # retries are ours: bounded, observable and testable
            http_client=http_client,
        )

    def __repr__(self) -> str:
        return f"OpenAIChatModel(base_url={self.base_url!r}, structured_mode={self._mode!r})"

    @property
    def structured_mode(self) -> StructuredMode:
        """`json_object` once the server has rejected `json_schema` and JSON mode worked."""
        return self._mode

    def complete(self, request: ChatRequest) -> ChatResponse:
        started = time.monotonic()
        response: ChatResponse | None = None
        for item in self._exchange(request, stream=False):
            if isinstance(item, ChatResponse):
                response = item
        if response is None:  # every reply ends with a response or raises; kept for the type checker
            raise ModelReplyInvalid(f"The server at {self.base_url} sent no reply.")
        log.debug("completion in %.2f s: %s", time.monotonic() - started, response.usage)
        return response

    def stream(self, request: ChatRequest) -> Iterator[str | ChatResponse]:
        return self._exchange(request, stream=True)

    # Machinery

    def _exchange(self, request: ChatRequest, *, stream: bool) -> Iterator[str | ChatResponse]:
        """Send the request and read its reply within the size and time budget, whatever its form.

        A JSON completion and an event stream are both accepted either way round: some servers
        stream when not asked to, or ignore `stream`.
        """
        budget = ReplyBudget(where=self.base_url, max_bytes=self.max_reply_bytes, seconds=self.timeout)
        with ExitStack() as stack:
            raw = self._create(request, stream=stream, stack=stack)
            try:
                content_type = raw.headers.get("content-type", "")
                pieces = budget.metered(raw.iter_bytes())
                first = next(pieces, b"")
                body = itertools.chain([first], pieces)
                if is_event_stream(content_type, first):
                    yield from self._reader.streamed(wire.chunks(body, self.base_url), request.model)
                else:
                    completion = wire.completion(b"".join(body), content_type, self.base_url)
                    response = self._reader.whole(completion, request.model)
                    if response.content:
                        yield response.content
                    yield response
            except (openai.OpenAIError, httpx2.HTTPError) as error:
                raise self._mapped(error, request) from error
            except ModelError as error:
                raise self._cleaned(error) from None

    def _create(self, request: ChatRequest, *, stream: bool, stack: ExitStack) -> Any:
        """The opened (unread) HTTP response, asking for structured output the best way the server allows."""
        if request.response_schema is None or self._mode != "auto":
            mode: StructuredMode = "json_object" if self._mode == "json_object" else "json_schema"
            return self._call(request, stream=stream, mode=mode, stack=stack)
        try:
            return self._call(request, stream=stream, mode="json_schema", stack=stack)
        except (ModelServerError, ModelRequestRejected) as rejected:
            if not _rejects_json_schema(rejected):
                raise
            # llama.cpp and some others refuse json_schema (HTTP 500 or 400); try JSON mode once.
            try:
                result = self._call(request, stream=stream, mode="json_object", stack=stack)
            except ModelError:
                raise rejected from None
            log.info("the server rejected json_schema; using JSON mode with the schema from now on")
            self._mode = "json_object"
            return result

    def _call(self, request: ChatRequest, *, stream: bool, mode: StructuredMode, stack: ExitStack) -> Any:
        kwargs = self._kwargs(request, mode)
        create = self._client.chat.completions.with_streaming_response.create
        try:
            if not stream:
                return stack.enter_context(create(**kwargs))
            if self._stream_usage:
                try:
                    return stack.enter_context(
                        create(**kwargs, stream=True, stream_options={"include_usage": True})
                    )
                except openai.BadRequestError as error:
                    if "stream_options" not in str(error):
                        raise
                    self._stream_usage = False  # an older server: stream without the usage chunk
            return stack.enter_context(create(**kwargs, stream=True))
        except (openai.OpenAIError, httpx2.HTTPError, ValueError) as error:
            raise self._mapped(error, request) from error

    def _kwargs(self, request: ChatRequest, mode: StructuredMode) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "model": request.model,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            self._token_param: request.max_tokens,
        }
        if request.temperature is not None:
            kwargs["temperature"] = request.temperature
        schema = request.response_schema
        if schema is not None:
            name = request.schema_name or "output"
            if mode == "json_object":
                kwargs["extra_body"] = {"response_format": {"type": "json_object", "schema": schema}}
            else:
                kwargs["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {"name": name, "schema": strict_schema(schema), "strict": True},
                }
        return kwargs

    def _mapped(self, error: Exception, request: ChatRequest) -> ModelError:
        _scrub(error, self._redact)
        return self._cleaned(_map(error, base_url=self.base_url, model=request.model, timeout=self.timeout))

    def _cleaned(self, error: ModelError) -> ModelError:
        """The error with the key taken out of what it says (a server may have echoed it)."""
        error.message = self._redact.message(error.message)
        error.hint = self._redact.message(error.hint) if error.hint else error.hint
        error.args = (error.message,)
        return error


def _rejects_json_schema(error: ModelServerError | ModelRequestRejected) -> bool:
    """A 400/422, or a server error that names the response format: not a passing fault."""
    if isinstance(error, ModelRequestRejected) and error.status in (400, 422):
        return True
    text = error.message.lower()
    return any(word in text for word in ("json_schema", "response_format", "json_object"))


def _map(error: Exception, *, base_url: str, model: str, timeout: float) -> ModelError:
    """Our error for an SDK or transport error: what happened, and what to do about it."""
    where = base_url
    if isinstance(error, openai.APITimeoutError | httpx2.TimeoutException):
        return ModelTimeout(f"The model at {where} did not answer within {timeout:g} s.")
    if isinstance(error, openai.APIConnectionError | httpx2.TransportError):
        return ModelUnreachable(
            f"Could not connect to the model server at {where}.",
            hint="Check that the server is running and that OPENAI_BASE_URL points at it.",
        )
    if isinstance(error, openai.APIStatusError):
        return _map_status(error, where=where, model=model)
    if isinstance(error, openai.APIResponseValidationError | ValueError):
        return ModelServerError(f"The server at {where} sent a reply that is not valid JSON.")
    return ModelError(f"The model call to {where} failed: {error}")


def _map_status(error: openai.APIStatusError, *, where: str, model: str) -> ModelError:
    status = error.status_code
    detail = _detail(error)
    if status == 429:
        if "insufficient_quota" in json.dumps(error.body, default=str):
            return ModelRequestRejected(
                f"The account behind the API key has no quota left ({where}).",
                status=status,
                hint="Add credit or raise the limit with your provider, or use another key.",
            )
        return ModelRateLimited(
            f"The model provider at {where} is rate-limiting requests.", retry_after=_retry_after(error)
        )
    if status in (401, 403):
        return ModelAuthError(
            f"The server at {where} rejected the API key (HTTP {status}).",
            hint="Set OPENAI_API_KEY to a valid key for this server (or api_key in the settings file).",
        )
    if status == 404 and "model" in detail.lower():
        return ModelNotFound(
            f"The server at {where} does not offer the model '{model}'.",
            hint=f"Set STARLING_MODEL (or --model) to one listed at {where}/models.",
        )
    if status == 408:
        return ModelTimeout(f"The server at {where} timed out the request (HTTP 408).")
    if status >= 500 or status == 409:
        return ModelServerError(f"The server at {where} failed (HTTP {status}): {detail}", status=status)
    hint = "Check OPENAI_BASE_URL; OpenAI-compatible servers usually end in /v1." if status == 404 else None
    return ModelRequestRejected(
        f"The server at {where} rejected the request (HTTP {status}): {detail}", status=status, hint=hint
    )


def _detail(error: openai.APIStatusError) -> str:
    body = error.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return str(inner["message"])[:300]
        return json.dumps(body, default=str)[:300]
    return (str(body) if body is not None else error.message)[:300]


def _retry_after(error: openai.APIStatusError) -> float | None:
    """Seconds the server asked us to wait: `retry-after-ms`, `retry-after` seconds or an HTTP date."""
    headers = error.response.headers
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _scrub(error: Exception, redactor: Redactor) -> None:
    """Remove the key from the SDK error we chain, in case a server echoed it back."""
    redact = redactor.message
    error.args = tuple(redact(a) if isinstance(a, str) else a for a in error.args)
    if isinstance(error, openai.APIError):
        error.message = redact(error.message)
        if error.body is not None:
            try:
                error.body = json.loads(redact(json.dumps(error.body, default=str)))
            except ValueError:
                error.body = None
