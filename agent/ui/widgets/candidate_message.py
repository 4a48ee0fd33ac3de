"""One candidate turn, shown literally: markup and escape sequences are displayed, not obeyed."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from agent.ui.literal import literal, shorten

# Beyond this, a reply is cut in the conversation (the transcript keeps every word).
SHOWN_CHARS = 6000


class CandidateMessage(Static):
    def __init__(self, text: str, *, label: str = "You") -> None:
        shown, hidden = shorten(text, SHOWN_CHARS)
        body = literal(shown)
        if hidden:
            note = f"\n… {hidden:,} more words, kept in full in the transcript."
            body = Content.assemble(body, (note, "$text-muted italic"))
        super().__init__(body, classes="turn candidate")
        self.border_title = label
        self.text = text
