"""Past interviews: open one to read its transcript and report, or resume an unfinished one."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from agent.storage import DamagedTranscript, TranscriptSummary
from agent.ui.jobs import StartRequest, describe, load_interview
from agent.ui.messages import HistoryLoaded, LoadFailed, TranscriptLoaded
from agent.ui.screens.chat import ChatScreen
from agent.ui.screens.report import ReportScreen
from agent.ui.services import Services
from agent.ui.widgets.key_bar import KeyBar

EMPTY = "No interviews yet. Press escape and start one."
COLUMNS = ("Date", "Rubric", "Mode", "Status", "Score", "Name")


class HistoryScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", priority=True),
        Binding("r", "resume", "Resume"),
        Binding("n", "app.new_interview", "New interview"),
        Binding("escape", "app.pop_screen", "Back"),
        Binding("f5", "reload", "Refresh"),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.summaries: dict[str, TranscriptSummary] = {}
        self.damaged: dict[str, DamagedTranscript] = {}

    def compose(self) -> ComposeResult:
        yield Static(Content.styled("History", "bold"), id="history-title")
        yield DataTable[Text](id="history", cursor_type="row", zebra_stripes=True)
        yield Static(Content.styled("Loading…", "$text-muted"), id="history-empty")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        table.focus()

    def on_screen_resume(self) -> None:
        """Load the list each time the screen shows, so a resumed interview's new state appears."""
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, group="history", exclusive=True)
    def _load(self) -> None:
        try:
            listing = self.services.store.listing()
        except Exception as error:  # noqa: BLE001 - a worker reports every failure as a message
            self.post_message(LoadFailed(*describe(error)))
            return
        self.post_message(HistoryLoaded(listing.summaries, listing.damaged))

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.summaries = {s.interview_id: s for s in message.summaries}
        self.damaged = {d.interview_id: d for d in message.damaged if d.interview_id not in self.summaries}
        for summary in message.summaries:
            table.add_row(*self._cells(summary), key=summary.interview_id)
        for damaged in self.damaged.values():
            table.add_row(*_damaged_cells(damaged), key=damaged.interview_id)
        nothing = not table.row_count
        empty = self.query_one("#history-empty", Static)
        empty.update(Content(EMPTY) if nothing else Content(""))
        empty.display = nothing

    def _cells(self, summary: TranscriptSummary) -> list[Text]:
        hidden = summary.mode == "assessment"  # its scores are for the reviewer ('starling review')
        covered = summary.coverage
        if summary.overall_score is None:
            score = Text("—")
        elif hidden:
            score = Text("for reviewer")
        elif covered is not None and not covered.complete:
            score = Text(f"{summary.overall_score:.1f}/5 ⚠ {covered.short} scored")
        else:
            score = Text(f"{summary.overall_score:.1f}/5")
        if summary.finished and summary.recommendation is None:
            status = "… not evaluated"
        else:
            status = "✓ finished" if summary.finished else "… unfinished"
        return [
            Text(f"{summary.created_at.astimezone():%Y-%m-%d %H:%M}"),
            Text(summary.rubric_id),
            Text(summary.mode),
            Text(status),
            score,
            Text(summary.candidate or ""),
        ]

    def selected(self) -> TranscriptSummary | None:
        return self.summaries.get(self._selected_key() or "")

    def _selected_key(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        key = self._selected_key()
        if key in self.damaged:
            self._tell_damaged(self.damaged[key])
        elif key is not None and key in self.summaries:
            self._open(key)

    def _tell_damaged(self, damaged: DamagedTranscript) -> None:
        self.notify(
            f"{damaged.problem}\nRecover its intact records with: starling transcripts repair {damaged.interview_id}",
            title="Damaged interview",
            severity="warning",
            markup=False,
        )

    @work(thread=True, group="history-open", exclusive=True)
    def _open(self, interview_id: str) -> None:
        try:
            transcript, rubric = load_interview(self.services, interview_id)
        except Exception as error:  # noqa: BLE001 - a worker reports every failure as a message
            self.post_message(LoadFailed(*describe(error)))
            return
        self.post_message(TranscriptLoaded(transcript, rubric))

    def on_transcript_loaded(self, message: TranscriptLoaded) -> None:
        practice = message.transcript.header.mode == "practice"
        self.app.push_screen(
            ReportScreen(
                self.services,
                message.transcript,
                rubric=message.rubric,
                coaching=practice,
                show_report=practice,
            )
        )

    def on_load_failed(self, message: LoadFailed) -> None:
        text = f"{message.message}\n{message.hint}" if message.hint else message.message
        self.notify(text, title="Could not load", severity="error", markup=False)

    def action_resume(self) -> None:
        key = self._selected_key()
        if key in self.damaged:
            self._tell_damaged(self.damaged[key])
            return
        summary = self.selected()
        if summary is None:
            return
        if summary.finished and summary.recommendation is not None:
            self.notify("That interview is finished; press enter to open it.")
            return
        open_here = [
            screen
            for screen in self.app.screen_stack
            if isinstance(screen, ChatScreen)
            and screen.session is not None
            and screen.session.interview_id == summary.interview_id
        ]
        if open_here:
            self.notify("That interview is already open: press escape to go back to it.")
            return
        self.app.push_screen(ChatScreen(self.services, StartRequest(resume_id=summary.interview_id)))


def _damaged_cells(damaged: DamagedTranscript) -> list[Text]:
    """A damaged interview's row: what its first line still says, and that it needs repair."""
    header = damaged.header
    when = header.at if header else damaged.modified_at
    return [
        Text(f"{when.astimezone():%Y-%m-%d %H:%M}"),
        Text(header.rubric_id if header else "?"),
        Text(header.mode if header else "?"),
        Text("⚠ damaged"),
        Text("—"),
        Text((header.candidate if header else None) or ""),
    ]
