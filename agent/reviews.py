"""A reviewer's own decision and notes on an interview, kept apart from the machine's evaluation.

The evaluation is evidence; the decision is a person's. Each decision is stored in its own file
and every change is kept, so it is clear who decided what and when.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.errors import InputError
from agent.files import write_private

Decision = Literal["advance", "hold", "reject"]
DECISION_LABEL: dict[Decision, str] = {"advance": "Advance", "hold": "Hold", "reject": "Reject"}
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,80}$")


class ReviewEntry(BaseModel):
    """One decision by one reviewer at one moment."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    decision: Decision
    notes: str = Field(default="", max_length=20_000)
    reviewer: str = Field(min_length=1, max_length=120)
    decided_at: datetime


class Review(BaseModel):
    """All decisions on one interview, oldest first; the last one stands."""

    model_config = ConfigDict(extra="forbid")

    interview_id: str
    history: list[ReviewEntry] = Field(default_factory=list)

    @property
    def current(self) -> ReviewEntry | None:
        return self.history[-1] if self.history else None


class ReviewStore:
    """Reviews in one folder, one `<interview id>.json` file each, readable by the owner only."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def load(self, interview_id: str) -> Review:
        path = self._path(interview_id)
        if not path.is_file():
            return Review(interview_id=interview_id)
        try:
            return Review.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValidationError) as error:
            raise InputError(f"The review file {path} is damaged: {error}") from error

    def record(self, interview_id: str, entry: ReviewEntry) -> Review:
        review = self.load(interview_id)
        review.history.append(entry)
        write_private(self._path(interview_id), review.model_dump_json(indent=2))
        return review

    def _path(self, interview_id: str) -> Path:
        if not _SAFE_ID.match(interview_id):
            raise InputError(f"'{interview_id}' is not an interview id.")
        return self.folder / f"{interview_id}.json"
