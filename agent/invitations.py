"""Single-use interview invitations for candidates who interview in a browser.

Only a hash of each token is stored, so the data folder never holds a usable link. Claiming a
token creates a marker file exclusively, which makes each link usable exactly once even when
two browsers open it at the same moment.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.domain.defaults import DEFAULT_VALID_HOURS as DEFAULT_VALID_HOURS
from agent.domain.defaults import MAX_NAME_CHARS
from agent.errors import InputError
from agent.files import write_private

InvitationState = Literal["pending", "used", "expired", "revoked"]


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
    """Invitations and their claims in one folder: `<id>.json` and `<id>.claimed`."""

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

    def state(self, invitation: Invitation, now: datetime) -> InvitationState:
        if invitation.revoked:
            return "revoked"
        if (self.folder / f"{invitation.id}.claimed").exists():
            return "used"
        if now >= invitation.expires_at:
            return "expired"
        return "pending"

    def claim(self, token: str, now: datetime) -> Invitation | None:
        """Use up a token. Returns the invitation, or None if it cannot be used (any reason)."""
        invitation = self.find(token)
        if invitation is None or self.state(invitation, now) != "pending":
            return None
        try:
            fd = os.open(
                self.folder / f"{invitation.id}.claimed", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600
            )
        except FileExistsError:
            return None
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(now.isoformat())
        return invitation

    def record_interview(self, invitation: Invitation, interview_id: str) -> None:
        """Remember which interview an invitation produced, next to its claim."""
        write_private(self.folder / f"{invitation.id}.interview", interview_id)

    def interview_for(self, invitation: Invitation) -> str | None:
        path = self.folder / f"{invitation.id}.interview"
        return path.read_text(encoding="utf-8").strip() if path.is_file() else None

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
