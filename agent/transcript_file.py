"""One transcript file: reading it, appending to it, and saving what can be saved when it is damaged.

A transcript is JSON Lines: a header, then one record per line, each flushed to disk before the
next. A torn last line (a crash mid-write) is ignored when reading and cut off before appending.
A line damaged in the middle makes the file unreadable as a whole; `salvage` finds its intact
records, and `keep_copy` keeps the original beside it. Which file is which interview's, and who
may write it, is the transcript store's (`agent.storage`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from agent.domain.transcript import SCHEMA_VERSION, BodyRecord, Header, Record, Transcript
from agent.errors import TranscriptError
from agent.files import write_private
from agent.locks import InterviewLock

_RECORD: TypeAdapter[Record] = TypeAdapter(Record)
# Where `repair` keeps the original of a file it rewrote: `<id>.jsonl.damaged-<when>`.
BACKUP_MARK = ".damaged-"


@dataclass(frozen=True)
class DamagedTranscript:
    """A transcript file that cannot be read as a whole; `header` is set when its first line is intact."""

    interview_id: str
    path: Path
    problem: str
    modified_at: datetime
    header: Header | None


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
    check_schema(header, path)
    body = [r for r in records[1:] if not isinstance(r, Header)]
    return Transcript(header=header, records=body)


def _lines(data: bytes) -> list[bytes]:
    """The file's lines. Only a newline ends a record: text may hold other line separators."""
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    return lines


def check_schema(header: Header, path: Path) -> None:
    if header.schema_version > SCHEMA_VERSION:
        raise TranscriptError(
            f"{path} was written by a newer Starling (schema {header.schema_version}).",
            hint="Upgrade Starling to read it.",
        )


def salvage(data: bytes) -> tuple[list[tuple[bytes, Record]], list[int]]:
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


def keep_copy(path: Path, data: bytes, now: datetime) -> Path:
    """Keep `data` beside `path` as `<name>.damaged-<when>`, never replacing an earlier copy."""
    stem = f"{path.name}{BACKUP_MARK}{now:%Y%m%dT%H%M%S}"
    for number in range(1, 100):
        name = stem if number == 1 else f"{stem}-{number}"
        try:
            return write_private(path.with_name(name), data, exclusive=True)
        except FileExistsError:
            continue
    raise TranscriptError(f"Too many copies of {path} were kept this second; try again.")


def describe_damage(path: Path, error: TranscriptError) -> DamagedTranscript:
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


def repair_tail(path: Path, fd: int) -> None:
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
