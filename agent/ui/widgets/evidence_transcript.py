"""The transcript for a reviewer: every turn, with the evaluation's evidence quotes highlighted in place."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from agent.domain.transcript import Transcript
from agent.ui.evidence import HIGHLIGHT, highlighted, turn_spans
from agent.ui.literal import literal, shorten
from agent.ui.widgets.candidate_message import SHOWN_CHARS
from agent.ui.widgets.conversation import turn_label
from agent.ui.widgets.interviewer_message import InterviewerMessage


def key_line(found: int) -> Content:
    if not found:
        return Content.styled("No evidence quotes were found in the answers.", "$text-muted")
    return Content.assemble(
        ("Highlighted", HIGHLIGHT),
        f": {found} passage{'' if found == 1 else 's'} the evaluation quotes as evidence, "
        "with what each supports ‹in brackets›.",
    )


class EvidenceTranscript(VerticalScroll, can_focus=True):
    ALLOW_MAXIMIZE = True  # the reviewer zooms it to read the transcript full width

    def __init__(self, transcript: Transcript, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.transcript = transcript
        self.spans = turn_spans(transcript)

    @property
    def found(self) -> int:
        return sum(len(spans) for spans in self.spans.values())

    def compose(self) -> ComposeResult:
        yield Static(key_line(self.found), classes="evidence-key")
        label = self.transcript.header.candidate or "Candidate"
        for turn in self.transcript.turns:
            if turn.role == "interviewer":
                yield InterviewerMessage(
                    turn_label(turn, show_target=True), turn.text, kind=turn.ask or "message"
                )
                continue
            shown, hidden = shorten(turn.text, SHOWN_CHARS)
            body = highlighted(shown, self.spans.get(turn.seq, []))
            if hidden:
                note = f"\n… {hidden:,} more words, in full in the exported report."
                body = Content.assemble(body, (note, "$text-muted italic"))
            message = Static(body, classes="turn candidate evidence")
            message.border_title = literal(label)
            yield message
