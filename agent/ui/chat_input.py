"""Typing and pastes on the interview screen that did not reach its answer box go into it.

That is typing with the focus elsewhere (the conversation), and typing that arrived while the
screen was still being built, before the box had the focus. (The box itself takes every
printable key, so none of those reaches the screen twice.)
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget

from agent.ui.widgets.answer_box import AnswerBox


def type_into(box: AnswerBox, event: events.Key, *, focused: Widget | None) -> None:
    """Type a key that reached the screen into the box, while the box is shown."""
    if not box.display:
        return
    if event.is_printable and event.character:
        text = event.character
    elif event.key in {"enter", "ctrl+j"} and focused in (None, box):
        text = "\n"  # typed ahead, or a newline the box does not bind
    else:
        return
    event.stop()
    event.prevent_default()
    box.focus()
    box.insert(text)


def paste_into(box: AnswerBox, event: events.Paste) -> None:
    """Send a paste that reached the screen on to the box, while the box is shown."""
    if box.display:
        event.stop()
        box.focus()
        box.post_message(events.Paste(event.text))
