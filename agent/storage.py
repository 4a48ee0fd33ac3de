"""Transcript store: append-only JSONL files, flushed to disk on every record, owner-readable only."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from agent.domain.coverage import Coverage, coverage
from agent.domain.transcript import SCHEMA_VERSION, BodyRecord, Header, Record, Transcript
from agent.errors import TranscriptError

_RECORD: TypeAdapter[Record] = TypeAdapter(Record)
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


class TranscriptStore:
    """Reads and writes transcripts in one folder, one `<id>.jsonl` file per interview."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_for(self, interview_id: str) -> Path:
        if not _SAFE_ID.match(interview_id):
            raise TranscriptError(
                f"'{interview_id}' is not a transcript id.",
                hint="Run 'starling transcripts list' to see the ids.",
            )
        return self.folder / f"{interview_id}.jsonl"

    def create(self, header: Header) -> TranscriptWriter:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = self.path_for(header.interview_id)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        writer = TranscriptWriter(path, fd)
        writer.append(header)
        return writer

    def open_for_append(self, interview_id: str) -> TranscriptWriter:
        path = self.path_for(interview_id)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        try:
            _repair_tail(path, fd)
        except OSError as error:
            os.close(fd)
            raise TranscriptError(f"Cannot repair transcript {path}: {error}") from error
        return TranscriptWriter(path, fd)

    def load(self, interview_id: str) -> Transcript:
        path = self.path_for(interview_id)
        if not path.exists():
            raise TranscriptError(
                f"No transcript with id '{interview_id}'.",
                hint="Run 'starling transcripts list' to see the ids.",
            )
        return read_transcript(path)

    def delete(self, interview_id: str) -> Path:
        path = self.path_for(interview_id)
        if not path.exists():
            raise TranscriptError(
                f"No transcript with id '{interview_id}'.",
                hint="Run 'starling transcripts list' to see the ids.",
            )
        path.unlink()
        return path

    def summaries(self) -> list[TranscriptSummary]:
        """Every readable transcript, newest first. Unreadable files are skipped, not fatal."""
        found: list[TranscriptSummary] = []
        if not self.folder.is_dir():
            return found
        for path in self.folder.glob("*.jsonl"):
            try:
                transcript = read_transcript(path)
            except TranscriptError:
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
        return sorted(found, key=lambda s: s.created_at, reverse=True)


class TranscriptWriter:
    """Appends records to one transcript file; each record is on disk before `append` returns."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd = fd

    def append(self, record: Header | BodyRecord) -> None:
        line = record.model_dump_json() + "\n"
        os.write(self._fd, line.encode("utf-8"))
        os.fsync(self._fd)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> TranscriptWriter:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def read_transcript(path: Path) -> Transcript:
    """Parse a transcript file. A torn last line (a crash mid-write) is ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise TranscriptError(f"Cannot read transcript {path}: {error}") from error
    records = list(_parse(lines, path))
    if not records or not isinstance(records[0], Header):
        raise TranscriptError(f"{path} is not a Starling transcript (no header line).")
    header = records[0]
    if header.schema_version > SCHEMA_VERSION:
        raise TranscriptError(
            f"{path} was written by a newer Starling (schema {header.schema_version}).",
            hint="Upgrade Starling to read it.",
        )
    body = [r for r in records[1:] if not isinstance(r, Header)]
    return Transcript(header=header, records=body)


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


def _parse(lines: list[str], path: Path) -> Iterator[Record]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield _RECORD.validate_python(json.loads(line))
        except (json.JSONDecodeError, ValidationError) as error:
            if number == len(lines):
                return  # torn final write: everything before it is intact
            raise TranscriptError(f"{path}, line {number}, is damaged: {error}") from error
