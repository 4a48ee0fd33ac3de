"""What every reviewer screen can do to one interview: record a decision, export the report."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError
from textual import work
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from agent.domain.transcript import Transcript
from agent.reports.render import Format, export
from agent.reviews import Review, ReviewEntry
from agent.ui.jobs import describe
from agent.ui.labels import DECISION_LABEL, saved_notice, short_path
from agent.ui.messages import (
    DecisionFailed,
    DecisionRecorded,
    DecisionsReread,
    ExportFailed,
    ReportExported,
)
from agent.ui.review_rows import ReviewRow, with_decision
from agent.ui.screens.decision import DecisionDraft, DecisionScreen
from agent.ui.services import Services

REVIEW_FORMATS: tuple[Format, ...] = ("html", "md")


def export_report(transcript: Transcript, folder: Path, review: Review | None) -> list[Path]:
    """The candidate's report as self-contained HTML and as Markdown, with the reviewer's decisions."""
    return export(transcript, folder, REVIEW_FORMATS, review)


class ReviewingScreen(Screen[None]):
    """A screen about one interview at a time (`target`), with a status line (`#review-status`)."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services

    def target(self) -> tuple[Transcript, ReviewEntry | None] | None:
        """The interview the reviewer is on, with its current decision; None when there is none."""
        raise NotImplementedError

    def show_status(self, content: Content) -> None:
        self.query_one("#review-status", Static).update(content)

    # Decision

    def action_decide(self) -> None:
        target = self.target()
        if target is None:
            self.notify("Choose an interview first.")
            return
        transcript, current = target
        interview_id = transcript.interview_id

        def decided(draft: DecisionDraft | None) -> None:
            if draft is not None:
                self.services.reviewer.value = draft.reviewer
                self._record(interview_id, draft)

        self.app.push_screen(
            DecisionScreen(
                candidate=transcript.header.candidate or interview_id,
                evaluation=transcript.evaluation,
                current=current,
                reviewer=self.services.reviewer.value,
            ),
            decided,
        )

    @work(thread=True, group="decision")
    def _record(self, interview_id: str, draft: DecisionDraft) -> None:
        try:
            entry = ReviewEntry(
                decision=draft.decision,
                notes=draft.notes,
                reviewer=draft.reviewer,
                decided_at=self.services.clock(),
            )
            review = self.services.reviews.record(interview_id, entry)
        except ValidationError as error:
            self.post_message(DecisionFailed(f"The decision is not valid: {error}", None))
            return
        except Exception as error:  # noqa: BLE001 - a worker reports every failure as a message
            self.post_message(DecisionFailed(*describe(error)))
            return
        self.post_message(DecisionRecorded(review))

    def on_decision_failed(self, message: DecisionFailed) -> None:
        text = f"{message.message}\n{message.hint}" if message.hint else message.message
        self.notify(text, title="The decision was not saved", severity="error", timeout=10, markup=False)

    # Export

    def action_export(self) -> None:
        target = self.target()
        if target is None:
            self.notify("Choose an interview first.")
            return
        self._export(target[0])

    @work(thread=True, group="export")
    def _export(self, transcript: Transcript) -> None:
        try:
            review = self.services.reviews.load(transcript.interview_id)
            paths = export_report(transcript, self.services.settings.exports_dir, review)
        except Exception as error:  # noqa: BLE001 - a worker reports every failure as a message
            self.post_message(ExportFailed(describe(error)[0]))
            return
        self.post_message(ReportExported(paths))

    def on_report_exported(self, message: ReportExported) -> None:
        self.notify(saved_notice(message.paths), title="Report exported", timeout=10, markup=False)
        names = ", ".join(path.name for path in message.paths)
        folder = short_path(message.paths[0].parent) if message.paths else ""
        self.show_status(Content.assemble(("Exported: ", "bold"), f"{names} in {folder}"))

    def on_export_failed(self, message: ExportFailed) -> None:
        self.notify(message.message, title="Export failed", severity="error", timeout=10, markup=False)


class ReviewRowsScreen(ReviewingScreen):
    """A reviewer screen over several interviews (`rows`) whose decisions change elsewhere too.

    Coming back to it (from one interview, a comparison or the decision modal) reads the
    decisions again. A decision recorded after that reading started makes the reading stale: it
    is then dropped, so an older file never overwrites a newer decision on screen.
    """

    def __init__(self, services: Services, rows: list[ReviewRow] | None = None) -> None:
        super().__init__(services)
        self.rows: list[ReviewRow] = list(rows or [])
        self._decisions_seen = 0

    def show_rows(self) -> None:
        """Show `self.rows` again after a change."""
        raise NotImplementedError

    def on_screen_resume(self) -> None:
        if self.rows:
            self._reread_decisions(list(self.rows), self._decisions_seen)

    @work(thread=True, group="review-decisions", exclusive=True)
    def _reread_decisions(self, rows: list[ReviewRow], seen: int) -> None:
        fresh = [with_decision(row, self.services.reviews) for row in rows]
        self.post_message(DecisionsReread(fresh, seen))

    def on_decisions_reread(self, message: DecisionsReread) -> None:
        if message.seen != self._decisions_seen:
            return  # a decision was recorded meanwhile; this reading may predate it
        fresh = {row.interview_id: row for row in message.rows}
        self.rows = [fresh.get(row.interview_id, row) for row in self.rows]
        self.show_rows()

    def on_decision_recorded(self, message: DecisionRecorded) -> None:
        self._decisions_seen += 1
        review = message.review
        self.rows = [
            ReviewRow(row.transcript, review.current) if row.interview_id == review.interview_id else row
            for row in self.rows
        ]
        self.show_rows()
        current = review.current
        if current is not None:
            self.show_status(Content.assemble(("Decision saved: ", "bold"), DECISION_LABEL[current.decision]))
