"""Show untrusted text exactly as typed: never as markup, never as terminal control sequences."""

from __future__ import annotations

from textual.content import Content

from agent.visible import visible_controls


def literal(text: str, style: str = "") -> Content:
    """Content that displays `text` literally (no markup parsing, controls made visible)."""
    shown = visible_controls(text)
    return Content.styled(shown, style) if style else Content(shown)


def shorten(text: str, limit: int) -> tuple[str, int]:
    """Text cut to about `limit` characters at a word boundary, and how many words were left out."""
    if len(text) <= limit:
        return text, 0
    cut = text.rfind(" ", 0, limit)
    head = text[: cut if cut > limit // 2 else limit]
    return head, len(text[len(head) :].split())
