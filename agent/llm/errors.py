"""What can go wrong when talking to a model, as our own errors; the SDK's never leave the backend.

`retryable` errors (timeouts, connection failures, rate limits, server errors) are retried within
a bounded time; the others are outcomes a brain handles at once (usually by falling back).
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.domain.usage import Usage
from agent.errors import BrainError


class ModelError(BrainError):
    """A model call failed. `reason` is a short plain phrase for transcripts and the UI."""

    retryable = False
    reason = "the model call failed"
    # Tokens already spent before the failure (e.g. answers that did not validate).
    usage: Usage | None = None


class ModelTimeout(ModelError):
    retryable = True
    reason = "the model did not answer in time"


class ModelUnreachable(ModelError):
    retryable = True
    reason = "the model server could not be reached"


class ModelRateLimited(ModelError):
    """HTTP 429. `retry_after` is the server's requested wait in seconds, when it gave one."""

    retryable = True
    reason = "the model provider rate-limited the request"

    def __init__(self, message: str, *, retry_after: float | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.retry_after = retry_after


class ModelServerError(ModelError):
    """HTTP 5xx, or a reply that is not the JSON the protocol promises."""

    retryable = True
    reason = "the model server returned an error"

    def __init__(self, message: str, *, status: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status


class ModelReplyInvalid(ModelError):
    """An answer arrived but is not a chat completion: a web page, an empty body, JSON of another
    shape, a stream that stopped early. The same server would answer the same way, so it is not retried."""

    reason = "the model server's reply was not a chat completion"


class ModelReplyTooLarge(ModelReplyInvalid):
    """The reply passed the size cap; it was not read further."""

    reason = "the model server's reply was larger than allowed"

    def __init__(self, message: str, *, limit: int, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.limit = limit


class ModelAuthError(ModelError):
    """HTTP 401/403: the key is missing, wrong, or not allowed to use the model."""

    reason = "the API key was rejected"


class ModelNotFound(ModelError):
    reason = "the model name is not known to the server"


class ModelRequestRejected(ModelError):
    """HTTP 400/404/409/422 that is not about the model name: the request itself was refused."""

    reason = "the server rejected the request"

    def __init__(self, message: str, *, status: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status


class ModelRefused(ModelError):
    """The model declined to answer (a refusal message, or a content filter stopped it)."""

    reason = "the model refused to answer"

    def __init__(self, message: str, *, refusal: str | None = None) -> None:
        super().__init__(message)
        self.refusal = refusal


class ModelTruncated(ModelError):
    """The answer hit the output-token limit before it was complete."""

    reason = "the model's answer was cut off at its token limit"

    def __init__(self, message: str, *, max_tokens: int, raw: str = "") -> None:
        super().__init__(message)
        self.max_tokens = max_tokens
        self.raw = raw


@dataclass(frozen=True)
class OutputAttempt:
    """One answer that did not validate: the raw text and why it was rejected."""

    raw: str
    error: str


class ModelOutputInvalid(ModelError):
    """The model's answers never matched the schema, even after re-asking with the errors."""

    reason = "the model's answer did not match the expected structure"

    def __init__(self, message: str, *, attempts: list[OutputAttempt]) -> None:
        super().__init__(message)
        self.attempts = attempts

    @property
    def raw_outputs(self) -> list[str]:
        return [attempt.raw for attempt in self.attempts]


class RetriesExhausted(ModelError):
    """Every retry of a retryable failure failed; `last` is the final one."""

    def __init__(self, message: str, *, last: ModelError, attempts: int, elapsed: float) -> None:
        super().__init__(message, hint=last.hint)
        self.last = last
        self.attempts = attempts
        self.elapsed = elapsed
        self.reason = f"{last.reason} ({attempts} attempt{'s' if attempts != 1 else ''} in {elapsed:.0f} s)"
