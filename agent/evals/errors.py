"""Eval errors: a bad suite and a failed harness are both exit code 2, never a verdict on the agent."""

from __future__ import annotations

from agent.errors import StarlingError


class SuiteError(StarlingError):
    """A suite, persona, transcript or dataset file is missing or invalid.

    `details` holds one line per problem (`file:line: field: message`), so a loader can gather
    the problems of several entries into one error.
    """

    title = "Eval suite problem"

    def __init__(self, message: str, *, hint: str | None = None, details: list[str] | None = None) -> None:
        super().__init__(message, hint=hint)
        self.details = list(details or [])


class HarnessError(StarlingError):
    """The eval harness itself failed (a simulator fault, an unusable run file), not the agent."""

    title = "Eval harness problem"


class CacheMiss(HarnessError):
    """Replay mode needed a model response that is not in the cache."""

    title = "Replay cache miss"

    def __init__(self, key: str, schema_name: str | None) -> None:
        kind = f" ({schema_name})" if schema_name else ""
        super().__init__(
            f"No cached model response for request {key[:12]}{kind}.",
            hint="Record the responses first with --brain openai (same suite, prompts and model), "
            "then replay.",
        )
        self.key = key


class LocatedError(ValueError):
    """A cross-field problem raised by a model validator, located at a field below that model."""

    def __init__(self, loc: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc
