"""The reviewer's list: every stored interview with its evaluation and the reviewer's own decision.

Pure apart from `load_rows`, which reads the files and runs in a thread worker.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from agent.domain.coverage import Coverage, coverage
from agent.domain.evaluation import DimensionScore, Evaluation
from agent.domain.transcript import Transcript
from agent.errors import StarlingError
from agent.reviews import ReviewEntry, ReviewStore
from agent.storage import TranscriptStore, read_transcript

Column = Literal[
    "candidate", "overall", "machine", "decision", "dimensions", "rubric", "date", "invitation", "mode"
]
Status = Literal["evaluated", "unfinished", "not evaluated"]

MACHINE_RANK = {"advance": 3, "borderline": 2, "do_not_advance": 1, "insufficient_evidence": 0}
DECISION_RANK = {"advance": 2, "hold": 1, "reject": 0}


@dataclass(frozen=True)
class ReviewRow:
    """One interview as the reviewer sees it in the list."""

    transcript: Transcript
    decision: ReviewEntry | None = None
    decision_problem: str | None = None

    @property
    def interview_id(self) -> str:
        return self.transcript.interview_id

    @property
    def candidate(self) -> str | None:
        return self.transcript.header.candidate

    @property
    def invitation(self) -> str | None:
        return self.transcript.header.invitation

    @property
    def created_at(self) -> datetime:
        return self.transcript.header.at

    @property
    def rubric_id(self) -> str:
        return self.transcript.header.rubric_id

    @property
    def mode(self) -> str:
        return self.transcript.header.mode

    @property
    def evaluation(self) -> Evaluation | None:
        return self.transcript.evaluation

    @property
    def dimensions(self) -> list[DimensionScore]:
        evaluation = self.evaluation
        return evaluation.dimensions if evaluation else []

    @property
    def coverage(self) -> Coverage | None:
        evaluation = self.evaluation
        return coverage(evaluation) if evaluation else None

    @property
    def complete(self) -> bool:
        """Every planned question has a score (so its scores rank with other complete ones)."""
        covered = self.coverage
        return covered is not None and covered.complete

    def dimension_score(self, dimension_id: str) -> float | None:
        found = [d.score for d in self.dimensions if d.dimension == dimension_id]
        return found[0] if found else None

    @property
    def status(self) -> Status:
        if self.evaluation is not None:
            return "evaluated"
        return "not evaluated" if self.transcript.finished else "unfinished"


@dataclass(frozen=True)
class LoadedRows:
    rows: list[ReviewRow]
    skipped: list[str] = field(default_factory=list)


def load_rows(store: TranscriptStore, reviews: ReviewStore) -> LoadedRows:
    """Every readable transcript with its current decision; unreadable files are named, not fatal."""
    rows: list[ReviewRow] = []
    skipped: list[str] = []
    folder = store.folder
    paths = sorted(folder.glob("*.jsonl")) if folder.is_dir() else []
    for path in paths:
        try:
            transcript = read_transcript(path)
        except StarlingError:
            skipped.append(path.name)
            continue
        rows.append(with_decision(ReviewRow(transcript), reviews))
    return LoadedRows(sort_rows(rows, "date", descending=True), skipped)


def with_decision(row: ReviewRow, reviews: ReviewStore) -> ReviewRow:
    """The row with the reviewer's current decision read again (or why it cannot be read)."""
    try:
        current = reviews.load(row.interview_id).current
    except StarlingError as error:
        return ReviewRow(row.transcript, None, error.message)
    return ReviewRow(row.transcript, current)


def mean_dimension(row: ReviewRow) -> float | None:
    scores = [d.score for d in row.dimensions if d.score is not None]
    return statistics.fmean(scores) if scores else None


# A sort key that numbers, names and dates all fit: (number, text).
SortKey = tuple[float, str]


def _number(value: float | None) -> SortKey | None:
    return None if value is None else (value, "")


def _text(value: str | None) -> SortKey | None:
    return None if not value else (0.0, value.casefold())


_KEYS: dict[Column, Callable[[ReviewRow], SortKey | None]] = {
    "candidate": lambda r: _text(r.candidate),
    "overall": lambda r: _number(r.evaluation.overall_score if r.evaluation else None),
    "machine": lambda r: _number(MACHINE_RANK[r.evaluation.recommendation] if r.evaluation else None),
    "decision": lambda r: _number(DECISION_RANK[r.decision.decision] if r.decision else None),
    "dimensions": lambda r: _number(mean_dimension(r)),
    "rubric": lambda r: _text(r.rubric_id),
    "date": lambda r: _number(r.created_at.timestamp()),
    "invitation": lambda r: _text(r.invitation),
    "mode": lambda r: _text(r.mode),
}

# The order a column sorts in when first chosen: the best or newest first, names from A.
FIRST_DESCENDING: frozenset[Column] = frozenset({"overall", "machine", "decision", "dimensions", "date"})
# Columns that rank by the machine's scores: an interview with unscored questions never ranks
# above a complete one by them (it comes after all complete ones, and its cell says so).
BY_SCORE: frozenset[Column] = frozenset({"overall", "machine", "dimensions"})


def sort_rows(
    rows: list[ReviewRow], column: Column, *, descending: bool, dimension: str | None = None
) -> list[ReviewRow]:
    """Rows ordered by one column (or one dimension's score); rows without a value come last.

    Ties and rows without a value stay newest first. A dimension's score stands on its own
    question(s), so sorting by one dimension does not set incomplete interviews apart.
    """
    key: Callable[[ReviewRow], SortKey | None] = _KEYS[column]
    if dimension is not None:
        key = lambda row: _number(row.dimension_score(dimension))  # noqa: E731 - one short key
    newest = sorted(rows, key=lambda r: r.created_at, reverse=True)
    keyed = [(key(row), row) for row in newest]
    present = [(value, row) for value, row in keyed if value is not None]
    present.sort(key=lambda pair: pair[0], reverse=descending)
    ordered = [row for _value, row in present]
    if dimension is None and column in BY_SCORE:
        ordered = [row for row in ordered if row.complete] + [row for row in ordered if not row.complete]
    return ordered + [row for value, row in keyed if value is None]
