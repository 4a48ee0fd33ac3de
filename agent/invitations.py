"""Single-use interview invitations for candidates who interview in a browser.

Only a hash of each token is stored, so the data folder never holds a usable link. A link is
claimed when the candidate accepts the consent screen, with a marker file created exclusively, so
one interview comes of it even when two browsers accept at the same moment. A candidate whose
connection drops may open the link again within the rejoin window, counted from when they were last
connected, and carry on; once the interview is finished, or the window has passed, the link is dead.

What the recruiter and the server decide stays in `invitations/`: the invitation itself and when
its candidate was last connected. What the candidate's app may reach (its consent, its interview,
its transcript) is in the invitation's interview folder (see `agent.interviews`).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import ValidationError

from agent.domain.defaults import DEFAULT_REJOIN_MINUTES, MAX_NAME_CHARS
from agent.domain.defaults import DEFAULT_VALID_HOURS as DEFAULT_VALID_HOURS
from agent.errors import InputError, TranscriptError
from agent.files import private_folder, write_private
from agent.interviews import INTERVIEWS, TRANSCRIPTS, InterviewFolder, InvitationDetails
from agent.locks import InterviewBusy

if TYPE_CHECKING:
    from agent.storage import TranscriptStore

# pending: not accepted yet; in_progress: accepted, and reopenable within the rejoin window;
# lapsed: accepted, and left for longer than that; finished: the interview has ended.
InvitationState = Literal["pending", "in_progress", "lapsed", "finished", "expired", "revoked"]
DEFAULT_REJOIN = timedelta(minutes=DEFAULT_REJOIN_MINUTES)
SERVER_RECORD = "server.json"
# States in which the link still opens an interview.
OPEN_STATES: frozenset[InvitationState] = frozenset({"pending", "in_progress"})
# The progress markers an older Starling kept beside each invitation, as `<id>.<marker>`.
_MARKERS = ("claimed", "interview", "finished")


class Invitation(InvitationDetails):
    """What a recruiter set up for one candidate, with the hash of its token; the token itself is
    not stored."""

    token_hash: str
    revoked: bool = False

    def details(self) -> InvitationDetails:
        """What the candidate's app is told: everything but the token's hash and the withdrawal."""
        return InvitationDetails.model_validate(self.model_dump(include=set(InvitationDetails.model_fields)))


class InvitationStore:
    """Invitations in one folder (`<id>.json`, and `<id>.seen`: when its candidate was last
    connected), each with its interview folder in `interviews` (beside it unless given)."""

    def __init__(self, folder: Path, interviews: Path | None = None) -> None:
        self.folder = folder
        self.interviews = interviews if interviews is not None else folder.parent / INTERVIEWS

    def interview(self, invitation: InvitationDetails) -> InterviewFolder:
        """The invitation's interview folder: all that its candidate's app may reach."""
        return InterviewFolder(self.interviews / invitation.id)

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
        interview = self.interview(invitation)
        state = interview.state(invitation, now)
        claimed = interview.claimed_at()
        if state != "in_progress" or claimed is None:
            return state
        seen = self._seen(invitation)
        last = max(claimed, seen) if seen is not None else claimed
        return "in_progress" if now - last <= rejoin else "lapsed"

    def claim(self, invitation: Invitation, now: datetime) -> bool:
        """Record the candidate's consent; False if the link was already claimed or cannot be used."""
        return self.state(invitation, now) == "pending" and self.interview(invitation).claim(invitation, now)

    def mark_seen(self, invitation: Invitation, now: datetime) -> None:
        """Note that the candidate was connected at `now`; the rejoin window counts from the last."""
        write_private(self.folder / f"{invitation.id}.seen", now.isoformat())

    def finish(self, invitation: Invitation, now: datetime) -> None:
        self.interview(invitation).finish(now)

    def record_interview(self, invitation: Invitation, interview_id: str) -> None:
        self.interview(invitation).record_interview(interview_id)

    def interview_for(self, invitation: Invitation) -> str | None:
        return self.interview(invitation).interview_id()

    def _seen(self, invitation: Invitation) -> datetime | None:
        try:
            text = (self.folder / f"{invitation.id}.seen").read_text(encoding="utf-8").strip()
            return datetime.fromisoformat(text)
        except (OSError, ValueError):
            return None

    def move_to_interview_folders(self, transcripts: TranscriptStore) -> None:
        """Move what an older Starling kept beside each invitation into its interview folder.

        That is the consent, interview and end markers (`<id>.claimed` became `claimed`, and so
        on) and the transcript of the interview the invitation produced, so a candidate who left
        before the upgrade can still come back to it. A transcript another process has open stays
        where it is, still listed for review, and its old marker with it, until the next time.
        Only those old markers, which a candidate's app never wrote, say which transcript to move.
        """
        if not self.folder.is_dir():
            return
        for kind in _MARKERS:
            for marker in sorted(self.folder.glob(f"*.{kind}")):
                if marker.stem.isalnum():
                    self._move_marker(marker, kind, transcripts)

    def _move_marker(self, marker: Path, kind: str, transcripts: TranscriptStore) -> None:
        folder = private_folder(self.interviews / marker.stem)
        moved = True
        if kind == "interview":
            try:
                transcripts.move(marker.read_text(encoding="utf-8").strip(), folder / TRANSCRIPTS)
            except InterviewBusy:
                moved = False
            except TranscriptError:
                pass  # not an interview's id: there is no transcript to move
        if not os.path.lexists(folder / kind):
            write_private(folder / kind, marker.read_bytes())
        if moved:
            marker.unlink()

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
