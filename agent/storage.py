"""Transcript store: append-only JSONL files, flushed to disk on every record, owner-readable only.

The store knows which file is which interview's (its own folder, and each invited interview's
folder), lists, moves, repairs and deletes them, and lets one process at a time write an
interview (see `agent.locks`). What is in one file, and how it is read, appended to and
salvaged, is `agent.transcript_file`. A file damaged in the middle is listed as damaged, and
`repair` keeps its intact records, with the original kept beside it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from agent.domain.coverage import Coverage, coverage
from agent.domain.transcript import Header, Transcript
from agent.errors import TranscriptError
from agent.files import create_for_append, open_for_append, private_folder, write_private
from agent.interviews import TRANSCRIPTS
from agent.locks import InterviewLock, lock_interview

# One file's reading, writing and salvage; named here too, where callers have always found them.
from agent.transcript_file import BACKUP_MARK as BACKUP_MARK
from agent.transcript_file import DamagedTranscript as DamagedTranscript
from agent.transcript_file import TranscriptWriter as TranscriptWriter
from agent.transcript_file import (
    check_schema,
    describe_damage,
    keep_copy,
    repair_tail,
    salvage,
)
from agent.transcript_file import read_transcript as read_transcript

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,80}$")


@dataclass(frozen=True)
class TranscriptSummary:
    """One line of `starling transcripts list`."""

    interview_id: str
    created_at: datetime
    rubric_id: str
    mode: str
    finished: bool
    overall_score: float | None
    recommendation: str | None
    candidate: str | None
    path: Path
    coverage: Coverage | None = None  # how many questions the score covers, when evaluated


@dataclass(frozen=True)
class Listing:
    """Every transcript file in the folder: the readable ones newest first, then the damaged ones."""

    summaries: list[TranscriptSummary] = field(default_factory=list)
    damaged: list[DamagedTranscript] = field(default_factory=list)


@dataclass(frozen=True)
class Repair:
    """What `repair` did: the records kept, the damaged line numbers left out, the original's copy."""

    path: Path
    kept: int
    dropped: list[int]
    backup: Path | None


class TranscriptStore:
    """Reads and writes transcripts, one `<id>.jsonl` file per interview.

    New interviews are written to `folder`. With `invited` (the data folder's `interviews/`), the
    transcripts of invited interviews, each in its interview folder's `transcripts/`, are listed,
    read, resumed, repaired and deleted like the rest.
    """

    def __init__(self, folder: Path, invited: Path | None = None) -> None:
        self.folder = folder
        self.invited = invited

    def path_for(self, interview_id: str) -> Path:
        """Where the interview's transcript is, or, for a new one, where it goes."""
        name = f"{_checked(interview_id)}.jsonl"
        if not os.path.lexists(self.folder / name):
            for folder in self._invited_folders():
                if os.path.lexists(folder / name):
                    return folder / name
        return self.folder / name

    def lock(self, interview_id: str) -> InterviewLock:
        """Hold the interview's writer lock (InterviewBusy if another process holds it)."""
        return lock_interview(self._lock_path(interview_id), interview_id)

    def move(self, interview_id: str, folder: Path) -> bool:
        """Move a transcript of this store's own folder, and the copies `repair` kept, to `folder`.

        False, and nothing moved, if it is not there or `folder` has that interview already;
        InterviewBusy if another process has it open.
        """
        path = self.folder / f"{_checked(interview_id)}.jsonl"
        target = folder / path.name
        if not path.is_file() or os.path.lexists(target):
            return False
        with self.lock(interview_id):
            private_folder(folder)
            for backup in self.folder.glob(f"{path.name}{BACKUP_MARK}*"):
                backup.rename(folder / backup.name)
            path.rename(target)
            (self.folder / f".{interview_id}.lock").unlink(missing_ok=True)
        return True

    def create(self, header: Header) -> TranscriptWriter:
        path = self.path_for(header.interview_id)
        lock = self.lock(header.interview_id)
        try:
            fd = create_for_append(path)
        except BaseException:
            lock.release()
            raise
        writer = TranscriptWriter(path, fd, lock)
        try:
            writer.append(header)
        except BaseException:
            path.unlink(missing_ok=True)  # an empty file would only show up as damaged
            writer.close()
            raise
        return writer

    def open_for_append(self, interview_id: str) -> TranscriptWriter:
        path = self.path_for(interview_id)
        lock = self.lock(interview_id)
        try:
            fd = open_for_append(path)
        except OSError as error:
            lock.release()
            raise TranscriptError(f"Cannot open transcript {path} to continue it: {error}") from error
        try:
            repair_tail(path, fd)
        except OSError as error:
            os.close(fd)
            lock.release()
            raise TranscriptError(f"Cannot repair transcript {path}: {error}") from error
        return TranscriptWriter(path, fd, lock)

    def load(self, interview_id: str) -> Transcript:
        return read_transcript(self._existing(interview_id))

    def delete(self, interview_id: str) -> Path:
        """Delete an interview for good: its transcript, any copies `repair` kept, its lock file."""
        path = self._existing(interview_id)
        lock_path = self._lock_path(interview_id)
        with self.lock(interview_id):
            path.unlink()
            for backup in path.parent.glob(f"{path.name}{BACKUP_MARK}*"):
                backup.unlink()
            lock_path.unlink(missing_ok=True)
        return path

    def repair(self, interview_id: str, now: datetime | None = None) -> Repair:
        """Rewrite a damaged transcript with its intact records, keeping the original beside it.

        A damaged line is left out; everything else is kept in order. Nothing is changed when
        there is nothing to repair, or when the header itself is lost.
        """
        path = self._existing(interview_id)
        with self.lock(interview_id):
            data = path.read_bytes()
            records, dropped = salvage(data)
            if not records or not isinstance(records[0][1], Header):
                raise TranscriptError(
                    f"{path} cannot be repaired: its first line, which says what the interview is, is damaged.",
                    hint="The file is unchanged. Delete it with: starling transcripts delete " + interview_id,
                )
            check_schema(records[0][1], path)
            if not dropped:
                return Repair(path, len(records), [], None)
            backup = keep_copy(path, data, now or datetime.now(UTC))
            write_private(path, b"".join(raw + b"\n" for raw, _ in records))
        return Repair(path, len(records), dropped, backup)

    def summaries(self) -> list[TranscriptSummary]:
        """Every readable transcript, newest first."""
        return self.listing().summaries

    def listing(self) -> Listing:
        """Every transcript file: the readable ones newest first, and those that are damaged."""
        found: list[TranscriptSummary] = []
        damaged: list[DamagedTranscript] = []
        folders = [folder for folder in (self.folder, *self._invited_folders()) if folder.is_dir()]
        for path in (path for folder in folders for path in folder.glob("*.jsonl")):
            try:
                transcript = read_transcript(path)
            except TranscriptError as error:
                damaged.append(describe_damage(path, error))
                continue
            evaluation = transcript.evaluation
            found.append(
                TranscriptSummary(
                    interview_id=transcript.interview_id,
                    created_at=transcript.header.at,
                    rubric_id=transcript.header.rubric_id,
                    mode=transcript.header.mode,
                    finished=transcript.finished,
                    overall_score=evaluation.overall_score if evaluation else None,
                    recommendation=evaluation.recommendation if evaluation else None,
                    candidate=transcript.header.candidate,
                    path=path,
                    coverage=coverage(evaluation) if evaluation else None,
                )
            )
        found.sort(key=lambda s: s.created_at, reverse=True)
        damaged.sort(key=lambda d: d.modified_at, reverse=True)
        return Listing(found, damaged)

    def _lock_path(self, interview_id: str) -> Path:
        """Beside the transcript, so every process that writes it takes the same lock."""
        return self.path_for(interview_id).parent / f".{interview_id}.lock"

    def _invited_folders(self) -> list[Path]:
        """The `transcripts/` folder of every interview folder (a link is not followed)."""
        if self.invited is None or not self.invited.is_dir():
            return []
        folders = (interview / TRANSCRIPTS for interview in sorted(self.invited.iterdir()))
        return [f for f in folders if f.is_dir() and not f.is_symlink() and not f.parent.is_symlink()]

    def _existing(self, interview_id: str) -> Path:
        path = self.path_for(interview_id)
        if not path.exists():
            raise TranscriptError(
                f"No transcript with id '{interview_id}'.",
                hint="Run 'starling transcripts list' to see the ids.",
            )
        return path


def _checked(interview_id: str) -> str:
    if not _SAFE_ID.match(interview_id):
        raise TranscriptError(
            f"'{interview_id}' is not a transcript id.",
            hint="Run 'starling transcripts list' to see the ids.",
        )
    return interview_id
