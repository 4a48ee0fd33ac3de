"""Transcript store: append-only JSONL files, flushed to disk on every record, owner-readable only.

One process at a time writes an interview (see `agent.locks`). A file damaged in the middle is
listed as damaged, and `repair` keeps its intact records, with the original kept beside it.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from agent.domain.coverage import Coverage, coverage
from agent.domain.transcript import SCHEMA_VERSION, BodyRecord, Header, Record, Transcript
from agent.errors import TranscriptError
from agent.files import create_for_append, open_for_append, private_folder, write_private
from agent.interviews import TRANSCRIPTS
from agent.locks import InterviewLock, lock_interview

_RECORD: TypeAdapter[Record] = TypeAdapter(Record)
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,80}$")
# Where `repair` keeps the original of a file it rewrote: `<id>.jsonl.damaged-<when>`.
BACKUP_MARK = ".damaged-"


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
class DamagedTranscript:
    """A transcript file that cannot be read as a whole; `header` is set when its first line is intact."""

    interview_id: str
    path: Path
    problem: str
    modified_at: datetime
    header: Header | None


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
            _repair_tail(path, fd)
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
            records, dropped = _salvage(data)
            if not records or not isinstance(records[0][1], Header):
                raise TranscriptError(
                    f"{path} cannot be repaired: its first line, which says what the interview is, is damaged.",
                    hint="The file is unchanged. Delete it with: starling transcripts delete " + interview_id,
                )
            _check_schema(records[0][1], path)
            if not dropped:
                return Repair(path, len(records), [], None)
            backup = _keep_copy(path, data, now or datetime.now(UTC))
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
                damaged.append(_damaged(path, error))
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


class TranscriptWriter:
    """Appends records to one transcript file; each record is on disk before `append` returns.

    The writer holds the interview's lock until it is closed.
    """

    def __init__(self, path: Path, fd: int, lock: InterviewLock) -> None:
        self.path = path
        self._fd = fd
        self._lock = lock

    def append(self, record: Header | BodyRecord) -> None:
        """Write one whole record, or nothing: a failed write is cut back off the file."""
        line = (record.model_dump_json() + "\n").encode("utf-8")
        start = os.lseek(self._fd, 0, os.SEEK_END)
        try:
            view = memoryview(line)
            while view:
                view = view[os.write(self._fd, view) :]
            os.fsync(self._fd)
        except OSError as error:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, start)
            raise TranscriptError(
                f"Could not save to {self.path}: {error}",
                hint="Everything before this step is saved. Free some disk space, then resume the interview.",
            ) from error

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
            self._lock.release()

    def __enter__(self) -> TranscriptWriter:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _checked(interview_id: str) -> str:
    if not _SAFE_ID.match(interview_id):
        raise TranscriptError(
            f"'{interview_id}' is not a transcript id.",
            hint="Run 'starling transcripts list' to see the ids.",
        )
    return interview_id


def read_transcript(path: Path) -> Transcript:
    """Parse a transcript file. A torn last line (a crash mid-write) is ignored."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise TranscriptError(f"Cannot read transcript {path}: {error}") from error
    records = list(_parse(_lines(data), path))
    if not records or not isinstance(records[0], Header):
        raise TranscriptError(f"{path} is not a Starling transcript (no header line).")
    header = records[0]
    _check_schema(header, path)
    body = [r for r in records[1:] if not isinstance(r, Header)]
    return Transcript(header=header, records=body)


def _lines(data: bytes) -> list[bytes]:
    """The file's lines. Only a newline ends a record: text may hold other line separators."""
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    return lines


def _check_schema(header: Header, path: Path) -> None:
    if header.schema_version > SCHEMA_VERSION:
        raise TranscriptError(
            f"{path} was written by a newer Starling (schema {header.schema_version}).",
            hint="Upgrade Starling to read it.",
        )


def _salvage(data: bytes) -> tuple[list[tuple[bytes, Record]], list[int]]:
    """Every intact record with its line, and the numbers of the lines that are not one."""
    kept: list[tuple[bytes, Record]] = []
    dropped: list[int] = []
    for number, raw in enumerate(_lines(data), start=1):
        if not raw.strip():
            continue
        try:
            record = _RECORD.validate_json(raw)
        except ValidationError:
            dropped.append(number)
            continue
        if isinstance(record, Header) and kept:
            dropped.append(number)  # a second header is not part of this interview
            continue
        kept.append((raw.rstrip(b"\r"), record))
    return kept, dropped


def _keep_copy(path: Path, data: bytes, now: datetime) -> Path:
    """Keep `data` beside `path` as `<name>.damaged-<when>`, never replacing an earlier copy."""
    stem = f"{path.name}{BACKUP_MARK}{now:%Y%m%dT%H%M%S}"
    for number in range(1, 100):
        name = stem if number == 1 else f"{stem}-{number}"
        try:
            return write_private(path.with_name(name), data, exclusive=True)
        except FileExistsError:
            continue
    raise TranscriptError(f"Too many copies of {path} were kept this second; try again.")


def _damaged(path: Path, error: TranscriptError) -> DamagedTranscript:
    try:
        info = path.stat()
        with path.open("rb") as handle:
            first = handle.readline()
    except OSError:
        modified, first = 0.0, b""
    else:
        modified = info.st_mtime
    try:
        header: Header | None = Header.model_validate_json(first)
    except ValidationError:
        header = None
    return DamagedTranscript(
        interview_id=header.interview_id if header else path.stem,
        path=path,
        problem=error.message.removeprefix(f"{path}: ").replace(str(path), path.name),
        modified_at=datetime.fromtimestamp(modified, UTC),
        header=header,
    )


def _repair_tail(path: Path, fd: int) -> None:
    """Make the file end with a whole line before appending to it.

    Reading ignores a torn final line (a crash mid-write); appending after one would glue the
    next record onto it and damage the file for good. A torn line is cut off; a complete record
    that only lacks its newline gets one.
    """
    data = path.read_bytes()
    body = data.rstrip(b"\n")
    start = body.rfind(b"\n") + 1
    last = body[start:]
    if not last.strip():
        return
    try:
        _RECORD.validate_json(last)
    except ValidationError:
        os.ftruncate(fd, start)
    else:
        if data.endswith(b"\n"):
            return
        os.write(fd, b"\n")
    os.fsync(fd)


def _parse(lines: list[bytes], path: Path) -> Iterator[Record]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield _RECORD.validate_json(line)
        except ValidationError as error:
            if number == len(lines):
                return  # torn final write: everything before it is intact
            raise TranscriptError(
                f"{path}: line {number} is damaged: {_first_error(error)}",
                hint=f"Recover its intact records with: starling transcripts repair {path.stem}",
            ) from error


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{first['msg']} (at {where})" if where else first["msg"]
