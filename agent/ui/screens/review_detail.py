"""One interview for the reviewer: the transcript with evidence highlighted, beside the evaluation.

The reviewer's decision sits above the machine's evaluation, in its own box, so the two are never
mistaken for each other.
"""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from agent.domain.transcript import Transcript
from agent.reviews import Review, ReviewEntry
from agent.ui.jobs import describe, load_interview
from agent.ui.literal import literal
from agent.ui.messages import DecisionRecorded, InterviewOpened, LoadFailed
from agent.ui.review_rows import ReviewRow
from agent.ui.screens.reviewing import ReviewingScreen
from agent.ui.services import Services
from agent.ui.widgets.decision_panel import DecisionPanel
from agent.ui.widgets.evidence_transcript import EvidenceTranscript
from agent.ui.widgets.key_bar import KeyBar
from agent.ui.widgets.report_view import ReportView

NOT_EVALUATED = {
    "unfinished": "This interview is unfinished, so there is no evaluation. The transcript so far is on the left.",
    "not evaluated": "This interview finished but has no evaluation yet.",
}


def title_line(transcript: Transcript) -> Content:
    header = transcript.header
    parts = [header.mode, header.rubric_id, f"{header.at.astimezone():%Y-%m-%d %H:%M}"]
    if header.invitation:
        parts.append(f"invitation {header.invitation}")
    parts.append(header.interview_id)
    name = literal(header.candidate, "bold") if header.candidate else Content.styled("(no name)", "bold")
    return Content.assemble(name, "  ", literal(" · ".join(parts), "$text-muted"))


DETAIL_HINT = "d decide · e export · z zoom · tab switch pane · n/p next/previous"


class ReviewDetailScreen(ReviewingScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "decide", "Decide"),
        Binding("e", "export", "Export"),
        Binding("z", "zoom", "Zoom pane"),
        Binding("n,right_square_bracket", "step(1)", "Next"),
        Binding("p,left_square_bracket", "step(-1)", "Previous"),
        Binding("escape", "back", "Back"),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(self, services: Services, row: ReviewRow, *, rows: list[ReviewRow] | None = None) -> None:
        """`rows` are the interviews n and p move through (the list, in its order), `row` among them."""
        super().__init__(services)
        self.row = row
        self.rows = list(rows) if rows else [row]
        self.transcript = row.transcript
        self.review: Review | None = None

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="detail-title")
        with Horizontal(id="detail-body"):
            yield Vertical(Static(Content.styled("Loading…", "$text-muted")), id="detail-left")
            with Vertical(id="detail-right"):
                yield DecisionPanel(id="decision-panel")
                yield Vertical(id="detail-evaluation")
        yield Static(Content.styled(DETAIL_HINT, "$text-muted"), id="review-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#decision-panel").border_title = "Reviewer's decision"
        self._open(self.transcript.interview_id)

    @property
    def position(self) -> int:
        ids = [row.interview_id for row in self.rows]
        return ids.index(self.row.interview_id) if self.row.interview_id in ids else 0

    def action_step(self, by: int) -> None:
        """Open the next (or previous) interview of the list in place."""
        index = self.position + by
        if not 0 <= index < len(self.rows):
            self.notify(
                "That was the last interview." if by > 0 else "That was the first interview.", timeout=2
            )
            return
        if self.maximized is not None:
            self.minimize()
        self.row = self.rows[index]
        self.transcript = self.row.transcript
        self.review = None
        self.query_one("#detail-title", Static).update(self._title())
        self.show_status(Content.styled(DETAIL_HINT, "$text-muted"))
        self._open(self.transcript.interview_id)

    def _title(self) -> Content:
        where = f"  {self.position + 1} of {len(self.rows)}" if len(self.rows) > 1 else ""
        return Content.assemble(title_line(self.transcript), Content.styled(where, "$text-muted"))

    @work(thread=True, group="review-open", exclusive=True)
    def _open(self, interview_id: str) -> None:
        try:
            transcript, rubric = load_interview(self.services, interview_id)
            review = self.services.reviews.load(interview_id)
        except Exception as error:  # noqa: BLE001 - a worker reports every failure as a message
            self.post_message(LoadFailed(*describe(error)))
            return
        self.post_message(InterviewOpened(transcript, rubric, review))

    async def on_interview_opened(self, message: InterviewOpened) -> None:
        self.transcript = message.transcript
        self.review = message.review
        self.query_one(DecisionPanel).show(message.review)
        if message.transcript.interview_id != self.row.interview_id:
            return  # the reviewer moved on meanwhile (n or p)
        left = self.query_one("#detail-left")
        await left.remove_children()
        transcript_view = EvidenceTranscript(message.transcript, id="evidence-transcript")
        await left.mount(transcript_view)
        transcript_view.border_title = "Transcript · evidence highlighted"
        right = self.query_one("#detail-evaluation")
        await right.remove_children()
        evaluation = message.transcript.evaluation
        if evaluation is None:
            status = ReviewRow(message.transcript).status
            await right.mount(Static(Content(NOT_EVALUATED.get(status, "")), classes="empty"))
        else:
            report = ReportView(evaluation, rubric=message.rubric, coaching=False, id="detail-report")
            await right.mount(report)
            report.border_title = "Machine evaluation · evidence, not a verdict"
        transcript_view.focus()

    def on_load_failed(self, message: LoadFailed) -> None:
        text = f"{message.message}\n{message.hint}" if message.hint else message.message
        self.notify(text, title="Could not open the interview", severity="error", markup=False)

    def target(self) -> tuple[Transcript, ReviewEntry | None] | None:
        current = self.review.current if self.review is not None else self.row.decision
        return self.transcript, current

    def on_decision_recorded(self, message: DecisionRecorded) -> None:
        self.review = message.review
        self.query_one(DecisionPanel).show(message.review)
        self.show_status(Content.styled("Decision saved.", "bold"))

    def action_zoom(self) -> None:
        """Show the focused pane (transcript or evaluation) full width; z again or escape restores."""
        if self.maximized is not None:
            self.minimize()
            return
        pane = self.focused
        if pane is None or not self.maximize(pane, container=False):
            self.notify("Move to the transcript or the evaluation first (tab), then press z.", timeout=3)

    def action_back(self) -> None:
        if self.maximized is not None:
            self.minimize()
        else:
            self.app.pop_screen()
