"""One invitation's interview folder: everything the candidate's app for it can reach.

`<data folder>/interviews/<invitation id>/` is laid out like a small data folder, so the candidate's
app runs with it as its data folder and sees nothing else:

    invitation.json             what the app needs to know (no hash of the token), and
    rubrics/<rubric id>.yaml    the invitation's rubric (for a kit, `rubrics/kits/<kit id>.yaml`
                                and each of its competencies' rubrics): both handed over by
                                `starling serve` each time it starts the app
    claimed, interview,         the candidate's consent, the interview it started and its end,
    finished                    written by the app
    transcripts/                the interview's transcript

Whether a link may be opened at all (withdrawn, expired, or left for longer than the rejoin
window) is for the server to decide, from the invitation and its last connection, which it keeps
outside this folder; the server starts no app for a link that opens nothing.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.domain.defaults import MAX_NAME_CHARS
from agent.domain.rubric import Slug
from agent.files import write_private

# The folder of interview folders, inside the data folder.
INTERVIEWS = "interviews"
DETAILS = "invitation.json"
TRANSCRIPTS = "transcripts"
# What an interview folder alone can tell: the rest of an invitation's states are the server's.
InterviewState = Literal["pending", "in_progress", "finished", "expired"]


class InvitationDetails(BaseModel):
    """What a recruiter set up for one candidate, as the candidate's app is told it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="Public id: the first characters of the token's hash.")
    rubric_id: Slug
    candidate: str = Field(min_length=1, max_length=MAX_NAME_CHARS)
    question_count: int = Field(ge=1, le=12)
    created_at: datetime
    expires_at: datetime


class InterviewFolder:
    """An invitation's interview folder, and the progress markers in it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def transcripts(self) -> Path:
        return self.path / TRANSCRIPTS

    def hand_over(self, details: InvitationDetails, rubric_files: dict[str, Path]) -> None:
        """Give the app what it needs: the invitation's details and its rubric files as they are now.

        `rubric_files` maps a path inside the interview's rubric folder to the file to copy there.
        Whatever was handed over before (a file left from an earlier start, or a link) is replaced;
        with no files, the app says the rubric cannot be found, as it would have.
        """
        from agent.rubrics import rubric_dirs  # the server's work only

        write_private(self.path / DETAILS, details.model_dump_json(indent=2))
        folder = rubric_dirs(self.path)[0]  # searched before any other
        for old in sorted(folder.rglob("*.y*ml"), reverse=True) if folder.is_dir() else []:
            old.unlink(missing_ok=True)
        for name, source in rubric_files.items():
            write_private(folder / name, source.read_bytes())

    def details(self) -> InvitationDetails | None:
        try:
            return InvitationDetails.model_validate_json((self.path / DETAILS).read_text(encoding="utf-8"))
        except (OSError, ValidationError):
            return None

    def state(self, details: InvitationDetails, now: datetime) -> InterviewState:
        if self.finished():
            return "finished"
        if self.claimed_at() is not None:
            return "in_progress"
        if now >= details.expires_at:
            return "expired"
        return "pending"

    def claim(self, details: InvitationDetails, now: datetime) -> bool:
        """Record the candidate's consent, created exclusively so only one claim ever succeeds.

        The expiry counts until consent: a candidate who began in time may finish after it.
        """
        if self.state(details, now) != "pending":
            return False
        try:
            write_private(self.path / "claimed", now.isoformat(), exclusive=True)
        except FileExistsError:
            return False
        return True

    def claimed_at(self) -> datetime | None:
        try:
            return datetime.fromisoformat(self._read("claimed"))
        except (OSError, ValueError):
            return None

    def record_interview(self, interview_id: str) -> None:
        """Remember which interview the invitation produced, so a rejoin carries it on."""
        write_private(self.path / "interview", interview_id)

    def interview_id(self) -> str | None:
        try:
            return self._read("interview") or None
        except OSError:
            return None

    def finish(self, now: datetime) -> None:
        """The interview has ended: the link opens nothing any more."""
        write_private(self.path / "finished", now.isoformat())

    def finished(self) -> bool:
        return (self.path / "finished").exists()

    def _read(self, name: str) -> str:
        return (self.path / name).read_text(encoding="utf-8").strip()
