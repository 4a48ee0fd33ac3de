"""The report of one interview, with its transcript and the STAR checks per attempt, in tabs."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static, TabbedContent, TabPane

from agent.domain.rubric import Rubric
from agent.domain.transcript import Transcript
from agent.ui.attempts import question_attempts
from agent.ui.jobs import describe, export_interview
from agent.ui.labels import saved_notice
from agent.ui.literal import literal
from agent.ui.messages import ExportFailed, ReportExported
from agent.ui.services import Services
from agent.ui.widgets.attempts_view import AttemptsView
from agent.ui.widgets.conversation import Conversation
from agent.ui.widgets.key_bar import KeyBar
from agent.ui.widgets.report_view import ReportView

REVIEWER_ONLY = (
    "This was an assessment: its report is for the reviewer and is not shown here. "
    "A reviewer opens it with 'starling review'."
)
NOT_EVALUATED = "This interview has no evaluation yet: it is unfinished. Resume it from History."


class ReportScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "export", "Export"),
        Binding("1", "tab('tab-report')", "Report"),
        Binding("2", "tab('tab-transcript')", "Transcript"),
        Binding("3", "tab('tab-progress')", "Progress"),
        Binding("escape", "app.pop_screen", "Back"),
        Binding("n", "app.new_interview", "New", show=False),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(
        self,
        services: Services,
        transcript: Transcript,
        *,
        rubric: Rubric | None,
        coaching: bool,
        show_report: bool = True,
    ) -> None:
        super().__init__()
        self.services = services
        self.transcript = transcript
        self.rubric = rubric
        self.coaching = coaching
        self.show_report = show_report

    def compose(self) -> ComposeResult:
        header = self.transcript.header
        title = f"Interview {header.interview_id} · {header.rubric_id} · {header.mode}"
        if header.candidate:
            title += f" · {header.candidate}"
        yield Static(literal(title, "bold"), id="report-title")
        evaluation = self.transcript.evaluation
        with TabbedContent(initial="tab-report" if self.show_report else "tab-transcript"):
            with TabPane("Report", id="tab-report"):
                if not self.show_report:
                    yield Static(Content(REVIEWER_ONLY), classes="empty")
                elif evaluation is None:
                    yield Static(Content(NOT_EVALUATED), classes="empty")
                else:
                    yield ReportView(evaluation, rubric=self.rubric, coaching=self.coaching, id="report-view")
            with TabPane("Transcript", id="tab-transcript"):
                yield Conversation(show_targets=self.show_report, id="transcript-view")
            with TabPane("Progress", id="tab-progress"), VerticalScroll(id="progress-view"):
                yield from self._attempts()
        yield KeyBar()

    def _attempts(self) -> ComposeResult:
        if not self.show_report:
            yield Static(Content(REVIEWER_ONLY), classes="empty")
            return
        groups = [g for g in question_attempts(self.transcript) if len(g.attempts) > 1]
        if not groups:
            yield Static(
                Content("No question took more than one answer, so there is nothing to compare."),
                classes="empty",
            )
            return
        yield Static(
            Content.styled("How each story grew with the follow-ups (↑ better, ↓ worse):", "bold"),
            classes="heading",
        )
        for group in groups:
            yield AttemptsView(group)

    def on_mount(self) -> None:
        conversation = self.query_one("#transcript-view", Conversation)
        label = "Candidate" if self.transcript.header.mode == "assessment" else "You"
        for turn in self.transcript.turns:
            if turn.role == "interviewer":
                conversation.say(turn, instant=True)
            else:
                conversation.add_answer(turn.text, label=label)
        conversation.scroll_home(animate=False)
        self._focus_tab()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self._focus_tab()

    def on_tabbed_content_tab_activated(self) -> None:
        self._focus_tab()

    def _focus_tab(self) -> None:
        """Focus the active tab's scrolling body, so arrows and page keys scroll it."""
        pane = self.query_one(TabbedContent).active_pane
        if pane is not None:
            for widget in pane.query("ReportView, Conversation, #progress-view"):
                widget.focus()
                return

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "export":
            return self.show_report
        return True

    def action_export(self) -> None:
        if self.show_report:
            self._export()

    @work(thread=True, group="export")
    def _export(self) -> None:
        try:
            paths = export_interview(self.transcript, self.services.settings.exports_dir)
        except Exception as error:  # noqa: BLE001 - a worker reports every failure as a message
            self.post_message(ExportFailed(describe(error)[0]))
            return
        self.post_message(ReportExported(paths))

    def on_report_exported(self, message: ReportExported) -> None:
        self.notify(saved_notice(message.paths), title="Exported", timeout=10, markup=False)

    def on_export_failed(self, message: ExportFailed) -> None:
        self.notify(message.message, title="Export failed", severity="error", timeout=10, markup=False)
