"""The cells of the review list, as rich Text (a DataTable would read plain strings as markup)."""

from __future__ import annotations

import math

from rich.text import Text

from agent.domain.evaluation import DimensionScore
from agent.ui.labels import DECISION_LABEL, RECOMMENDATION_SHORT
from agent.ui.literal import terminal_safe
from agent.ui.review_rows import Column, ReviewRow

COLUMNS: tuple[tuple[Column | None, str], ...] = (
    (None, " "),
    ("candidate", "Candidate"),
    ("overall", "Overall"),
    ("machine", "Machine says"),
    ("decision", "Decision"),
    ("dimensions", "Dimensions"),
    ("date", "Date"),
    ("invitation", "Invitation"),
    ("rubric", "Rubric"),
)
HEADINGS: dict[Column, str] = {column: label for column, label in COLUMNS if column is not None}
SORTABLE: tuple[Column, ...] = tuple(column for column, _label in COLUMNS if column is not None)
# The order `s` moves through the columns: from the default (date) to what a reviewer sorts by most.
SORT_CYCLE: tuple[Column, ...] = (
    "date",
    "overall",
    "machine",
    "decision",
    "candidate",
    "dimensions",
    "invitation",
    "rubric",
)
MARK = "✓"
NAME_WIDTH = 24
MISSING = Text("—", style="dim")


def half(score: float) -> str:
    """A dimension score in two characters, to the nearest half: '4 ', '4½'."""
    doubled = math.floor(score * 2 + 0.5)
    whole, rest = divmod(doubled, 2)
    return f"{whole}½" if rest else f"{whole} "


def compact(dimensions: list[DimensionScore]) -> Text:
    """Every dimension's score in rubric order, '·' where it was not assessed."""
    if not dimensions:
        return MISSING
    text = Text()
    for index, dimension in enumerate(dimensions):
        if index:
            text.append(" ")
        if dimension.score is None:
            text.append("· ", style="dim")
        else:
            text.append(half(dimension.score))
    return text


def _plain(value: str | None, limit: int = 40) -> Text:
    if not value:
        return MISSING
    shown = terminal_safe(" ".join(value.split()))
    return Text(shown if len(shown) <= limit else shown[: limit - 1] + "…")


def candidate_cell(row: ReviewRow) -> Text:
    text = _plain(row.candidate, NAME_WIDTH) if row.candidate else Text("(no name)", style="dim")
    if row.mode == "practice":
        text = Text.assemble(text, (" · practice", "dim italic"))
    return text


def machine_cell(row: ReviewRow) -> Text:
    evaluation = row.evaluation
    if evaluation is None:
        return Text(row.status, style="dim italic")
    return Text(RECOMMENDATION_SHORT[evaluation.recommendation])


def decision_cell(row: ReviewRow) -> Text:
    if row.decision_problem:
        return Text("⚠ unreadable", style="bold")
    if row.decision is None:
        return MISSING
    return Text(DECISION_LABEL[row.decision.decision], style="bold")


def overall_cell(row: ReviewRow) -> Text:
    """The overall score; when some questions have no score, how many do ('5.0 ⚠1/4')."""
    evaluation = row.evaluation
    covered = row.coverage
    if evaluation is None or evaluation.overall_score is None:
        return MISSING
    if covered is not None and not covered.complete:
        return Text.assemble(f"{evaluation.overall_score:.1f} ", (f"⚠{covered.short}", "bold"))
    return Text(f"{evaluation.overall_score:.1f}")


def cells(row: ReviewRow, *, marked: bool) -> list[Text]:
    """One row of the list, in the order of COLUMNS."""
    return [
        Text(MARK if marked else " ", style="bold"),
        candidate_cell(row),
        overall_cell(row),
        machine_cell(row),
        decision_cell(row),
        compact(row.dimensions),
        Text(f"{row.created_at.astimezone():%Y-%m-%d}"),
        _plain(row.invitation),
        _plain(row.rubric_id),
    ]


def legend(row: ReviewRow | None) -> str:
    """What the compact dimension scores stand for (numbered: the key sorts by it), and coverage."""
    if row is None or not row.dimensions:
        return ""
    names = " ".join(f"{n}:{d.dimension}" for n, d in enumerate(row.dimensions, start=1))
    text = f"Dimensions of {row.rubric_id} (press a number to sort by one): {names}"
    covered = row.coverage
    if covered is not None and not covered.complete:
        text = f"⚠ {covered.text}: ranked after complete interviews by score. " + text
    return text
