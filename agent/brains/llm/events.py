"""What the model-backed brain reports while it works, for a UI to show as it happens.

A listener is called on the brain's (worker) thread; a UI forwards each event to its own
thread (Textual: `app.call_from_thread`). Events are facts, named in the past tense.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from agent.domain.usage import Usage

Purpose = Literal["analysis", "evaluation"]


@dataclass(frozen=True)
class CallStarted:
    purpose: Purpose
    prompt_tokens: int
    question_id: str | None = None


@dataclass(frozen=True)
class TextReceived:
    """A chunk of the model's raw (JSON) output, as streamed."""

    purpose: Purpose
    text: str


@dataclass(frozen=True)
class FollowUpDrafted:
    """The model's wording of a follow-up so far, as it streams in.

    Provisional: the policy picks the target afterwards, and the interviewer turn in the
    session's Update is what is actually asked. A UI may show this as a typing preview.
    """

    target: str
    text: str
    complete: bool = False


@dataclass(frozen=True)
class RetryScheduled:
    purpose: Purpose
    attempt: int
    delay: float
    reason: str


@dataclass(frozen=True)
class CallFinished:
    purpose: Purpose
    usage: Usage
    question_id: str | None = None


@dataclass(frozen=True)
class FellBack:
    """The offline brain did this turn's (or question's) work instead, and why."""

    purpose: Purpose
    reason: str
    question_id: str | None = None


BrainEvent = CallStarted | TextReceived | FollowUpDrafted | RetryScheduled | CallFinished | FellBack
Listener = Callable[[BrainEvent], None]

_DRAFT = re.compile(
    r'"target"\s*:\s*"(?P<target>[a-z]+)"\s*,\s*"question"\s*:\s*"(?P<text>(?:[^"\\]|\\.)*)(?P<end>")?'
)


_FOLLOWUPS_KEY = '"followups"'
# The follow-ups are two short questions; past this much text after their key, nothing more is drafted.
_DRAFT_WINDOW = 4000


class DraftWatcher:
    """Finds follow-up wording in a streamed analysis and reports it as it grows.

    Work per chunk is bounded, however long the reply: before the key only its width is kept,
    and after it only a window the size of two follow-ups is searched.
    """

    def __init__(self, listener: Listener) -> None:
        self._listener = listener
        self._buffer = ""
        self._found = False
        self._seen: dict[int, str] = {}

    @property
    def held(self) -> int:
        """Characters kept for matching (bounded whatever the reply's length)."""
        return len(self._buffer)

    def feed(self, chunk: str) -> None:
        if self._found and len(self._buffer) >= _DRAFT_WINDOW:
            return
        window = self._buffer + chunk
        if not self._found:
            start = window.find(_FOLLOWUPS_KEY)
            if start < 0:
                self._buffer = window[-(len(_FOLLOWUPS_KEY) - 1) :]
                return
            self._found = True
            window = window[start:]
        self._buffer = window[:_DRAFT_WINDOW]
        for index, match in enumerate(_DRAFT.finditer(self._buffer)):
            text = _unescape(match.group("text"))
            complete = match.group("end") is not None
            if self._seen.get(index) != text + ("$" if complete else ""):
                self._seen[index] = text + ("$" if complete else "")
                self._listener(FollowUpDrafted(target=match.group("target"), text=text, complete=complete))


def _unescape(partial: str) -> str:
    """Decode JSON string escapes in a possibly unfinished string."""
    cut = partial[:-1] if partial.endswith("\\") else partial
    try:
        decoded: str = json.loads(f'"{cut}"')
    except ValueError:
        return cut
    return decoded
