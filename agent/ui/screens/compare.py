"""Candidates on one rubric side by side: a column each, a line per dimension, question and outcome."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from agent.domain.transcript import Transcript
from agent.reviews import ReviewEntry
from agent.ui.comparison import Cell, Line, comparison_lines, coverage_note, version_note
from agent.ui.labels import DECISION_NOTE
from agent.ui.literal import literal, terminal_safe
from agent.ui.review_rows import ReviewRow
from agent.ui.screens.review_detail import ReviewDetailScreen
from agent.ui.screens.reviewing import ReviewRowsScreen
from agent.ui.services import Services
from agent.ui.widgets.key_bar import KeyBar

HINT = "← → choose a candidate · enter open · d decide · e export"
LABEL_WIDTH = 38
NAME_WIDTH = 18
BAR = 5


def score_cell(cell: Cell, *, best: bool, mark: str = "") -> Text:
    if isinstance(cell, float):
        filled = round(cell * BAR / 5)
        return Text.assemble(
            (f"{cell:.1f} ", "bold" if best else ""),
            ("▰" * filled, "bold" if best else ""),
            ("▱" * (BAR - filled), "dim"),
            (" ▲" if best else "", "bold"),
            (f" {mark}" if mark else "", "bold"),
        )
    if cell is None:
        return Text("not assessed", style="dim")
    return Text(cell, style="dim italic")


def line_cells(line: Line) -> list[Text]:
    label = line.label if len(line.label) <= LABEL_WIDTH else line.label[: LABEL_WIDTH - 1] + "…"
    if line.kind == "heading":
        return [Text(label, style="bold underline")] + [Text("") for _ in line.cells]
    best = line.best()
    shown: list[Text] = [Text(terminal_safe(label))]
    marks = line.marks or ("",) * len(line.cells)
    allowed = line.eligible or (True,) * len(line.cells)
    for cell, mark, ok in zip(line.cells, marks, allowed, strict=True):
        if line.kind == "score":
            shown.append(score_cell(cell, best=ok and best is not None and cell == best, mark=mark))
        else:
            shown.append(Text(cell, style="bold") if isinstance(cell, str) else Text("—", style="dim"))
    return shown


def heading(row: ReviewRow) -> Text:
    name = terminal_safe(" ".join((row.candidate or "(no name)").split()))
    if len(name) > NAME_WIDTH:
        name = name[: NAME_WIDTH - 1] + "…"
    when = f"{row.created_at.astimezone():%Y-%m-%d}"
    if row.mode == "practice":
        when += " practice"
    return Text.assemble((name, "bold"), "\n", (when, "dim"))


class CompareScreen(ReviewRowsScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", priority=True),
        Binding("d", "decide", "Decide"),
        Binding("e", "export", "Export"),
        Binding("escape", "app.pop_screen", "Back"),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(self, services: Services, rows: list[ReviewRow]) -> None:
        super().__init__(services, rows)
        self.lines: list[Line] = []
        self._status_row = -1

    def compose(self) -> ComposeResult:
        rubric = self.rows[0].rubric_id if self.rows else ""
        title = Content.assemble(
            ("Compare", "bold"),
            "  ",
            literal(f"{len(self.rows)} candidates · rubric {rubric}", "$text-muted"),
        )
        yield Static(title, id="compare-title")
        yield DataTable[Text](
            id="compare-table", cursor_type="cell", fixed_columns=1, header_height=2, zebra_stripes=True
        )
        notes = [note for note in (version_note(self.rows), coverage_note(self.rows), DECISION_NOTE) if note]
        yield Static(Content.styled("  ".join(notes), "$text-muted italic"), id="compare-note")
        yield Static(Content.styled(HINT, "$text-muted"), id="review-status")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(Text("", style="bold"), key="label", width=LABEL_WIDTH)
        for row in self.rows:
            table.add_column(heading(row), key=row.interview_id)
        self._fill()
        table.move_cursor(row=1, column=1, animate=False)
        table.focus()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.lines = comparison_lines(self.rows)
        for line in self.lines:
            table.add_row(*line_cells(line))

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        """Say which question a line is about, in full (the table shows its id)."""
        row = event.coordinate.row
        if row == self._status_row:
            return  # same line (a column move, or the table filled again): keep the status as it is
        self._status_row = row
        detail = self.lines[row].detail if 0 <= row < len(self.lines) else ""
        self.show_status(literal(detail) if detail else Content.styled(HINT, "$text-muted"))

    def selected(self) -> ReviewRow | None:
        table = self.query_one(DataTable)
        column = table.cursor_coordinate.column
        return self.rows[column - 1] if 1 <= column <= len(self.rows) else None

    def target(self) -> tuple[Transcript, ReviewEntry | None] | None:
        row = self.selected()
        return (row.transcript, row.decision) if row is not None else None

    def action_open(self) -> None:
        row = self.selected()
        if row is None:
            self.notify("Move to a candidate's column (→) to open their interview.")
            return
        self.app.push_screen(ReviewDetailScreen(self.services, row, rows=self.rows))

    def show_rows(self) -> None:
        """Decisions changed: rewrite the cells in place, so the cursor and the status stay put."""
        table = self.query_one(DataTable)
        self.lines = comparison_lines(self.rows)
        for row, line in enumerate(self.lines):
            for column, cell in enumerate(line_cells(line)):
                table.update_cell_at(Coordinate(row, column), cell)
