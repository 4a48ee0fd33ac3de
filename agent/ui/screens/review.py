"""The review workspace: every interview with its scores, the machine's recommendation and yours.

Sort by any column (s, S or a click on its header), mark interviews with space and compare them
with c, open one with enter, record a decision with d and export a report with e. Reading the
transcripts happens in a thread worker; the list appears when it is ready.
"""

from __future__ import annotations

from contextlib import suppress
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Static
from textual.widgets.data_table import RowDoesNotExist

from agent.domain.transcript import Transcript
from agent.reviews import ReviewEntry
from agent.ui.comparison import comparison_problem
from agent.ui.jobs import describe
from agent.ui.messages import LoadFailed, ReviewListLoaded
from agent.ui.review_rows import BY_SCORE, FIRST_DESCENDING, Column, ReviewRow, load_rows, sort_rows
from agent.ui.review_table import COLUMNS, HEADINGS, SORT_CYCLE, SORTABLE, cells, legend
from agent.ui.screens.compare import CompareScreen
from agent.ui.screens.review_detail import ReviewDetailScreen
from agent.ui.screens.reviewing import ReviewRowsScreen
from agent.ui.services import Services
from agent.ui.widgets.key_bar import KeyBar

EMPTY = (
    "No interviews yet. Invite candidates with 'starling invite' and 'starling serve'; their "
    "interviews appear here. Press F5 to look again."
)
KEYS_HINT = "space mark · c compare · d decide · e export · s/S sort · 1-9 sort by a dimension"
MAX_DIMENSION_KEYS = 9


class ReviewScreen(ReviewRowsScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", priority=True),
        Binding("space", "mark", "Mark"),
        Binding("c", "compare", "Compare"),
        Binding("d", "decide", "Decide"),
        Binding("e", "export", "Export"),
        Binding("s", "sort_next", "Sort"),
        Binding("S", "sort_reverse", "Reverse", show=False),
        *[
            Binding(str(n), f"sort_dimension({n})", f"Sort by dimension {n}", show=False)
            for n in range(1, MAX_DIMENSION_KEYS + 1)
        ],
        Binding("f5", "reload", "Refresh"),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.marked: set[str] = set()
        self.sort_column: Column = "date"
        self.sort_dimension: str | None = None  # a dimension id, when sorting by one dimension
        self.descending = True
        self._opened: ReviewDetailScreen | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content.styled("Review", "bold"), id="review-title")
        yield DataTable[Text](id="review-table", cursor_type="row", zebra_stripes=True, fixed_columns=2)
        yield Static(Content.styled("Loading interviews…", "$text-muted"), id="review-empty")
        yield Static("", id="review-legend")
        yield Static(Content.styled(KEYS_HINT, "$text-muted"), id="review-status")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for column, label in COLUMNS:
            table.add_column(label, key=column or "mark")
        table.display = False  # until the interviews are read
        table.focus()
        self._show_title()
        self.action_reload()

    # Loading

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, group="review-load", exclusive=True)
    def _load(self) -> None:
        try:
            loaded = load_rows(self.services.store, self.services.reviews)
        except Exception as error:  # noqa: BLE001 - a worker reports every failure as a message
            self.post_message(LoadFailed(*describe(error)))
            return
        self.post_message(ReviewListLoaded(loaded))

    def on_review_list_loaded(self, message: ReviewListLoaded) -> None:
        self.rows = message.loaded.rows
        known = {row.interview_id for row in self.rows}
        self.marked &= known
        self._fill()
        if message.loaded.skipped:
            names = ", ".join(message.loaded.skipped)
            self.notify(
                f"Could not read: {names}",
                title="Some transcripts were skipped",
                severity="warning",
                markup=False,
            )

    def on_load_failed(self, message: LoadFailed) -> None:
        text = f"{message.message}\n{message.hint}" if message.hint else message.message
        self.notify(text, title="Could not load", severity="error", markup=False)

    # Showing

    def show_rows(self) -> None:
        self._fill()

    def _fill(self) -> None:
        """Put the rows in the table in the chosen order, keeping the cursor on the same interview."""
        table = self.query_one(DataTable)
        here = self.selected()
        self.rows = sort_rows(
            self.rows, self.sort_column, descending=self.descending, dimension=self.sort_dimension
        )
        table.clear()
        for row in self.rows:
            table.add_row(*cells(row, marked=row.interview_id in self.marked), key=row.interview_id)
        if here is not None and here.interview_id in {row.interview_id for row in self.rows}:
            table.move_cursor(row=table.get_row_index(here.interview_id), animate=False)
        empty = self.query_one("#review-empty", Static)
        empty.update(Content(EMPTY))
        empty.display = not self.rows
        table.display = bool(self.rows)
        self._show_title()
        self._show_legend()

    def _show_title(self) -> None:
        assessments = sum(1 for row in self.rows if row.mode == "assessment")
        practice = len(self.rows) - assessments
        parts = [f"{assessments} assessment{'' if assessments == 1 else 's'}"]
        if practice:
            parts.append(f"{practice} practice")
        arrow = "↓" if self.descending else "↑"
        by = self.sort_dimension or HEADINGS[self.sort_column]
        parts.append(f"sorted by {by} {arrow}")
        if (
            self.sort_dimension is None
            and self.sort_column in BY_SCORE
            and any(not r.complete for r in self.rows)
        ):
            parts.append("⚠ incomplete last")
        if self.marked:
            parts.append(f"{len(self.marked)} marked")
        title = Content.assemble(("Review", "bold"), "  ", Content.styled(" · ".join(parts), "$text-muted"))
        self.query_one("#review-title", Static).update(title)

    def _show_legend(self) -> None:
        text = legend(self.selected())
        self.query_one("#review-legend", Static).update(Content.styled(text, "$text-muted"))

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        self._show_legend()

    # Sorting

    def sort_by(self, column: Column, *, descending: bool | None = None) -> None:
        if descending is None:
            same = column == self.sort_column and self.sort_dimension is None
            descending = not self.descending if same else column in FIRST_DESCENDING
        self.sort_column = column
        self.sort_dimension = None
        self.descending = descending
        self._fill()

    def action_sort_dimension(self, number: int) -> None:
        """Sort by the n-th dimension of the selected interview's rubric; again to reverse."""
        row = self.selected()
        dimensions = row.dimensions if row is not None else []
        if not 1 <= number <= len(dimensions):
            self.notify(f"There is no dimension {number} here.", timeout=2)
            return
        wanted = dimensions[number - 1]
        same = self.sort_dimension == wanted.dimension
        self.sort_dimension = wanted.dimension
        self.descending = not self.descending if same else True
        self._fill()
        self.notify(f"Sorted by {wanted.name}. Press {number} again to reverse.", timeout=2, markup=False)

    def action_sort_next(self) -> None:
        index = SORT_CYCLE.index(self.sort_column)
        column = SORT_CYCLE[(index + 1) % len(SORT_CYCLE)]
        self.sort_by(column, descending=column in FIRST_DESCENDING)
        self.notify(f"Sorted by {HEADINGS[column]}. Press S to reverse.", timeout=2)

    def action_sort_reverse(self) -> None:
        self.descending = not self.descending
        self._fill()

    @on(DataTable.HeaderSelected)
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        column = next((c for c in SORTABLE if c == event.column_key.value), None)
        if column is not None:
            self.sort_by(column)

    # The interview under the cursor

    def selected(self) -> ReviewRow | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((row for row in self.rows if row.interview_id == key), None)

    def target(self) -> tuple[Transcript, ReviewEntry | None] | None:
        row = self.selected()
        return (row.transcript, row.decision) if row is not None else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        row = self.selected()
        if row is not None:
            self._opened = ReviewDetailScreen(self.services, row, rows=self.rows)
            self.app.push_screen(self._opened)

    def on_screen_resume(self) -> None:
        """Back from one interview: the cursor is on the last one read (n/p move between them)."""
        opened, self._opened = self._opened, None
        if opened is not None:
            table = self.query_one(DataTable)
            with suppress(RowDoesNotExist):
                table.move_cursor(row=table.get_row_index(opened.row.interview_id), animate=False)
        # (Textual also calls ReviewRowsScreen.on_screen_resume, which reads the decisions again.)

    def action_mark(self) -> None:
        row = self.selected()
        if row is None:
            return
        self.marked ^= {row.interview_id}
        table = self.query_one(DataTable)
        table.update_cell(row.interview_id, "mark", cells(row, marked=row.interview_id in self.marked)[0])
        table.action_cursor_down()
        self._show_title()

    def action_compare(self) -> None:
        chosen = [row for row in self.rows if row.interview_id in self.marked]
        problem = comparison_problem(chosen)
        if problem is not None:
            self.notify(problem, title="Cannot compare", severity="warning", markup=False)
            return
        self.app.push_screen(CompareScreen(self.services, chosen))
