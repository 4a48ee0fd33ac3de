"""One error type for everything a user can cause or fix, mapped to stderr or a UI notice at the edge."""

from __future__ import annotations


class StarlingError(Exception):
    """A problem the user can act on: `message` says what happened, `hint` what to do."""

    exit_code = 2
    title = "Starling error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message


class RubricError(StarlingError):
    title = "Rubric problem"


class TranscriptError(StarlingError):
    title = "Transcript problem"


class InputError(StarlingError):
    title = "Input problem"


class BrainError(StarlingError):
    title = "Model problem"
