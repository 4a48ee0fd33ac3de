"""Single-use interview invitations for candidates who interview in a browser.

Only a hash of each token is stored, so the data folder never holds a usable link. A link is
claimed when the candidate accepts the consent screen, with a marker file created exclusively, so
one interview comes of it even when two browsers accept at the same moment. A candidate whose
connection drops may open the link again within the rejoin window, counted from when they were last
connected, and carry on; once the interview is finished, or the window has passed, the link is dead.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.domain.defaults import DEFAULT_REJOIN_MINUTES, MAX_NAME_CHARS
from agent.domain.defaults import DEFAULT_VALID_HOURS as DEFAULT_VALID_HOURS
from agent.errors import InputError
from agent.files import write_private

# pending: not accepted yet; in_progress: accepted, and reopenable within the rejoin window;
# lapsed: accepted, and left for longer than that; finished: the interview has ended.
InvitationState = Literal["pending", "in_progress", "lapsed", "finished", "expired", "revoked"]
DEFAULT_REJOIN = timedelta(minutes=DEFAULT_REJOIN_MINUTES)
SERVER_RECORD = "server.json"
# States in which the link still opens an interview.
OPEN_STATES: frozenset[InvitationState] = frozenset({"pending", "in_progress"})


class Invitation(BaseModel):
    """What a recruiter set up for one candidate; the token itself is not stored."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="Public id: the first characters of the token's hash.")
    token_hash: str
    rubric_id: str
    candidate: str = Field(min_length=1, max_length=MAX_NAME_CHARS)
    question_count: int = Field(ge=1, le=12)
    created_at: datetime
    expires_at: datetime
    revoked: bool = False


class InvitationStore:
    """Invitations and their progress in one folder: `<id>.json`, then `<id>.claimed` (consent given),
    `<id>.interview` (the interview it produced), `<id>.seen` (last connected) and `<id>.finished`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def create(
        self,
        *,
        rubric_id: str,
        candidate: str,
        question_count: int,
        now: datetime,
        valid_for: timedelta = timedelta(hours=DEFAULT_VALID_HOURS),
    ) -> tuple[Invitation, str]:
        """A new invitation and its secret token (shown once, to put in the link)."""
        candidate = " ".join(candidate.split())
        if not candidate:
            raise InputError("The candidate's name is empty.", hint='Pass --candidate "Full Name".')
        if len(candidate) > MAX_NAME_CHARS:
            raise InputError(
                f"The candidate's name is {len(candidate)} characters long; the limit is {MAX_NAME_CHARS}.",
                hint="Shorten it, for example to a first and last name.",
            )
        token = secrets.token_urlsafe(24)
        digest = _hash(token)
        invitation = Invitation(
            id=digest[:12],
            token_hash=digest,
            rubric_id=rubric_id,
            candidate=candidate,
            question_count=question_count,
            created_at=now,
            expires_at=now + valid_for,
        )
        write_private(
            self.folder / f"{invitation.id}.json", invitation.model_dump_json(indent=2), exclusive=True
        )
        return invitation, token

    def find(self, token: str) -> Invitation | None:
        """The invitation a token belongs to, or None for an unknown or malformed token."""
        if not token or len(token) > 200 or not token.replace("-", "").replace("_", "").isalnum():
            return None
        digest = _hash(token)
        invitation = self.get(digest[:12])
        if invitation is None or not secrets.compare_digest(invitation.token_hash, digest):
            return None
        return invitation

    def get(self, invitation_id: str) -> Invitation | None:
        path = self.folder / f"{invitation_id}.json"
        if not invitation_id.isalnum() or not path.is_file():
            return None
        try:
            return Invitation.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValidationError):
            return None

    def state(
        self, invitation: Invitation, now: datetime, rejoin: timedelta = DEFAULT_REJOIN
    ) -> InvitationState:
        if invitation.revoked:
            return "revoked"
        if self._marker(invitation, "finished").exists():
            return "finished"
        claimed = self._stamp(invitation, "claimed")
        if claimed is not None:
            seen = self._stamp(invitation, "seen")
            last = max(claimed, seen) if seen is not None else claimed
            return "in_progress" if now - last <= rejoin else "lapsed"
        if now >= invitation.expires_at:
            return "expired"
        return "pending"

    def claim(self, invitation: Invitation, now: datetime) -> bool:
        """Record the candidate's consent; False if the link was already claimed or cannot be used.

        The expiry counts until consent: a candidate who began in time may finish after it.
        """
        if self.state(invitation, now) != "pending":
            return False
        try:
            write_private(self._marker(invitation, "claimed"), now.isoformat(), exclusive=True)
        except FileExistsError:
            return False
        return True

    def mark_seen(self, invitation: Invitation, now: datetime) -> None:
        """Note that the candidate was connected at `now`; the rejoin window counts from the last."""
        self._write(invitation, "seen", now.isoformat())

    def finish(self, invitation: Invitation, now: datetime) -> None:
        """The interview has ended: the link opens nothing any more."""
        self._write(invitation, "finished", now.isoformat())

    def record_interview(self, invitation: Invitation, interview_id: str) -> None:
        """Remember which interview an invitation produced, next to its claim."""
        self._write(invitation, "interview", interview_id)

    def interview_for(self, invitation: Invitation) -> str | None:
        path = self._marker(invitation, "interview")
        return path.read_text(encoding="utf-8").strip() if path.is_file() else None

    def _marker(self, invitation: Invitation, kind: str) -> Path:
        return self.folder / f"{invitation.id}.{kind}"

    def _write(self, invitation: Invitation, kind: str, text: str) -> None:
        """Replace a marker whole, so a reader never sees it half written."""
        write_private(self._marker(invitation, kind), text)

    def _stamp(self, invitation: Invitation, kind: str) -> datetime | None:
        try:
            return datetime.fromisoformat(self._marker(invitation, kind).read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            return None

    def record_server(self, url: str, pid: int) -> None:
        """Note where `starling serve` for this folder is running, for `starling invite` to check."""
        write_private(self.folder / SERVER_RECORD, json.dumps({"url": url, "pid": pid}))

    def forget_server(self, pid: int) -> None:
        if self.running_server_pid() == pid:
            (self.folder / SERVER_RECORD).unlink(missing_ok=True)

    def running_server(self) -> str | None:
        """The address of the running `starling serve` for this folder, if one is running."""
        record = self._server_record()
        return str(record["url"]) if record is not None else None

    def running_server_pid(self) -> int | None:
        record = self._server_record()
        return int(str(record["pid"])) if record is not None else None

    def _server_record(self) -> dict[str, object] | None:
        try:
            record = json.loads((self.folder / SERVER_RECORD).read_text(encoding="utf-8"))
            pid = int(record["pid"])
            os.kill(pid, 0)  # still running? (signal 0 only checks)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return record if isinstance(record, dict) else None

    def all(self) -> list[Invitation]:
        if not self.folder.is_dir():
            return []
        found = [self.get(path.stem) for path in sorted(self.folder.glob("*.json"))]
        return sorted((i for i in found if i is not None), key=lambda i: i.created_at, reverse=True)

    def revoke(self, invitation_id: str) -> Invitation:
        invitation = self.get(invitation_id)
        if invitation is None:
            raise InputError(
                f"No invitation with id '{invitation_id}'.", hint="Run 'starling invite --list'."
            )
        revoked = invitation.model_copy(update={"revoked": True})
        write_private(self.folder / f"{invitation.id}.json", revoked.model_dump_json(indent=2))
        return revoked


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
