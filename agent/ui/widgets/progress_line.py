"""The line above the conversation: mode, rubric and where the interview stands; time on the right."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static


class ProgressLine(Horizontal):
    """'Practice · Customer focus │ Question 2 of 4 · follow-up 1 of 2' and, on the right, '1:05 on Q2'."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.heading = ""
        self.progress = "Starting…"
        self.elapsed = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="progress-text")
        yield Static("", id="progress-time")

    def show(
        self,
        *,
        heading: str | None = None,
        progress: str | None = None,
        elapsed: str | None = None,
    ) -> None:
        self.heading = self.heading if heading is None else heading
        self.progress = self.progress if progress is None else progress
        self.elapsed = self.elapsed if elapsed is None else elapsed
        text = Content.assemble((self.heading, "bold"), (" │ ", "$text-muted"), self.progress)
        self.query_one("#progress-text", Static).update(text)
        time = Content.styled(self.elapsed, "$text-muted") if self.elapsed else ""
        self.query_one("#progress-time", Static).update(time)
